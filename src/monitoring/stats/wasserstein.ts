/**
 * First Wasserstein distance normed by the reference standard deviation (Evidently's "wasserstein" stattest).
 */
import { KeelError } from "../../core/errors.js";
import { compensatedSum } from "./binning.js";
import type { StatTestResult } from "./types.js";
import { sortedWithoutNaN } from "./radix-sort.js";

/** Evidently floors the reference std at this value so constant columns do not divide by zero. */
export const WASSERSTEIN_MIN_STD = 0.001;

/** Both ascending samples merged into one ascending array. */
function mergeSorted(u: Float64Array, v: Float64Array): Float64Array {
  const out = new Float64Array(u.length + v.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) {
    out[k] = i < u.length && (j >= v.length || u[i] <= v[j]) ? u[i++] : v[j++];
  }
  return out;
}

/**
 * scipy.stats.wasserstein_distance(u, v) for unweighted ascending samples: Σ |F_u(a_k) − F_v(a_k)|·(a_{k+1} − a_k)
 * over the merged values a_k, with right-continuous empirical CDFs.
 */
export function wassersteinDistance(sortedU: Float64Array, sortedV: Float64Array): number {
  const all = mergeSorted(sortedU, sortedV);
  const terms = new Float64Array(all.length - 1);
  let iu = 0;
  let iv = 0;
  for (let k = 0; k < terms.length; k++) {
    const x = all[k];
    while (iu < sortedU.length && sortedU[iu] <= x) iu++;
    while (iv < sortedV.length && sortedV[iv] <= x) iv++;
    terms[k] = Math.abs(iu / sortedU.length - iv / sortedV.length) * (all[k + 1] - x);
  }
  return compensatedSum(terms);
}

/** Population standard deviation (numpy.std, ddof = 0), two-pass. */
export function populationStd(values: Float64Array): number {
  const mean = compensatedSum(values) / values.length;
  return Math.sqrt(compensatedSum(values.map((v) => (v - mean) * (v - mean))) / values.length);
}

/**
 * Wasserstein distance between the samples divided by max(std(reference), 0.001), as Evidently computes it.
 * NaN values are dropped first. No p-value; drift is conventionally distance >= 0.1.
 * @throws KeelError INVALID_PARAMETER_VALUE when either sample has no non-NaN value.
 * @example
 * const { statistic } = wassersteinNorm(referenceColumn, currentColumn);
 */
export function wassersteinNorm(reference: Float64Array, current: Float64Array): StatTestResult {
  const u = sortedWithoutNaN(reference);
  const v = sortedWithoutNaN(current);
  if (u.length === 0 || v.length === 0) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `Wasserstein distance needs two non-empty samples (got ${u.length} and ${v.length} non-NaN values)`,
    );
  }
  const norm = Math.max(populationStd(u), WASSERSTEIN_MIN_STD);
  return { statistic: wassersteinDistance(u, v) / norm };
}
