import { invalidParameter } from "../core/errors.js";
import type { PageLimits } from "../store/page-token.js";
import type { DatasetInput, Metric, Param, Tag } from "./types.js";

/** MLflow's limits (mlflow/utils/validation.py). */
export const LIMITS = {
  maxMetricsPerBatch: 1000,
  maxParamsPerBatch: 100,
  maxTagsPerBatch: 100,
  maxEntitiesPerBatch: 1000,
  maxBatchBodyBytes: 1_000_000,
  maxKeyLength: 250,
  maxParamValueLength: 6000,
  maxRunTagValueLength: 8000,
  maxExperimentTagValueLength: 5000,
  maxExperimentNameLength: 500,
  maxRunNameLength: 250,
  maxDatasetsPerBatch: 1000,
  maxDatasetNameLength: 500,
  maxDatasetDigestLength: 36,
  maxInputTagKeyLength: 255,
  maxInputTagValueLength: 500,
  maxSearchResults: 50_000,
  defaultSearchResults: 1000,
  maxHistoryPage: 25_000,
} as const;

/** max_results of search-runs and search-experiments: 1000 by default, at most 50,000. */
export const SEARCH_PAGE_LIMITS: PageLimits = { defaultSize: LIMITS.defaultSearchResults, maxSize: LIMITS.maxSearchResults };

const KEY_PATTERN = /^[/\w.\- :]*$/;
const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID_PATTERN = /^[0-9]{1,19}$/;

/**
 * A metric, param or tag key: MLflow's character set, and equal to its own normalised path so that a key
 * can never name a file outside its run's directory when a file-based consumer writes it out.
 */
export function validateKey(kind: "metric" | "param" | "tag", key: unknown): string {
  if (typeof key !== "string" || key.length === 0) {
    throw invalidParameter(`${kind} key must be a non-empty string, got ${JSON.stringify(key)}`);
  }
  if (key.length > LIMITS.maxKeyLength) {
    throw invalidParameter(`${kind} key '${key.slice(0, 40)}...' has ${key.length} characters; the limit is ${LIMITS.maxKeyLength}`);
  }
  if (!KEY_PATTERN.test(key)) {
    throw invalidParameter(
      `invalid ${kind} name '${key}': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/)`,
    );
  }
  if (!isNormalisedPath(key)) {
    throw invalidParameter(`invalid ${kind} name '${key}': names may not contain '..', '.', '//' segments or start with '/'`);
  }
  return key;
}

