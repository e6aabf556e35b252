import { invalidParameter } from "../core/errors.js";
import type { Metric, Param, Tag } from "../tracking/types.js";
import { LIMITS } from "../tracking/validation.js";
import { required } from "./field-schema.js";
import { maxResultsOf, optionalStr, orderByOf, str, stringsOf, tagsOf } from "./request-fields.js";
import type { MlflowRoute, RequestFields } from "./server-context.js";
import {
  experimentToWire,
  int64FromWire,
  metricValueFromWire,
  metricsToWire,
  metricsJsonStream,
  metricsWithRunIdToWire,
  runInfoToWire,
  runToWire,
  viewTypeFromWire,
  withPageToken,
} from "./wire.js";

/** Histories longer than this are streamed rather than serialised as one string. */
const STREAMED_HISTORY_POINTS = 50_000;

const TAG = { objects: { key: required("string"), value: required("string") } } as const;
const METRIC = {
  objects: { key: required("string"), value: required("number-or-special"), timestamp: required("int64"), step: "int64" },
} as const;
const PARAM = { objects: { key: required("string"), value: required("string") } } as const;
const VIEW = { enum: ["ACTIVE_ONLY", "DELETED_ONLY", "ALL", "active_only", "deleted_only", "all"] } as const;

/** MLflow still accepts the legacy `run_uuid` wherever `run_id` is expected. */
function runIdOf(fields: RequestFields): string {
  const id = fields.run_id ?? fields.run_uuid;
  if (typeof id !== "string" || id === "") {
    throw invalidParameter("Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.");
  }
  return id;
}
const RUN_ID_FIELDS = { run_id: "string", run_uuid: "string" } as const;


function metricOf(m: { key: string; value: unknown; timestamp: unknown; step?: unknown }): Metric {
  return {
    key: m.key,
    value: metricValueFromWire(m.value),
    timestamp: int64FromWire(m.timestamp, `timestamp of metric '${m.key}'`) ?? 0,
    step: int64FromWire(m.step, `step of metric '${m.key}'`) ?? 0,
  };
}


const searchExperiments: MlflowRoute["handler"] = async (fields, { tracking }) => {
  const page = await tracking.searchExperiments({
    filter: optionalStr(fields, "filter"),
    orderBy: orderByOf(fields.order_by),
    maxResults: maxResultsOf(fields),
    pageToken: optionalStr(fields, "page_token"),
    viewType: viewTypeFromWire(fields.view_type, "view_type"),
  });
  return withPageToken({ experiments: page.items.map(experimentToWire) }, page.nextPageToken);
};

const SEARCH_EXPERIMENT_FIELDS = {
  max_results: "int64",
  page_token: "string",
  filter: "string",
  order_by: "string[]",
  view_type: VIEW,
} as const;

