/**
 * Population Stability Index over bins cut at the reference sample's quantiles.
 */
import { KeelError } from "../../core/errors.js";
import { compensatedSum, histogramCounts, histogramCountsUnsorted, quantileSorted } from "./binning.js";
import type { StatTestResult } from "./types.js";
import { sortedWithoutNaN } from "./radix-sort.js";

/** Default number of quantile bins. */
export const PSI_DEFAULT_BINS = 10;
/** Evidently's share for an empty bin (unless the smallest non-empty share is itself at or below it). */
export const PSI_EMPTY_BIN_SHARE = 0.0001;

export interface PsiOptions {
  /** Number of reference-quantile bins (default 10); equal quantiles merge, so fewer bins may result. */
  readonly bins?: number;
}

/**
 * Replaces empty-bin shares as Evidently does: by 0.0001, or by the smallest non-zero share / 1e6 when that
 * share is already <= 0.0001, so that ln(ref/cur) stays finite without dominating the sum.
 */
export function fillEmptyShares(shares: Float64Array): Float64Array {
  let smallest = Infinity;
  for (const s of shares) if (s !== 0 && s < smallest) smallest = s;
  const fill = smallest <= PSI_EMPTY_BIN_SHARE ? smallest / 1e6 : PSI_EMPTY_BIN_SHARE;
  return shares.map((s) => (s === 0 ? fill : s));
}

/** Bin edges: the unique reference quantiles at 0, 1/bins, …, 1, with the outer edges opened to ±Infinity. */
export function quantileEdges(sortedReference: Float64Array, bins: number): Float64Array {
  const step = 1 / bins;
  const unique: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const q = i === bins ? 1 : i * step;
    const edge = quantileSorted(sortedReference, q);
    if (unique.length === 0 || edge !== unique[unique.length - 1]) unique.push(edge);
  }
  // A constant reference yields one edge; it still needs one bin holding everything.
  if (unique.length === 1) unique.push(unique[0]);
  unique[0] = -Infinity;
  unique[unique.length - 1] = Infinity;
  return Float64Array.from(unique);
}

/**
 * PSI = Σ (ref_i − cur_i) · ln(ref_i / cur_i) over bin shares, Evidently's formula, with bins from the reference
 * quantiles (numpy's linear quantiles) and Evidently's empty-bin rule. NaN values are dropped first. No p-value.
 * Drift is conventionally PSI >= 0.1 (Evidently's default threshold).
 * @throws KeelError INVALID_PARAMETER_VALUE for an empty sample or a bin count below 1.
 * @example
 * const { statistic } = psi(referenceColumn, currentColumn, { bins: 10 });
 */
export function psi(reference: Float64Array, current: Float64Array, options: PsiOptions = {}): StatTestResult {
  return psiSorted(sortedWithoutNaN(reference), current, options.bins);
}

/**
 * psi() for a reference already sorted ascending and free of NaN (sort it once when it serves many tests);
 * `current` may be in any order and hold NaN.
 */
export function psiSorted(sortedReference: Float64Array, current: Float64Array, bins = PSI_DEFAULT_BINS): StatTestResult {
  const curCount = current.length - countNaN(current);
  return psiOfCounts(sortedReference, curCount, bins, (edges) => histogramCountsUnsorted(current, edges));
}

/**
 * psi() for two samples both sorted ascending and free of NaN: the current counts come from binary searches
 * instead of a pass over every value. Equal to psiSorted() on the same samples.
 */
export function psiBothSorted(sortedReference: Float64Array, sortedCurrent: Float64Array, bins = PSI_DEFAULT_BINS): StatTestResult {
  return psiOfCounts(sortedReference, sortedCurrent.length, bins, (edges) => histogramCounts(sortedCurrent, edges));
}

function psiOfCounts(
  sortedReference: Float64Array,
  curCount: number,
  bins: number,
  currentCounts: (edges: Float64Array) => Float64Array,
): StatTestResult {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `PSI bins must be a positive integer, got ${bins}`);
  }
  if (sortedReference.length === 0 || curCount === 0) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `PSI needs two non-empty samples (got ${sortedReference.length} and ${curCount} non-NaN values)`,
    );
  }
  const edges = quantileEdges(sortedReference, bins);
  const refCounts = histogramCounts(sortedReference, edges);
  const refShares = fillEmptyShares(refCounts.map((c) => c / sortedReference.length));
  const curShares = fillEmptyShares(currentCounts(edges).map((c) => c / curCount));
  const terms = refShares.map((r, i) => (r - curShares[i]) * Math.log(r / curShares[i]));
  return { statistic: compensatedSum(terms) };
}

function countNaN(values: Float64Array): number {
  let count = 0;
  for (const v of values) if (Number.isNaN(v)) count++;
  return count;
}
