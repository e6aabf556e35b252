import { invalidParameter } from "../core/errors.js";
import type { MetricColumns } from "./metric-chunks.js";
import type { SqlContext } from "./sql-context.js";
import { columnsCache, readStepRange } from "./sql-metric-ranges.js";
import { runRow } from "./sql-runs.js";
import type { DownsampleAxis, DownsampleInput, DownsampledHistory, DownsampledSeries } from "./tracking-store.js";
import { validateKey } from "./validation.js";

export const DOWNSAMPLE_LIMITS = { maxRuns: 100, maxBuckets: 10_000, defaultBuckets: 1000 } as const;
export const DOWNSAMPLE_AXES: readonly DownsampleAxis[] = ["step", "wall", "relative"];

/**
 * Min/max downsampling per pixel bucket, in one pass over columns. The x range [xMin, xMax] is cut into
 * `buckets` equal buckets; each bucket keeps the point with its smallest and the point with its largest
 * value (NaN values are never an extreme), and the points of smallest and largest x are always kept. A line
 * through the kept points, in x order, covers in every pixel column the same vertical span as a line through
 * all points, so a one-step spike survives while at most 2 × buckets + 2 points are sent.
 *
 * Returns the kept indices in ascending x (ties in index order).
 */
export function downsampleMinMax(x: Float64Array, y: Float64Array, xMin: number, xMax: number, buckets: number): Uint32Array {
  const n = x.length;
  if (n === 0) return new Uint32Array(0);
  const minAt = new Int32Array(buckets).fill(-1);
  const maxAt = new Int32Array(buckets).fill(-1);
  // The extremes' values beside their indices, so the hot loop compares without an indirect read.
  const minV = new Float64Array(buckets);
  const maxV = new Float64Array(buckets);
  const scale = xMax > xMin ? buckets / (xMax - xMin) : 0;
  let first = 0;
  let last = 0;
  let xFirst = x[0];
  let xLast = x[0];
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    if (xi < xFirst) {
      first = i;
      xFirst = xi;
    }
    if (xi >= xLast) {
      last = i;
      xLast = xi;
    }
    const v = y[i];
    if (v !== v) continue; // NaN
    let b = Math.floor((xi - xMin) * scale);
    if (b >= buckets) b = buckets - 1;
    else if (b < 0) b = 0;
    if (minAt[b] < 0 || v < minV[b]) {
      minAt[b] = i;
      minV[b] = v;
    }
    if (maxAt[b] < 0 || v > maxV[b]) {
      maxAt[b] = i;
      maxV[b] = v;
    }
  }
  const kept: number[] = [first];
  for (let b = 0; b < buckets; b++) {
    const lo = minAt[b];
    if (lo < 0) continue;
    const hi = maxAt[b];
    const [a, c] = x[lo] < x[hi] || (x[lo] === x[hi] && lo <= hi) ? [lo, hi] : [hi, lo];
    kept.push(a);
    if (c !== a) kept.push(c);
  }
  kept.push(last);
  // The first and last points sit in the outermost buckets, so only they can be out of place or repeated.
  kept.sort((i, j) => x[i] - x[j] || i - j);
  const out = new Uint32Array(kept.length);
  let m = 0;
  for (const i of kept) if (m === 0 || out[m - 1] !== i) out[m++] = i;
  return out.subarray(0, m);
}

/** The x column of one run's points: steps, UTC ms, or ms since the run's start time. */
export function xColumn(columns: MetricColumns, axis: DownsampleAxis, runStartTime: number): Float64Array {
  if (axis === "step") return columns.steps;
  if (axis === "wall") return columns.timestamps;
  const x = new Float64Array(columns.length);
  for (let i = 0; i < x.length; i++) x[i] = columns.timestamps[i] - runStartTime;
  return x;
}

function validateInput(input: DownsampleInput): { key: string; buckets: number; axis: DownsampleAxis } {
  const count = input.runIds.length;
  if (count === 0 || count > DOWNSAMPLE_LIMITS.maxRuns) {
    throw invalidParameter(`run_id must be given 1 to ${DOWNSAMPLE_LIMITS.maxRuns} times, got ${count}`);
  }
  const buckets = input.buckets ?? DOWNSAMPLE_LIMITS.defaultBuckets;
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > DOWNSAMPLE_LIMITS.maxBuckets) {
    throw invalidParameter(`buckets must be an integer from 1 to ${DOWNSAMPLE_LIMITS.maxBuckets} (about the chart's width in pixels), got ${String(input.buckets)}`);
  }
  const axis = input.axis ?? "step";
  if (!DOWNSAMPLE_AXES.includes(axis)) throw invalidParameter(`x must be one of ${DOWNSAMPLE_AXES.join(", ")}, got '${String(axis)}'`);
  if (input.startStep !== undefined && input.endStep !== undefined && input.startStep > input.endStep) {
    throw invalidParameter(`end_step must not be less than start_step; got start_step=${input.startStep} and end_step=${input.endStep}`);
  }
  return { key: validateKey("metric", input.key), buckets, axis };
}

function extent(x: Float64Array, sortedAscending: boolean): [number, number] {
  if (x.length === 0) return [Infinity, -Infinity];
  if (sortedAscending) return [x[0], x[x.length - 1]];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  return [lo, hi];
}

function pick(column: Float64Array, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = column[indices[k]];
  return out;
}

/**
 * Reads each run's points in the step range (only the chunks that overlap it), then buckets all runs over
 * one shared x range so that the series of one chart line up pixel for pixel.
 */
export async function downsampleMetricHistory(ctx: SqlContext, input: DownsampleInput): Promise<DownsampledHistory> {
  const { key, buckets, axis } = validateInput(input);
  const range =
    input.startStep !== undefined || input.endStep !== undefined
      ? { start: input.startStep ?? Number.MIN_SAFE_INTEGER, end: input.endStep ?? Number.MAX_SAFE_INTEGER }
      : undefined;
  // Pass 1 finds the shared x range; pass 2 buckets, reading again the runs the cache could not keep.
  const cache = columnsCache();
  const startTimes = new Map<string, number>();
  let xMin = Infinity;
  let xMax = -Infinity;
  for (const runId of input.runIds) {
    startTimes.set(runId, Number((await runRow(ctx, runId)).start_time));
  }
  for (const runId of new Set(input.runIds)) {
    const columns = await readStepRange(ctx, runId, key, range);
    const [lo, hi] = extent(xColumn(columns, axis, startTimes.get(runId) ?? 0), axis === "step");
    xMin = Math.min(xMin, lo);
    xMax = Math.max(xMax, hi);
    cache.keep(runId, columns);
  }
  const series: DownsampledSeries[] = [];
  for (const runId of input.runIds) {
    const columns = cache.get(runId) ?? (await readStepRange(ctx, runId, key, range));
    const x = xColumn(columns, axis, startTimes.get(runId) ?? 0);
    const kept = downsampleMinMax(x, columns.values, xMin, xMax, buckets);
    series.push({ runId, rangePoints: columns.length, x: pick(x, kept), y: pick(columns.values, kept), steps: pick(columns.steps, kept) });
  }
  const any = xMin <= xMax;
  return { key, axis, buckets, xMin: any ? xMin : NaN, xMax: any ? xMax : NaN, series };
}
