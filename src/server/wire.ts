import type { Experiment, Metric, MetricWithRunId, Run, RunInfo, Tag, ViewType } from "../tracking/types.js";
import { VIEW_TYPES } from "../tracking/types.js";
import { Readable } from "node:stream";
import { invalidParameter } from "../core/errors.js";
import { metricValueFromWireOrUndefined, metricValueToWire } from "../core/metric-wire.js";

/** MLflow's JSON shapes (snake_case, as its protobuf messages serialise). Only server mappers use them. */

export function metricValueFromWire(value: unknown): number {
  const n = metricValueFromWireOrUndefined(value);
  if (n === undefined) throw invalidParameter(`metric value ${JSON.stringify(value)} is not a number`);
  return n;
}

export function int64FromWire(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw invalidParameter(`${field} must be an integer, got ${JSON.stringify(value)}`);
  return n;
}

export function viewTypeFromWire(value: unknown, field: string): ViewType | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "number" && value >= 1 && value <= 3) return VIEW_TYPES[value - 1];
  if (typeof value === "string" && (VIEW_TYPES as readonly string[]).includes(value.toUpperCase())) return value.toUpperCase() as ViewType;
  throw invalidParameter(`${field} must be one of ${VIEW_TYPES.join(", ")}, got ${JSON.stringify(value)}`);
}

export function tagsToWire(tags: readonly Tag[]): { key: string; value: string }[] {
  return tags.map((t) => ({ key: t.key, value: t.value }));
}

export function experimentToWire(e: Experiment): Record<string, unknown> {
  return {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: tagsToWire(e.tags),
  };
}

export function runInfoToWire(info: RunInfo): Record<string, unknown> {
  return {
    run_id: info.runId,
    run_uuid: info.runId,
    run_name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    ...(info.endTime !== null ? { end_time: info.endTime } : {}),
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
  };
}

export function metricToWire(m: Metric): Record<string, unknown> {
  return { key: m.key, value: metricValueToWire(m.value), timestamp: m.timestamp, step: m.step };
}

/**
 * Metrics as the wire wants them. Store metrics already have the wire shape; only NaN and the infinities
 * need rewriting, and skipping the copy matters for histories of a million points.
 */
export function metricsToWire(metrics: readonly Metric[]): readonly unknown[] {
  return metrics.every((m) => Number.isFinite(m.value)) ? metrics : metrics.map(metricToWire);
}

/** MLflow's MetricWithRunId messages, as get-history-bulk-interval answers them. */
export function metricsWithRunIdToWire(metrics: readonly MetricWithRunId[]): Record<string, unknown>[] {
  return metrics.map((m) => ({ key: m.key, value: metricValueToWire(m.value), timestamp: m.timestamp, step: m.step, run_id: m.runId }));
}

export function runToWire(run: Run): Record<string, unknown> {
  return {
    info: runInfoToWire(run.info),
    data: {
      metrics: run.data.metrics.map(metricToWire),
      params: run.data.params.map((p) => ({ key: p.key, value: p.value })),
      tags: tagsToWire(run.data.tags),
    },
    inputs: {
      dataset_inputs: run.inputs.datasetInputs.map((input) => ({
        tags: tagsToWire(input.tags),
        dataset: {
          name: input.dataset.name,
          digest: input.dataset.digest,
          source_type: input.dataset.sourceType,
          source: input.dataset.source,
          ...(input.dataset.schema !== undefined ? { schema: input.dataset.schema } : {}),
          ...(input.dataset.profile !== undefined ? { profile: input.dataset.profile } : {}),
        },
      })),
    },
  };
}

/** Adds `next_page_token` only when there is a next page, as MLflow does. */
export function withPageToken<T extends Record<string, unknown>>(body: T, token: string | undefined): T {
  return token ? { ...body, next_page_token: token } : body;
}

const STREAM_SLICE = 20_000;

/**
 * `{"metrics": [...]}` for a long history, as a stream of slices: the client starts receiving while the rest
 * is still being serialised, instead of waiting for one 80 MB string of a million points.
 */
export function metricsJsonStream(metrics: readonly Metric[], nextPageToken: string | undefined): Readable {
  function* pieces(): Generator<string> {
    yield '{"metrics":[';
    for (let i = 0; i < metrics.length; i += STREAM_SLICE) {
      const json = JSON.stringify(metricsToWire(metrics.slice(i, i + STREAM_SLICE)));
      yield (i === 0 ? "" : ",") + json.slice(1, -1);
    }
    yield nextPageToken ? `],"next_page_token":${JSON.stringify(nextPageToken)}}` : "]}";
  }
  return Readable.from(pieces(), { objectMode: false });
}
