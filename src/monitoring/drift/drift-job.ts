/**
 * The unit of work the drift worker threads take: one column's drift verdict, or several sorted-sample tests on
 * one numeric column pair. The same function runs a job on the calling thread or in a worker, so both give
 * identical results; errors cross the thread boundary as plain data and become the same KeelError again.
 */
import { KeelError, isErrorCode } from "../../core/errors.js";
import { numericDriftStatistics } from "../stats/numeric-drift-statistics.js";
import type { NumericDriftStatistics, NumericDriftStatisticsOptions, SortedStatTest } from "../stats/numeric-drift-statistics.js";
import { columnDrift } from "./column-drift.js";
import type { ColumnDriftInput } from "./column-drift.js";
import type { ColumnDriftResult } from "./types.js";

export interface ColumnDriftJob {
  readonly type: "column";
  readonly input: ColumnDriftInput;
}

export interface NumericStatisticsJob {
  readonly type: "statistics";
  readonly reference: Float64Array;
  readonly current: Float64Array;
  readonly tests: readonly SortedStatTest[];
  readonly options?: NumericDriftStatisticsOptions;
}

export type DriftJob = ColumnDriftJob | NumericStatisticsJob;

export type DriftJobValue<J extends DriftJob> = J extends ColumnDriftJob ? ColumnDriftResult : NumericDriftStatistics;

/** A job's outcome as it crosses threads: structured-cloneable, an error reduced to its code and message. */
export type DriftJobOutcome =
  | { readonly ok: true; readonly value: ColumnDriftResult | NumericDriftStatistics }
  | { readonly ok: false; readonly code: string; readonly message: string };

export function runDriftJob<J extends DriftJob>(job: J): DriftJobValue<J> {
  const value = job.type === "column" ? columnDrift(job.input) : numericDriftStatistics(job.reference, job.current, job.tests, job.options);
  return value as DriftJobValue<J>;
}

/** Runs the job, catching its error as data (for a worker to post back). */
export function runDriftJobSafely(job: DriftJob): DriftJobOutcome {
  try {
    return { ok: true, value: runDriftJob(job) };
  } catch (error) {
    if (error instanceof KeelError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: "INTERNAL_ERROR", message: `a drift worker failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The KeelError a failed outcome stands for. */
export function outcomeError(outcome: { readonly code: string; readonly message: string }): KeelError {
  return new KeelError(isErrorCode(outcome.code) ? outcome.code : "INTERNAL_ERROR", outcome.message);
}
