import { artifactProxyPath } from "./artifact-paths.js";
import type { HttpTransport, HttpTransportOptions } from "./http-transport.js";
import { createHttpTransport } from "./http-transport.js";
import { metricFromWire, metricToWire, runFromWire } from "./metric-wire.js";
import { resolveTrackingUri } from "./tracking-uri.js";
import type {
  ArtifactLocation,
  CreateExperimentRequest,
  CreateRunRequest,
  DeleteExperimentTagRequest,
  DeleteTagRequest,
  Experiment,
  GetMetricHistoryRequest,
  GetMetricHistoryResponse,
  ListArtifactsRequest,
  ListArtifactsResponse,
  LogBatchRequest,
  LogInputsRequest,
  LogMetricRequest,
  LogParamRequest,
  Metric,
  Run,
  RunInfo,
  SearchExperimentsRequest,
  SearchExperimentsResponse,
  SearchRunsRequest,
  SearchRunsResponse,
  SetExperimentTagRequest,
  SetTagRequest,
  UpdateExperimentRequest,
  UpdateRunRequest,
} from "./wire-types.js";

const API = "/api/2.0/mlflow";
const ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts";

export interface TrackingClientOptions extends Partial<Omit<HttpTransportOptions, "trackingUri">> {
  /** Default: KEEL_TRACKING_URI, then MLFLOW_TRACKING_URI, then http://127.0.0.1:5000. */
  readonly trackingUri?: string;
}

export interface PageOptions {
  /** Follow `next_page_token` until the last page and return every item. */
  readonly allPages?: boolean;
}

/** Bytes to upload: a buffer, a string (UTF-8), or a stream (sent chunked). */
export type ArtifactBody = Uint8Array | string | ReadableStream<Uint8Array>;

/**
 * One method per MLflow REST endpoint, with MLflow's field names. Every method throws a KeelError carrying
 * the server's error code (RESOURCE_DOES_NOT_EXIST for an unknown id, INVALID_PARAMETER_VALUE for input the
 * server refuses), or TEMPORARILY_UNAVAILABLE when the server cannot be reached. Times are UTC milliseconds.
 */
export interface TrackingClient {
  readonly trackingUri: string;
  /** Returns the new experiment's id; RESOURCE_ALREADY_EXISTS if the name is taken (deleted ones included). */
  createExperiment(request: CreateExperimentRequest): Promise<string>;
  getExperiment(request: { experiment_id: string }): Promise<Experiment>;
  /** Finds deleted experiments too (their `lifecycle_stage` says so). */
  getExperimentByName(request: { experiment_name: string }): Promise<Experiment>;
  searchExperiments(request?: SearchExperimentsRequest, options?: PageOptions): Promise<SearchExperimentsResponse>;
  updateExperiment(request: UpdateExperimentRequest): Promise<void>;
  deleteExperiment(request: { experiment_id: string }): Promise<void>;
  restoreExperiment(request: { experiment_id: string }): Promise<void>;
  setExperimentTag(request: SetExperimentTagRequest): Promise<void>;
  deleteExperimentTag(request: DeleteExperimentTagRequest): Promise<void>;
  createRun(request: CreateRunRequest): Promise<Run>;
  getRun(request: { run_id: string }): Promise<Run>;
  updateRun(request: UpdateRunRequest): Promise<RunInfo>;
  deleteRun(request: { run_id: string }): Promise<void>;
  restoreRun(request: { run_id: string }): Promise<void>;
  /** Default order: start_time DESC, then run id. */
  searchRuns(request: SearchRunsRequest, options?: PageOptions): Promise<SearchRunsResponse>;
  logMetric(request: LogMetricRequest): Promise<void>;
  /** Logging a param again with another value fails with INVALID_PARAMETER_VALUE; the same value is a no-op. */
  logParam(request: LogParamRequest): Promise<void>;
  setTag(request: SetTagRequest): Promise<void>;
  deleteTag(request: DeleteTagRequest): Promise<void>;
  /** All or nothing; the request must respect MLflow's limits (see `splitBatch` for larger sets). */
  logBatch(request: LogBatchRequest): Promise<void>;
  logInputs(request: LogInputsRequest): Promise<void>;
  /**
   * MLflow's `runs/log-model`: appends `model_json` (a logged model's MLmodel as JSON) to the run's
   * `mlflow.log-model.history` tag. RESOURCE_DOES_NOT_EXIST for an unknown run.
   */
  recordLoggedModel(request: { run_id: string; model_json: string }): Promise<void>;
  /** Points ordered by step, then timestamp; one page unless `allPages`. */
  getMetricHistory(request: GetMetricHistoryRequest, options?: PageOptions): Promise<GetMetricHistoryResponse>;
  /** Direct children of a directory of the run's artifacts, paths relative to the run's artifact root. */
  listArtifacts(request: ListArtifactsRequest, options?: PageOptions): Promise<ListArtifactsResponse>;
  /** PUTs one file through the server's artifact proxy; the run's artifact URI must be `mlflow-artifacts:`. */
  uploadArtifact(request: ArtifactLocation & { body: ArtifactBody }): Promise<void>;
  /** The whole file in memory; see `downloadArtifactStream` for large files. */
  downloadArtifact(request: ArtifactLocation): Promise<Uint8Array>;
  downloadArtifactStream(request: ArtifactLocation): Promise<ReadableStream<Uint8Array>>;
  /** Resolves with the server's answer ("OK") when it is up. */
  health(): Promise<string>;
}

