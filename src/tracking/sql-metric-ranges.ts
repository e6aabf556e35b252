import type { MetricColumns } from "./metric-chunks.js";
import { decodeChunks } from "./metric-chunks.js";
import type { SqlContext } from "./sql-context.js";

/** Inclusive step bounds. */
export interface StepRange {
  readonly start: number;
  readonly end: number;
}

/** A run's smallest and largest logged step of one key, from chunk metadata alone. */
export interface StepExtent {
  readonly minStep: number;
  readonly maxStep: number;
}

/**
 * Each run's step extent for `key`, read from the chunks' min_step/max_step columns without touching a
 * point. Runs with no point of the key are absent from the map.
 */
export async function stepExtents(ctx: SqlContext, runIds: readonly string[], key: string): Promise<Map<string, StepExtent>> {
  const rows = await ctx.db
    .selectFrom("metric_chunks")
    .select((eb) => ["run_id", eb.fn.min("min_step").as("min_step"), eb.fn.max("max_step").as("max_step")])
    .where("key", "=", key)
    .where("run_id", "in", [...runIds])
    .groupBy("run_id")
    .execute();
  return new Map(rows.map((r) => [r.run_id, { minStep: Number(r.min_step), maxStep: Number(r.max_step) }]));
}

/**
 * Points of one key as sorted columns, decoding only the chunks that can hold a step inside `range`
 * (all chunks without one). Points of those chunks outside the range are trimmed away.
 */
export async function readStepRange(ctx: SqlContext, runId: string, key: string, range?: StepRange): Promise<MetricColumns> {
  let query = ctx.db.selectFrom("metric_chunks").select("data").where("run_id", "=", runId).where("key", "=", key);
  if (range) query = query.where("max_step", ">=", range.start).where("min_step", "<=", range.end);
  const columns = decodeChunks((await query.execute()).map((r) => r.data));
  if (!range) return columns;
  const lo = lowerBound(columns.steps, range.start, 0, columns.length);
  const hi = lowerBound(columns.steps, range.end + 1, lo, columns.length);
  if (lo === 0 && hi === columns.length) return columns;
  return {
    steps: columns.steps.subarray(lo, hi),
    timestamps: columns.timestamps.subarray(lo, hi),
    values: columns.values.subarray(lo, hi),
    length: hi - lo,
  };
}

/** First index in [lo, hi) of ascending `sorted` whose value is >= `target`. */
export function lowerBound(sorted: Float64Array, target: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Decoded columns kept in memory between two passes over a request's runs, about 100 MB; runs beyond it are
 * read again in the second pass, so a request over 100 runs of a million steps never holds them all at once.
 */
export const CACHED_POINTS_BUDGET = 4_000_000;

/** Caches columns while they fit in CACHED_POINTS_BUDGET. */
export function columnsCache(): { keep(runId: string, columns: MetricColumns): void; get(runId: string): MetricColumns | undefined } {
  const cached = new Map<string, MetricColumns>();
  let points = 0;
  return {
    keep(runId, columns) {
      if (points + columns.length > CACHED_POINTS_BUDGET) return;
      points += columns.length;
      cached.set(runId, columns);
    },
    get: (runId) => cached.get(runId),
  };
}
