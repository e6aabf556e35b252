/**
 * Drift of one column between a reference and a current sample: clean, encode, pick the test, give a verdict.
 */
import { KeelError } from "../../core/errors.js";
import type { Column } from "../../core/frame.js";
import { compareCodePoints } from "../../core/compare-code-points.js";
import { chiSquareTest, cramerVonMises2Samp, jensenShannon, ks2Samp, psi, wassersteinNorm, zTest } from "../stats/index.js";
import type { StatTestResult } from "../stats/index.js";
import { compensatedSum, countValues, unionKeys } from "../stats/binning.js";
import { fillEmptyShares } from "../stats/psi.js";
import { FEW_VALUES_MAX_UNIQUE, STATTESTS, STATTEST_NAMES, defaultStatTest, isDrifted } from "./default-stattest.js";
import type { ColumnDriftResult, ColumnKind, StatTestName } from "./types.js";

export interface ColumnDriftInput {
  readonly reference: Column;
  readonly current: Column;
  readonly kind: ColumnKind;
  /** The test to run (default: Evidently's choice for the kind, size and distinct values). */
  readonly stattest?: StatTestName;
  /** Default: the test's own (0.05 for p-values, 0.1 for distances). */
  readonly threshold?: number;
}

/** Both samples as numbers without missing values; text as codes shared by both samples. */
export interface DriftSamples {
  readonly reference: Float64Array;
  readonly current: Float64Array;
  readonly missingReference: number;
  readonly missingCurrent: number;
}

function invalid(message: string): KeelError {
  return new KeelError("INVALID_PARAMETER_VALUE", message);
}

/** The finite values, in order; the array itself when all are finite (a typed array's filter() with a callback costs ~100 ms per million). */
function finiteValues(values: Float64Array): Float64Array {
  let finite = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite++;
  if (finite === values.length) return values;
  const out = new Float64Array(finite);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[k++] = values[i];
  return out;
}

/**
 * Drops what Evidently drops before testing (NaN, ±Infinity, null) and maps text to codes given by the sorted
 * distinct strings of both samples (Python's code-point order, so the Z-test's "first" category is Evidently's).
 */
export function driftSamples(reference: Column, current: Column): DriftSamples {
  const kept = (ref: Float64Array, cur: Float64Array): DriftSamples => ({
    reference: ref,
    current: cur,
    missingReference: reference.values.length - ref.length,
    missingCurrent: current.values.length - cur.length,
  });
  if (reference.kind === "number" && current.kind === "number") return kept(finiteValues(reference.values), finiteValues(current.values));
  if (reference.kind === "string" && current.kind === "string") {
    const distinct = new Set<string>();
    for (const v of reference.values) if (v !== null) distinct.add(v);
    for (const v of current.values) if (v !== null) distinct.add(v);
    const codes = new Map([...distinct].sort(compareCodePoints).map((v, i) => [v, i] as const));
    const encode = (values: readonly (string | null)[]): Float64Array => {
      let present = 0;
      for (const v of values) if (v !== null) present++;
      const out = new Float64Array(present);
      let k = 0;
      for (const v of values) if (v !== null) out[k++] = codes.get(v) as number;
      return out;
    };
    return kept(encode(reference.values), encode(current.values));
  }
  const holds = (c: Column): string => (c.kind === "number" ? "numbers" : "text");
  throw invalid(
    `column '${reference.name}' holds ${holds(reference)} in the reference table but ${holds(current)} in the ` +
      `current one; read both with the same type`,
  );
}

/** Distinct values over both samples, counted up to `cap` (enough to choose a default test). */
export function countDistinct(reference: Float64Array, current: Float64Array, cap: number): number {
  const seen = new Set<number>();
  for (const sample of [reference, current]) {
    for (const v of sample) {
      seen.add(v);
      if (seen.size >= cap) return seen.size;
    }
  }
  return seen.size;
}