function isNormalisedPath(key: string): boolean {
  if (key.startsWith("/")) return false;
  return key.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

export function validateRunId(runId: unknown): string {
  if (typeof runId !== "string" || !RUN_ID_PATTERN.test(runId)) {
    throw invalidParameter(`invalid run id ${JSON.stringify(runId)}; run ids are 32 hexadecimal characters, as returned by runs/create`);
  }
  return runId;
}

export function validateExperimentId(experimentId: unknown): string {
  if (typeof experimentId !== "string" || !EXPERIMENT_ID_PATTERN.test(experimentId)) {
    throw invalidParameter(`invalid experiment id ${JSON.stringify(experimentId)}; experiment ids are numeric strings such as "0"`);
  }
  return experimentId;
}

export function validateExperimentName(name: unknown): string {
  if (typeof name !== "string" || name.trim() === "") {
    throw invalidParameter("experiment name must be a non-empty string");
  }
  if (name.length > LIMITS.maxExperimentNameLength) {
    throw invalidParameter(`experiment name has ${name.length} characters; the limit is ${LIMITS.maxExperimentNameLength}`);
  }
  return name;
}

export function validateRunName(name: string): string {
  if (name.length > LIMITS.maxRunNameLength) {
    throw invalidParameter(`run name has ${name.length} characters; the limit is ${LIMITS.maxRunNameLength}`);
  }
  return name;
}

function validateTimestampLike(what: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw invalidParameter(`${what} must be an integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function validateMetric(metric: Metric): Metric {
  validateKey("metric", metric.key);
  if (typeof metric.value !== "number") {
    throw invalidParameter(`metric '${metric.key}' has value ${JSON.stringify(metric.value)}; metric values must be numbers`);
  }
  const timestamp = validateTimestampLike(`timestamp of metric '${metric.key}'`, metric.timestamp);
  if (timestamp < 0) throw invalidParameter(`timestamp of metric '${metric.key}' must be >= 0, got ${timestamp}`);
  validateTimestampLike(`step of metric '${metric.key}'`, metric.step);
  return metric;
}

export function validateParam(param: Param): Param {
  validateKey("param", param.key);
  if (typeof param.value !== "string") {
    throw invalidParameter(`param '${param.key}' must have a string value, got ${JSON.stringify(param.value)}`);
  }
  if (param.value.length > LIMITS.maxParamValueLength) {
    throw invalidParameter(
      `param '${param.key}' has a value of ${param.value.length} characters; the limit is ${LIMITS.maxParamValueLength}`,
    );
  }
  return param;
}

export function validateTag(tag: Tag, maxValueLength: number = LIMITS.maxRunTagValueLength): Tag {
  validateKey("tag", tag.key);
  if (typeof tag.value !== "string") {
    throw invalidParameter(`tag '${tag.key}' must have a string value, got ${JSON.stringify(tag.value)}`);
  }
  if (tag.value.length > maxValueLength) {
    throw invalidParameter(`tag '${tag.key}' has a value of ${tag.value.length} characters; the limit is ${maxValueLength}`);
  }
  return tag;
}

/** The per-request limits of log-batch; duplicate param keys in one batch are refused as MLflow does. */
export function validateBatchSizes(metrics: number, params: readonly Param[], tags: number): void {
  if (metrics > LIMITS.maxMetricsPerBatch) {
    throw invalidParameter(`a batch may hold at most ${LIMITS.maxMetricsPerBatch} metrics, got ${metrics}; split it into several log-batch calls`);
  }
  if (params.length > LIMITS.maxParamsPerBatch) {
    throw invalidParameter(`a batch may hold at most ${LIMITS.maxParamsPerBatch} params, got ${params.length}; split it into several log-batch calls`);
  }
  if (tags > LIMITS.maxTagsPerBatch) {
    throw invalidParameter(`a batch may hold at most ${LIMITS.maxTagsPerBatch} tags, got ${tags}; split it into several log-batch calls`);
  }
  const total = metrics + params.length + tags;
  if (total > LIMITS.maxEntitiesPerBatch) {
    throw invalidParameter(`a batch may hold at most ${LIMITS.maxEntitiesPerBatch} metrics, params and tags in all, got ${total}`);
  }
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.key)) throw invalidParameter(`duplicate param key '${p.key}' in one batch; log each param once`);
    seen.add(p.key);
  }
}

export function validateDatasetInputs(datasets: readonly DatasetInput[]): void {
  if (datasets.length > LIMITS.maxDatasetsPerBatch) {
    throw invalidParameter(`at most ${LIMITS.maxDatasetsPerBatch} datasets per log-inputs call, got ${datasets.length}`);
  }
  for (const input of datasets) {
    const d = input.dataset;
    for (const [field, value] of [["name", d.name], ["digest", d.digest], ["source_type", d.sourceType], ["source", d.source]] as const) {
      if (typeof value !== "string" || value === "") throw invalidParameter(`dataset ${field} must be a non-empty string`);
    }
    if (d.name.length > LIMITS.maxDatasetNameLength) {
      throw invalidParameter(`dataset name has ${d.name.length} characters; the limit is ${LIMITS.maxDatasetNameLength}`);
    }
    if (d.digest.length > LIMITS.maxDatasetDigestLength) {
      throw invalidParameter(`dataset digest has ${d.digest.length} characters; the limit is ${LIMITS.maxDatasetDigestLength}`);
    }
    for (const tag of input.tags) {
      if (typeof tag.key !== "string" || tag.key === "" || tag.key.length > LIMITS.maxInputTagKeyLength) {
        throw invalidParameter(`input tag key must be 1..${LIMITS.maxInputTagKeyLength} characters`);
      }
      if (typeof tag.value !== "string" || tag.value.length > LIMITS.maxInputTagValueLength) {
        throw invalidParameter(`input tag '${tag.key}' value must be a string of at most ${LIMITS.maxInputTagValueLength} characters`);
      }
    }
  }
}
