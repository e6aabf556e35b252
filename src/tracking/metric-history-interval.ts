import { invalidParameter } from "../core/errors.js";
import type { MetricColumns } from "./metric-chunks.js";
import type { SqlContext } from "./sql-context.js";
import { columnsCache, lowerBound, readStepRange, stepExtents } from "./sql-metric-ranges.js";
import { runRow } from "./sql-runs.js";
import type { MetricHistoryIntervalInput } from "./tracking-store.js";
import type { MetricWithRunId } from "./types.js";
import { validateKey } from "./validation.js";

/** MLflow's limits for GetMetricHistoryBulkInterval (mlflow/server/handlers.py). */
export const INTERVAL_LIMITS = { maxRuns: 100, maxResults: 2500, maxPointsPerRun: 25_000 } as const;

/**
 * MLflow's step sampling: `allSteps` (ascending, distinct) within [start, end] is kept whole when it has at
 * most `maxResults` steps, else `maxResults` steps at even index intervals plus the range's last step.
 * MLflow compares the index against the range's length instead of its end, dropping samples when the range
 * does not start at the first step; Keel samples the whole range.
 */
export function sampleSteps(allSteps: Float64Array, start: number, end: number, maxResults: number): Float64Array {
  const lo = lowerBound(allSteps, start);
  const hi = lowerBound(allSteps, end + 1, lo);
  const count = hi - lo;
  if (count <= maxResults) return allSteps.slice(lo, hi);
  const interval = count / maxResults;
  const sampled = new Float64Array(maxResults + 1);
  for (let i = 0; i < maxResults; i++) sampled[i] = allSteps[lo + Math.floor(i * interval)];
  sampled[maxResults] = allSteps[hi - 1];
  return sampled;
}

/** Ascending distinct values of two ascending arrays (either may repeat values), in one linear merge. */
export function mergeSteps(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (n === 0 || out[n - 1] !== v) out[n++] = v;
  }
  return out.subarray(0, n);
}

function validateInput(input: MetricHistoryIntervalInput): { key: string; maxResults: number } {
  const count = input.runIds.length;
  if (count === 0) throw invalidParameter("GetMetricHistoryBulkInterval request must specify at least one run_id in run_ids.");
  if (count > INTERVAL_LIMITS.maxRuns) {
    throw invalidParameter(`GetMetricHistoryBulkInterval request must specify at most ${INTERVAL_LIMITS.maxRuns} run_ids. Received ${count} run_ids.`);
  }
  const maxResults = input.maxResults ?? INTERVAL_LIMITS.maxResults;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > INTERVAL_LIMITS.maxResults) {
    throw invalidParameter(`max_results must be between 1 and ${INTERVAL_LIMITS.maxResults}, got ${String(input.maxResults)}.`);
  }
  if ((input.startStep === undefined) !== (input.endStep === undefined)) {
    throw invalidParameter("If either start_step or end_step is specified, both must be specified.");
  }
  if (input.startStep !== undefined && input.endStep !== undefined && input.startStep > input.endStep) {
    throw invalidParameter(`end_step must be greater than start_step. Found start_step=${input.startStep} and end_step=${input.endStep}.`);
  }
  return { key: validateKey("metric", input.key), maxResults };
}

/** Every point of `columns` at one of the ascending `steps`, at most `limit` of them, in column order. */
function pointsAtSteps(columns: MetricColumns, steps: Float64Array, limit: number, emit: (i: number) => void): void {
  let i = 0;
  let emitted = 0;
  for (let s = 0; s < steps.length && emitted < limit; s++) {
    i = lowerBound(columns.steps, steps[s], i, columns.length);
    for (; i < columns.length && columns.steps[i] === steps[s] && emitted < limit; i++, emitted++) emit(i);
  }
}

/**
 * MLflow's GetMetricHistoryBulkInterval over chunked histories. Chunk metadata gives each run's first and
 * last step and the default range; only chunks overlapping the range are decoded.
 */
export async function getMetricHistoryBulkInterval(ctx: SqlContext, input: MetricHistoryIntervalInput): Promise<MetricWithRunId[]> {
  const { key, maxResults } = validateInput(input);
  for (const runId of new Set(input.runIds)) await runRow(ctx, runId);
  const extents = await stepExtents(ctx, input.runIds, key);
  if (extents.size === 0) return [];
  let lastStep = -Infinity;
  for (const e of extents.values()) lastStep = Math.max(lastStep, e.maxStep);
  // MLflow's default range starts at step 0, so negative steps only come back when asked for.
  const range = { start: input.startStep ?? 0, end: input.endStep ?? Math.max(lastStep, 0) };

  // Pass 1: the union of the runs' steps in range; pass 2 (below) reads again what the cache could not keep.
  const cache = columnsCache();
  let union: Float64Array = new Float64Array(0);
  for (const runId of new Set(input.runIds)) {
    if (!extents.has(runId)) continue;
    const columns = await readStepRange(ctx, runId, key, range);
    union = mergeSteps(union, columns.steps);
    cache.keep(runId, columns);
  }
  const ends: number[] = [];
  for (const e of extents.values()) {
    for (const step of [e.minStep, e.maxStep]) if (step >= range.start && step <= range.end) ends.push(step);
  }
  const steps = mergeSteps(sampleSteps(union, range.start, range.end, maxResults), Float64Array.from(ends).sort());

  const metrics: MetricWithRunId[] = [];
  for (const runId of input.runIds) {
    if (!extents.has(runId)) continue;
    const columns = cache.get(runId) ?? (await readStepRange(ctx, runId, key, range));
    pointsAtSteps(columns, steps, INTERVAL_LIMITS.maxPointsPerRun, (i) => {
      metrics.push({ runId, key, value: columns.values[i], timestamp: columns.timestamps[i], step: columns.steps[i] });
    });
  }
  return metrics;
}