/** Evidently's PSI for categories: one bin per value, empty shares filled, Σ (r − c)·ln(r / c). */
export function categoricalPsi(reference: Float64Array, current: Float64Array): StatTestResult {
  const refCounts = countValues(reference);
  const curCounts = countValues(current);
  const keys = unionKeys(refCounts, curCounts);
  const r = fillEmptyShares(Float64Array.from(keys, (k) => (refCounts.get(k) ?? 0) / reference.length));
  const c = fillEmptyShares(Float64Array.from(keys, (k) => (curCounts.get(k) ?? 0) / current.length));
  return { statistic: compensatedSum(r.map((ri, i) => (ri - c[i]) * Math.log(ri / c[i]))) };
}

function runStatTest(stattest: StatTestName, kind: ColumnKind, ref: Float64Array, cur: Float64Array): StatTestResult {
  switch (stattest) {
    case "ks":
      return ks2Samp(ref, cur);
    case "chisquare":
      return chiSquareTest(ref, cur);
    case "z":
      return zTest(ref, cur);
    case "wasserstein":
      return wassersteinNorm(ref, cur);
    case "jensenshannon":
      return jensenShannon(ref, cur, { categorical: kind === "categorical" });
    case "psi":
      return kind === "categorical" ? categoricalPsi(ref, cur) : psi(ref, cur);
    case "cramer_von_mises":
      return cramerVonMises2Samp(ref, cur);
  }
}

/** Refuses a test the caller picked that Evidently would not run on a column of this kind. */
export function checkStatTestFits(stattest: StatTestName, kind: ColumnKind, column: string): void {
  if (STATTESTS[stattest].kinds.includes(kind)) return;
  const fitting = STATTEST_NAMES.filter((name) => STATTESTS[name].kinds.includes(kind));
  throw invalid(
    `stattest '${stattest}' does not apply to ${kind} column '${column}'; use one of ${fitting.join(", ")}` +
      (kind === "categorical" ? " or set the column's kind to numerical" : ""),
  );
}

/**
 * Tests one column for drift. Missing values are dropped first; the test defaults to Evidently's choice and
 * the threshold to the test's default.
 * @throws KeelError INVALID_PARAMETER_VALUE when the column is empty in either sample after dropping missing
 * values, holds different types in the two samples, holds text but is declared numerical, when the test does
 * not fit the kind, or the threshold is not a finite non-negative number.
 * @example
 * const result = columnDrift({ reference: refColumn, current: curColumn, kind: "numerical" });
 */
export function columnDrift(input: ColumnDriftInput): ColumnDriftResult {
  const { reference, current, kind } = input;
  const name = current.name;
  if (kind === "numerical" && (reference.kind === "string" || current.kind === "string")) {
    throw invalid(`column '${name}' holds text, so it cannot be tested as numerical; set its kind to categorical`);
  }
  if (input.stattest !== undefined) checkStatTestFits(input.stattest, kind, name);
  if (input.threshold !== undefined && !(Number.isFinite(input.threshold) && input.threshold >= 0)) {
    throw invalid(`threshold for column '${name}' must be a finite number >= 0, got ${input.threshold}`);
  }
  const samples = driftSamples(reference, current);
  for (const [sample, table] of [
    [samples.reference, "reference"],
    [samples.current, "current"],
  ] as const) {
    if (sample.length === 0) {
      throw invalid(
        `column '${name}' has no non-missing value in the ${table} table; leave it out of \`columns\``,
      );
    }
  }
  const distinct = countDistinct(samples.reference, samples.current, FEW_VALUES_MAX_UNIQUE + 1);
  const stattest =
    input.stattest ?? defaultStatTest({ kind, referenceRows: samples.reference.length, uniqueValues: distinct });
  if (stattest === "z" && distinct > 2) {
    throw invalid(`stattest 'z' needs a binary column but '${name}' has more than 2 distinct values; use chisquare`);
  }
  const threshold = input.threshold ?? STATTESTS[stattest].defaultThreshold;
  const result = runStatTest(stattest, kind, samples.reference, samples.current);
  return {
    column: name,
    kind,
    stattest,
    threshold,
    statistic: result.statistic,
    ...(result.pValue === undefined ? {} : { pValue: result.pValue }),
    drifted: isDrifted(stattest, result.pValue ?? result.statistic, threshold),
    referenceRows: samples.reference.length,
    currentRows: samples.current.length,
    missing: { reference: samples.missingReference, current: samples.missingCurrent },
  };
}
