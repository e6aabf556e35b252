/**
 * Jensen–Shannon distance between binned samples (Evidently's "jensenshannon" stattest,
 * scipy.spatial.distance.jensenshannon with the natural logarithm).
 */
import { KeelError } from "../../core/errors.js";
import { compensatedSum, countValues, histogramCounts, linspace, unionKeys } from "./binning.js";
import type { StatTestResult } from "./types.js";
import { sortedWithoutNaN } from "./radix-sort.js";

/** Numerical columns with more reference unique values than this are histogrammed; others binned by value. */
export const JS_MAX_VALUE_BINS = 20;

export interface JensenShannonOptions {
  /** Treat values as category codes: one bin per value whatever their number (default false). */
  readonly categorical?: boolean;
}

/** Shares of each sample in histogram bins on numpy's "sturges" edges over both samples together. */
function sturgesShares(ref: Float64Array, cur: Float64Array): [Float64Array, Float64Array] {
  const n = ref.length + cur.length;
  let lo = Math.min(ref[0], cur[0]);
  let hi = Math.max(ref[ref.length - 1], cur[cur.length - 1]);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  // numpy derives the bin count from the Sturges width, ceil(range / (range / (log2 n + 1))).
  const width = (hi - lo) / (Math.log2(n) + 1);
  const bins = width > 0 ? Math.ceil((hi - lo) / width) : 1;
  const edges = linspace(lo, hi, bins + 1);
  return [
    histogramCounts(ref, edges).map((c) => c / ref.length),
    histogramCounts(cur, edges).map((c) => c / cur.length),
  ];
}

/** Shares of each distinct value (union of both samples). */
function valueShares(ref: Float64Array, cur: Float64Array): [Float64Array, Float64Array] {
  const refCounts = countValues(ref);
  const curCounts = countValues(cur);
  const keys = unionKeys(refCounts, curCounts);
  return [
    Float64Array.from(keys, (k) => (refCounts.get(k) ?? 0) / ref.length),
    Float64Array.from(keys, (k) => (curCounts.get(k) ?? 0) / cur.length),
  ];
}

/** x·ln(x/y), 0 when x = 0 (scipy.special.rel_entr for the non-negative shares used here). */
function relativeEntropyTerm(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(x / y);
}

/** scipy.spatial.distance.jensenshannon(p, q): sqrt((KL(p‖m) + KL(q‖m)) / 2) after normalising p and q. */
export function jensenShannonFromShares(p: Float64Array, q: Float64Array): number {
  const sp = compensatedSum(p);
  const sq = compensatedSum(q);
  const left = new Float64Array(p.length);
  const right = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2;
    left[i] = relativeEntropyTerm(pi, m);
    right[i] = relativeEntropyTerm(qi, m);
  }
  return Math.sqrt((compensatedSum(left) + compensatedSum(right)) / 2);
}

/**
 * Jensen–Shannon distance (natural log, so in [0, sqrt(ln 2)]) between the samples' binned shares, binned as
 * Evidently does: numerical values with more than 20 unique reference values go to histogram bins on numpy's
 * "sturges" edges over both samples; otherwise (or with `categorical`) one bin per value. NaN values are dropped
 * first. No p-value; drift is conventionally distance >= 0.1.
 * @throws KeelError INVALID_PARAMETER_VALUE when either sample has no non-NaN value.
 * @example
 * const { statistic } = jensenShannon(referenceColumn, currentColumn);
 */
export function jensenShannon(
  reference: Float64Array,
  current: Float64Array,
  options: JensenShannonOptions = {},
): StatTestResult {
  const ref = sortedWithoutNaN(reference);
  const cur = sortedWithoutNaN(current);
  if (ref.length === 0 || cur.length === 0) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `Jensen–Shannon distance needs two non-empty samples (got ${ref.length} and ${cur.length} non-NaN values)`,
    );
  }
  const histogram = !options.categorical && countValues(ref).size > JS_MAX_VALUE_BINS;
  const [p, q] = histogram ? sturgesShares(ref, cur) : valueShares(ref, cur);
  return { statistic: jensenShannonFromShares(p, q) };
}
