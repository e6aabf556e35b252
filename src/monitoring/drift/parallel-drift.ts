/**
 * Drift over many columns on several cores: columns go to a pool of worker threads, one column per job, with
 * their values in SharedArrayBuffers (used as they are when the caller's arrays already live in one, copied
 * once otherwise). Results equal the single-threaded functions', in column order.
 */
import { availableParallelism } from "node:os";
import type { Column, Frame } from "../../core/frame.js";
import { KeelError } from "../../core/errors.js";
import type { NumericDriftStatistics, NumericDriftStatisticsOptions, SortedStatTest } from "../stats/numeric-drift-statistics.js";
import type { ColumnDriftInput } from "./column-drift.js";
import { detectDrift, planDrift, summarizeDrift } from "./dataset-drift.js";
import { runDriftJob } from "./drift-job.js";
import type { DriftJob, DriftJobValue } from "./drift-job.js";
import { createDriftPool } from "./drift-pool.js";
import type { DetectDriftOptions, DriftResult } from "./types.js";

/**
 * Values compared (rows of both tables × columns) from which worker threads pay for their startup and for
 * posting text columns: below it one thread tests a million rows × 8 columns in about 0.6 s, which two workers
 * did not beat.
 */
export const PARALLEL_MIN_VALUES = 16_000_000;

export interface ParallelDriftOptions {
  /**
   * Worker threads (default: the cores available, or 1 below PARALLEL_MIN_VALUES values compared); never more
   * than the cores or the columns. 1 runs inline.
   */
  readonly threads?: number;
}

/** One numeric column pair for numericDriftStatisticsParallel. */
export interface NumericColumnPair {
  readonly reference: Float64Array;
  readonly current: Float64Array;
}

function workerCount(threads: number | undefined, jobs: number): number {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `threads must be a whole number >= 1, got ${threads}`);
  }
  const cores = availableParallelism();
  return Math.max(1, Math.min(threads ?? cores, cores, jobs));
}

/**
 * The values in a SharedArrayBuffer, so that posting them to a worker shares rather than copies them: the same
 * array when it already lives in one, else a copy.
 * @example
 * const column = sharedFloat64(frameColumn.values); // keep it to share it with later calls, too
 */
export function sharedFloat64(values: Float64Array): Float64Array {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  const shared = new Float64Array(new SharedArrayBuffer(values.byteLength));
  shared.set(values);
  return shared;
}

function sharedColumn(column: Column): Column {
  return column.kind === "number" ? { ...column, values: sharedFloat64(column.values) } : column;
}

/** Runs the jobs on `threads` workers; the first failure in job order is thrown, as a loop over them would. */
async function runAll<J extends DriftJob>(jobs: readonly (() => J)[], threads: number): Promise<DriftJobValue<J>[]> {
  if (threads <= 1) return jobs.map((job) => runDriftJob(job()));
  const pool = createDriftPool(threads);
  try {
    const settled = await Promise.allSettled(jobs.map(async (job) => pool.run(job())));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<DriftJobValue<J>>).value);
  } finally {
    await pool.close();
  }
}

/**
 * detectDrift() with the columns tested in worker threads: the same DriftResult, or the same error for the
 * same column. Worth it for large tables (worker startup costs tens of milliseconds).
 * @throws KeelError as detectDrift does; INTERNAL_ERROR if a worker dies.
 * @example
 * const drift = await detectDriftParallel(trainFrame, todayFrame, { stattest: "ks", threads: 2 });
 */
export async function detectDriftParallel(
  reference: Frame,
  current: Frame,
  options: DetectDriftOptions & ParallelDriftOptions = {},
): Promise<DriftResult> {
  const plan = planDrift(reference, current, options);
  const small = options.threads === undefined && (reference.rowCount + current.rowCount) * plan.columns.length < PARALLEL_MIN_VALUES;
  const threads = small ? 1 : workerCount(options.threads, plan.columns.length);
  if (threads <= 1) return detectDrift(reference, current, options);
  const jobs = plan.columns.map((name) => () => {
    const input: ColumnDriftInput = plan.input(name);
    return { type: "column" as const, input: { ...input, reference: sharedColumn(input.reference), current: sharedColumn(input.current) } };
  });
  return summarizeDrift(await runAll(jobs, threads), options);
}

/**
 * numericDriftStatistics() for many column pairs at once, spread over worker threads; results in pair order,
 * each equal to numericDriftStatistics() on that pair.
 * @throws KeelError as numericDriftStatistics does for the first failing pair; INTERNAL_ERROR if a worker dies.
 * @example
 * const stats = await numericDriftStatisticsParallel(pairs, ["ks", "psi"], { threads: 2 });
 */
export async function numericDriftStatisticsParallel(
  pairs: readonly NumericColumnPair[],
  tests: readonly SortedStatTest[],
  options: NumericDriftStatisticsOptions & ParallelDriftOptions = {},
): Promise<NumericDriftStatistics[]> {
  const threads = workerCount(options.threads, pairs.length);
  const { threads: _threads, ...testOptions } = options;
  const jobs = pairs.map((pair) => () => ({
    type: "statistics" as const,
    reference: threads > 1 ? sharedFloat64(pair.reference) : pair.reference,
    current: threads > 1 ? sharedFloat64(pair.current) : pair.current,
    tests,
    options: testOptions,
  }));
  return runAll(jobs, threads);
}