/** The tracking half of MLflow's REST API, as one table (MLflow derives its routes from service.proto). */
export const MLFLOW_TRACKING_ROUTES: readonly MlflowRoute[] = [
  {
    method: "POST",
    path: "/mlflow/experiments/create",
    fields: { name: required("string"), artifact_location: "string", tags: TAG },
    async handler(f, { tracking }) {
      const experimentId = await tracking.createExperiment({
        name: str(f, "name"),
        artifactLocation: optionalStr(f, "artifact_location"),
        tags: tagsOf(f.tags),
      });
      return { experiment_id: experimentId };
    },
  },
  {
    method: "GET",
    path: "/mlflow/experiments/get",
    fields: { experiment_id: required("string") },
    async handler(f, { tracking }) {
      return { experiment: experimentToWire(await tracking.getExperiment(str(f, "experiment_id"))) };
    },
  },
  {
    method: "GET",
    path: "/mlflow/experiments/get-by-name",
    fields: { experiment_name: required("string") },
    async handler(f, { tracking }) {
      return { experiment: experimentToWire(await tracking.getExperimentByName(str(f, "experiment_name"))) };
    },
  },
  { method: ["GET", "POST"], path: "/mlflow/experiments/search", fields: SEARCH_EXPERIMENT_FIELDS, handler: searchExperiments },
  // MLflow 1.x's listing endpoint; older clients (the npm `mlflow` package among them) still call it.
  { method: "GET", path: "/mlflow/experiments/list", fields: SEARCH_EXPERIMENT_FIELDS, handler: searchExperiments },
  {
    method: "POST",
    path: "/mlflow/experiments/update",
    fields: { experiment_id: required("string"), new_name: "string" },
    async handler(f, { tracking }) {
      const newName = optionalStr(f, "new_name");
      if (newName !== undefined) await tracking.renameExperiment(str(f, "experiment_id"), newName);
      else await tracking.getExperiment(str(f, "experiment_id"));
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/experiments/delete",
    fields: { experiment_id: required("string") },
    async handler(f, { tracking }) {
      await tracking.deleteExperiment(str(f, "experiment_id"));
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/experiments/restore",
    fields: { experiment_id: required("string") },
    async handler(f, { tracking }) {
      await tracking.restoreExperiment(str(f, "experiment_id"));
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/experiments/set-experiment-tag",
    fields: { experiment_id: required("string"), key: required("string"), value: required("string") },
    async handler(f, { tracking }) {
      await tracking.setExperimentTag(str(f, "experiment_id"), { key: str(f, "key"), value: str(f, "value") });
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/experiments/delete-experiment-tag",
    fields: { experiment_id: required("string"), key: required("string") },
    async handler(f, { tracking }) {
      await tracking.deleteExperimentTag(str(f, "experiment_id"), str(f, "key"));
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/runs/create",
    fields: { experiment_id: "string", user_id: "string", run_name: "string", start_time: "int64", tags: TAG },
    async handler(f, { tracking }) {
      const run = await tracking.createRun({
        experimentId: optionalStr(f, "experiment_id") ?? "0",
        userId: optionalStr(f, "user_id"),
        runName: optionalStr(f, "run_name"),
        startTime: int64FromWire(f.start_time, "start_time"),
        tags: tagsOf(f.tags),
      });
      return { run: runToWire(run) };
    },
  },
  {
    method: "GET",
    path: "/mlflow/runs/get",
    fields: RUN_ID_FIELDS,
    async handler(f, { tracking }) {
      return { run: runToWire(await tracking.getRun(runIdOf(f))) };
    },
  },
  {
    method: "POST",
    path: "/mlflow/runs/update",
    fields: { ...RUN_ID_FIELDS, status: { enum: ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] }, end_time: "int64", run_name: "string" },
    async handler(f, { tracking }) {
      const status = typeof f.status === "number" ? (["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const)[f.status - 1] : f.status;
      if (f.status !== undefined && status === undefined) throw invalidParameter(`invalid run status ${JSON.stringify(f.status)}`);
      const info = await tracking.updateRun({
        runId: runIdOf(f),
        status: status as "RUNNING" | undefined,
        endTime: int64FromWire(f.end_time, "end_time"),
        runName: optionalStr(f, "run_name"),
      });
      return { run_info: runInfoToWire(info) };
    },
  },
  {
    method: "POST",
    path: "/mlflow/runs/delete",
    fields: { run_id: required("string") },
    async handler(f, { tracking }) {
      await tracking.deleteRun(str(f, "run_id"));
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/runs/restore",
    fields: { run_id: required("string") },
    async handler(f, { tracking }) {
      await tracking.restoreRun(str(f, "run_id"));
      return {};
    },
  },
  {
    method: ["POST", "GET"],
    path: "/mlflow/runs/search",
    fields: { experiment_ids: "string[]", filter: "string", run_view_type: VIEW, max_results: "int64", order_by: "string[]", page_token: "string" },
    async handler(f, { tracking }) {
      const page = await tracking.searchRuns({
        experimentIds: (f.experiment_ids as string[] | undefined) ?? [],
        filter: optionalStr(f, "filter"),
        viewType: viewTypeFromWire(f.run_view_type, "run_view_type"),
        maxResults: maxResultsOf(f),
        orderBy: orderByOf(f.order_by),
        pageToken: optionalStr(f, "page_token"),
      });
      return withPageToken({ runs: page.items.map(runToWire) }, page.nextPageToken);
    },
  },
  {
    method: "POST",
    path: "/mlflow/runs/log-metric",
    fields: { ...RUN_ID_FIELDS, key: required("string"), value: required("number-or-special"), timestamp: required("int64"), step: "int64" },
    async handler(f, { tracking }) {
      const metric = metricOf(f as { key: string; value: unknown; timestamp: unknown; step?: unknown });
      await tracking.logBatch({ runId: runIdOf(f), metrics: [metric] });
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/runs/log-parameter",
    fields: { ...RUN_ID_FIELDS, key: required("string"), value: required("string") },
    async handler(f, { tracking }) {
      await tracking.logBatch({ runId: runIdOf(f), params: [{ key: str(f, "key"), value: str(f, "value") }] });
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/runs/set-tag",
    fields: { ...RUN_ID_FIELDS, key: required("string"), value: required("string") },
    async handler(f, { tracking }) {
      await tracking.logBatch({ runId: runIdOf(f), tags: [{ key: str(f, "key"), value: str(f, "value") }] });
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/runs/delete-tag",
    fields: { run_id: required("string"), key: required("string") },
    async handler(f, { tracking }) {
      await tracking.deleteTag(str(f, "run_id"), str(f, "key"));
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/runs/log-batch",
    bodyLimit: LIMITS.maxBatchBodyBytes,
    fields: { run_id: required("string"), metrics: METRIC, params: PARAM, tags: TAG },
    async handler(f, { tracking }) {
      const metrics = ((f.metrics as Parameters<typeof metricOf>[0][] | undefined) ?? []).map(metricOf);
      await tracking.logBatch({
        runId: str(f, "run_id"),
        metrics,
        params: (f.params as Param[] | undefined) ?? [],
        tags: tagsOf(f.tags),
      });
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/runs/log-inputs",
    fields: {
      run_id: required("string"),
      datasets: {
        objects: {
          tags: TAG,
          dataset: required({
            object: {
              name: required("string"),
              digest: required("string"),
              source_type: required("string"),
              source: required("string"),
              schema: "string",
              profile: "string",
            },
          }),
        },
      },
    },
    async handler(f, { tracking }) {
      const datasets = ((f.datasets as { tags?: Tag[]; dataset: Record<string, unknown> }[] | undefined) ?? []).map((d) => ({
        tags: tagsOf(d.tags),
        dataset: {
          name: d.dataset.name as string,
          digest: d.dataset.digest as string,
          sourceType: d.dataset.source_type as string,
          source: d.dataset.source as string,
          ...(typeof d.dataset.schema === "string" ? { schema: d.dataset.schema } : {}),
          ...(typeof d.dataset.profile === "string" ? { profile: d.dataset.profile } : {}),
        },
      }));
      await tracking.logInputs(str(f, "run_id"), datasets);
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/runs/log-model",
    fields: { run_id: required("string"), model_json: required("string") },
    async handler(f, { tracking }) {
      let model: unknown;
      try {
        model = JSON.parse(str(f, "model_json"));
      } catch {
        throw invalidParameter("model_json must be a JSON document describing the logged model");
      }
      const run = await tracking.getRun(str(f, "run_id"));
      const key = "mlflow.log-model.history";
      const previous = run.data.tags.find((t) => t.key === key)?.value;
      const history: unknown[] = previous ? (JSON.parse(previous) as unknown[]) : [];
      history.push(model);
      await tracking.logBatch({ runId: run.info.runId, tags: [{ key, value: JSON.stringify(history) }] });
      return {};
    },
  },
  {
    method: "GET",
    path: "/mlflow/metrics/get-history",
    fields: { ...RUN_ID_FIELDS, metric_key: required("string"), max_results: "int64", page_token: "string" },
    async handler(f, { tracking }) {
      const page = await tracking.getMetricHistory({
        runId: runIdOf(f),
        key: str(f, "metric_key"),
        maxResults: int64FromWire(f.max_results, "max_results"),
        pageToken: optionalStr(f, "page_token"),
      });
      if (page.items.length > STREAMED_HISTORY_POINTS) return metricsJsonStream(page.items, page.nextPageToken);
      return withPageToken({ metrics: metricsToWire(page.items) }, page.nextPageToken);
    },
  },
  {
    method: "GET",
    path: "/mlflow/metrics/get-history-bulk-interval",
    fields: { run_ids: required("string[]"), metric_key: required("string"), start_step: "int64", end_step: "int64", max_results: "int64" },
    async handler(f, { tracking }) {
      const metrics = await tracking.getMetricHistoryBulkInterval({
        runIds: stringsOf(f.run_ids),
        key: str(f, "metric_key"),
        startStep: int64FromWire(f.start_step, "start_step"),
        endStep: int64FromWire(f.end_step, "end_step"),
        maxResults: int64FromWire(f.max_results, "max_results"),
      });
      return { metrics: metricsWithRunIdToWire(metrics) };
    },
  },
];