/**
 * Follows page tokens: calls `fetchPage` with each token until there is no next page or `limit` items
 * were collected. Returns at most `limit` items.
 *
 * @example
 * const runs = await collectPages((page_token) => client.searchRuns({ experiment_ids: ["0"], page_token }).then((r) => ({ items: r.runs, next: r.next_page_token })));
 */
export async function collectPages<T>(
  fetchPage: (pageToken: string | undefined) => Promise<{ items: readonly T[]; next: string | undefined }>,
  limit = Infinity,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    token = page.next;
  } while (token && items.length < limit);
  return items.length > limit ? items.slice(0, limit) : items;
}

function orNext(token: string | undefined): { next_page_token?: string } {
  return token ? { next_page_token: token } : {};
}

/**
 * A low-level client for the tracking server's MLflow REST API 2.0.
 *
 * @example
 * const client = createTrackingClient({ trackingUri: "http://127.0.0.1:5000" });
 * const experimentId = await client.createExperiment({ name: "churn" });
 * const run = await client.createRun({ experiment_id: experimentId, run_name: "rf-v1" });
 * await client.logMetric({ run_id: run.info.run_id, key: "auc", value: 0.91, timestamp: Date.now(), step: 0 });
 */
export function createTrackingClient(options: TrackingClientOptions = {}): TrackingClient {
  const http: HttpTransport = createHttpTransport({ ...options, trackingUri: resolveTrackingUri(options.trackingUri) });
  const post = (path: string, body: unknown) => http.postJson<Record<string, unknown>>(`${API}${path}`, body);

  async function searchExperimentsPage(request: SearchExperimentsRequest): Promise<SearchExperimentsResponse> {
    const body = await http.postJson<Partial<SearchExperimentsResponse>>(`${API}/experiments/search`, request);
    return { experiments: body.experiments ?? [], ...orNext(body.next_page_token) };
  }

  async function searchRunsPage(request: SearchRunsRequest): Promise<SearchRunsResponse> {
    const body = await http.postJson<Partial<SearchRunsResponse>>(`${API}/runs/search`, request);
    return { runs: (body.runs ?? []).map(runFromWire), ...orNext(body.next_page_token) };
  }

  async function historyPage(request: GetMetricHistoryRequest): Promise<GetMetricHistoryResponse> {
    const body = await http.getJson<{ metrics?: Metric[]; next_page_token?: string }>(`${API}/metrics/get-history`, { ...request });
    return { metrics: (body.metrics ?? []).map(metricFromWire), ...orNext(body.next_page_token) };
  }

  async function artifactsPage(request: ListArtifactsRequest): Promise<ListArtifactsResponse> {
    const body = await http.getJson<Partial<ListArtifactsResponse>>(`${API}/artifacts/list`, { ...request });
    return { root_uri: body.root_uri ?? "", files: body.files ?? [], ...orNext(body.next_page_token) };
  }

  return {
    trackingUri: http.trackingUri,
    async createExperiment(request) {
      const body = await post("/experiments/create", request);
      return String(body.experiment_id);
    },
    async getExperiment(request) {
      const body = await http.getJson<{ experiment: Experiment }>(`${API}/experiments/get`, { ...request });
      return body.experiment;
    },
    async getExperimentByName(request) {
      const body = await http.getJson<{ experiment: Experiment }>(`${API}/experiments/get-by-name`, { ...request });
      return body.experiment;
    },
    async searchExperiments(request = {}, { allPages = false } = {}) {
      if (!allPages) return searchExperimentsPage(request);
      const experiments = await collectPages(async (page_token) => {
        const page = await searchExperimentsPage({ ...request, page_token });
        return { items: page.experiments, next: page.next_page_token };
      });
      return { experiments };
    },
    async updateExperiment(request) {
      await post("/experiments/update", request);
    },
    async deleteExperiment(request) {
      await post("/experiments/delete", request);
    },
    async restoreExperiment(request) {
      await post("/experiments/restore", request);
    },
    async setExperimentTag(request) {
      await post("/experiments/set-experiment-tag", request);
    },
    async deleteExperimentTag(request) {
      await post("/experiments/delete-experiment-tag", request);
    },
    async createRun(request) {
      const body = await post("/runs/create", request);
      return runFromWire(body.run as Run);
    },
    async getRun(request) {
      const body = await http.getJson<{ run: Run }>(`${API}/runs/get`, { ...request });
      return runFromWire(body.run);
    },
    async updateRun(request) {
      const body = await post("/runs/update", request);
      return body.run_info as RunInfo;
    },
    async deleteRun(request) {
      await post("/runs/delete", request);
    },
    async restoreRun(request) {
      await post("/runs/restore", request);
    },
    async searchRuns(request, { allPages = false } = {}) {
      if (!allPages) return searchRunsPage(request);
      const runs = await collectPages(async (page_token) => {
        const page = await searchRunsPage({ ...request, page_token });
        return { items: page.runs, next: page.next_page_token };
      });
      return { runs };
    },
    async logMetric(request) {
      await post("/runs/log-metric", { ...request, ...metricToWire({ ...request, step: request.step ?? 0 }) });
    },
    async logParam(request) {
      await post("/runs/log-parameter", request);
    },
    async setTag(request) {
      await post("/runs/set-tag", request);
    },
    async deleteTag(request) {
      await post("/runs/delete-tag", request);
    },
    async logBatch(request) {
      await post("/runs/log-batch", {
        run_id: request.run_id,
        metrics: (request.metrics ?? []).map(metricToWire),
        params: request.params ?? [],
        tags: request.tags ?? [],
      });
    },
    async logInputs(request) {
      await post("/runs/log-inputs", request);
    },
    async recordLoggedModel(request) {
      await post("/runs/log-model", request);
    },
    async getMetricHistory(request, { allPages = false } = {}) {
      if (!allPages) return historyPage(request);
      const metrics = await collectPages(async (page_token) => {
        const page = await historyPage({ ...request, page_token });
        return { items: page.metrics, next: page.next_page_token };
      });
      return { metrics };
    },
    async listArtifacts(request, { allPages = false } = {}) {
      if (!allPages) return artifactsPage(request);
      let rootUri = "";
      const files = await collectPages(async (page_token) => {
        const page = await artifactsPage({ ...request, page_token });
        rootUri = page.root_uri;
        return { items: page.files, next: page.next_page_token };
      });
      return { root_uri: rootUri, files };
    },
    async uploadArtifact({ artifact_uri, path, body }) {
      await http.send("PUT", `${ARTIFACTS_API}/${artifactProxyPath(artifact_uri, path)}`, {
        body: typeof body === "string" ? new TextEncoder().encode(body) : body,
        headers: { "Content-Type": "application/octet-stream" },
      });
    },
    async downloadArtifact(location) {
      const response = await http.send("GET", `${ARTIFACTS_API}/${artifactProxyPath(location.artifact_uri, location.path)}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    async downloadArtifactStream(location) {
      const response = await http.send("GET", `${ARTIFACTS_API}/${artifactProxyPath(location.artifact_uri, location.path)}`);
      return response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
    },
    async health() {
      const response = await http.send("GET", "/health");
      return (await response.text()).trim();
    },
  };
}
