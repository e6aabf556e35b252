/**
 * Drift of a whole table: every column tested as Evidently's DataDriftPreset does, and dataset drift when the
 * share of drifted columns reaches drift_share (evidently/legacy/calculations/data_drift.py, `get_dataset_drift`).
 */
import { KeelError } from "../../core/errors.js";
import type { Column, Frame } from "../../core/frame.js";
import { inferColumnKind } from "./column-kind.js";
import { columnDrift } from "./column-drift.js";
import type { ColumnDriftInput } from "./column-drift.js";
import { STATTEST_NAMES, isStatTestName } from "./default-stattest.js";
import type { ColumnDriftOverride, ColumnDriftResult, DetectDriftOptions, DriftResult, StatTestName } from "./types.js";

/** Evidently's default share of drifted columns that makes the dataset drifted. */
export const DEFAULT_DRIFT_SHARE = 0.5;

function invalid(message: string): KeelError {
  return new KeelError("INVALID_PARAMETER_VALUE", message);
}

function names(frame: Frame): string {
  return frame.columns.length === 0 ? "(none)" : frame.columns.map((c) => `'${c.name}'`).join(", ");
}

function findColumn(frame: Frame, name: string, table: "reference" | "current"): Column {
  const column = frame.columns.find((c) => c.name === name);
  if (!column) throw invalid(`no column '${name}' in the ${table} table; its columns are ${names(frame)}`);
  return column;
}

/** Checks a test name that arrived as untyped input (CLI, JSON), listing the known ones when it is unknown. */
export function checkStatTestName(value: unknown, where: string): StatTestName {
  if (isStatTestName(value)) return value;
  throw invalid(`unknown stattest '${String(value)}' ${where}; known stattests are ${STATTEST_NAMES.join(", ")}`);
}

function checkOptions(options: DetectDriftOptions, columns: readonly string[]): void {
  if (options.stattest !== undefined) checkStatTestName(options.stattest, "in `stattest`");
  const { stattestThreshold, driftShare } = options;
  if (stattestThreshold !== undefined && !(Number.isFinite(stattestThreshold) && stattestThreshold >= 0)) {
    throw invalid(`stattestThreshold must be a finite number >= 0, got ${stattestThreshold}`);
  }
  if (driftShare !== undefined && !(driftShare >= 0 && driftShare <= 1)) {
    throw invalid(`driftShare must be between 0 and 1, got ${driftShare}`);
  }
  for (const [column, override] of Object.entries(options.perColumn ?? {})) {
    if (!columns.includes(column)) {
      throw invalid(
        `perColumn names column '${column}', which is not among the columns compared: ${columns.join(", ")}`,
      );
    }
    if (override.stattest !== undefined) checkStatTestName(override.stattest, `for column '${column}'`);
    if (override.kind !== undefined && override.kind !== "numerical" && override.kind !== "categorical") {
      throw invalid(`kind of column '${column}' must be numerical or categorical, got '${String(override.kind)}'`);
    }
  }
}

/**
 * Compares `current` with `reference` column by column. Each column's kind is inferred from the current table
 * as Evidently does (unless overridden), its test is Evidently's default for the kind, the non-missing reference
 * size and the distinct values (unless `stattest` or a per-column test is given), and its threshold the test's
 * default (unless `stattestThreshold` or a per-column threshold is given). Per-column settings win.
 * The dataset drifts when driftedColumns / columns >= driftShare (default 0.5).
 * @throws KeelError INVALID_PARAMETER_VALUE for a column missing from either table, an unknown test, a test
 * that does not fit a column's kind, a column with no non-missing value, or no column to compare.
 * @example
 * const drift = detectDrift(trainFrame, todayFrame, { perColumn: { age: { stattest: "psi" } } });
 * if (drift.datasetDrift) console.log(drift.columns.filter((c) => c.drifted).map((c) => c.column));
 */
export function detectDrift(reference: Frame, current: Frame, options: DetectDriftOptions = {}): DriftResult {
  const plan = planDrift(reference, current, options);
  return summarizeDrift(plan.columns.map((name) => columnDrift(plan.input(name))), options);
}

/** What detectDrift does before testing: the checked options, the columns to compare, each column's input. */
export interface DriftPlan {
  readonly columns: readonly string[];
  /**
   * The column's test input, resolved as detectDrift resolves it.
   * @throws KeelError INVALID_PARAMETER_VALUE when the column is missing from either table.
   */
  input(name: string): ColumnDriftInput;
}

/**
 * Checks the options and names the columns, as detectDrift does before its first test; the columns' inputs are
 * resolved one by one, so a runner can fail at the same column detectDrift would.
 * @throws KeelError INVALID_PARAMETER_VALUE for bad options or no column to compare.
 * @example
 * const plan = planDrift(trainFrame, todayFrame, { stattest: "ks" });
 * const drift = summarizeDrift(plan.columns.map((name) => columnDrift(plan.input(name))));
 */
export function planDrift(reference: Frame, current: Frame, options: DetectDriftOptions = {}): DriftPlan {
  const columns = options.columns ?? current.columns.map((c) => c.name);
  if (columns.length === 0) {
    throw invalid("there is no column to compare; `columns` is empty or the current table has no column");
  }
  checkOptions(options, columns);
  return {
    columns,
    input(name) {
      const ref = findColumn(reference, name, "reference");
      const cur = findColumn(current, name, "current");
      const override: ColumnDriftOverride = options.perColumn?.[name] ?? {};
      return {
        reference: ref,
        current: cur,
        kind: override.kind ?? inferColumnKind(cur),
        stattest: override.stattest ?? options.stattest,
        threshold: override.threshold ?? options.stattestThreshold,
      };
    },
  };
}

/**
 * The dataset verdict over the column results (in column order): drifted when their share reaches driftShare.
 * @example
 * const { datasetDrift } = summarizeDrift(columnResults, { driftShare: 0.3 });
 */
export function summarizeDrift(results: readonly ColumnDriftResult[], options: DetectDriftOptions = {}): DriftResult {
  const driftedColumns = results.filter((r) => r.drifted).length;
  const share = driftedColumns / results.length;
  const driftShare = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  return { columns: results, driftedColumns, share, driftShare, datasetDrift: share >= driftShare };
}
