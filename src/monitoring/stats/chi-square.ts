/**
 * Chi-square goodness-of-fit test of the current category counts against the reference proportions
 * (Evidently's "chisquare" stattest, scipy.stats.chisquare).
 */
import { KeelError } from "../../core/errors.js";
import { countValues, unionKeys } from "./binning.js";
import { chiSquareSf } from "./special-functions.js";
import type { StatTestResult } from "./types.js";

export interface ChiSquareResult extends StatTestResult {
  readonly pValue: number;
  /** Degrees of freedom: number of categories seen in either sample, minus one. */
  readonly degreesOfFreedom: number;
}

/**
 * scipy.stats.chisquare(observed, expected): Σ (o − e)² / e and its chi-square survival p-value with
 * k − 1 degrees of freedom. An expected count of 0 with a positive observed count gives an infinite statistic
 * and p-value 0, as scipy does.
 */
export function chiSquareFromCounts(observed: ArrayLike<number>, expected: ArrayLike<number>): ChiSquareResult {
  const k = observed.length;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const diff = observed[i] - expected[i];
    statistic += diff === 0 ? 0 : (diff * diff) / expected[i];
  }
  const degreesOfFreedom = k - 1;
  // scipy answers NaN for a single category (0 degrees of freedom); one category cannot have drifted.
  const pValue = degreesOfFreedom < 1 ? 1 : statistic === Infinity ? 0 : chiSquareSf(statistic, degreesOfFreedom);
  return { statistic, pValue, degreesOfFreedom };
}

/**
 * Chi-square test for a categorical column given as category codes (any numbers; NaN = missing, dropped).
 * Categories are the union of both samples; expected = reference count × (n_current / n_reference), observed =
 * current count — Evidently's chisquare stattest, whose p-value equals scipy's to 1e-8 relative.
 * Drift is conventionally p < 0.05.
 * @throws KeelError INVALID_PARAMETER_VALUE when either sample has no non-NaN value.
 * @example
 * const { pValue } = chiSquareTest(Float64Array.of(0, 1, 1, 2), Float64Array.of(0, 0, 1, 2, 2));
 */
export function chiSquareTest(reference: Float64Array, current: Float64Array): ChiSquareResult {
  const refCounts = countValues(reference);
  const curCounts = countValues(current);
  let nRef = 0;
  let nCur = 0;
  for (const c of refCounts.values()) nRef += c;
  for (const c of curCounts.values()) nCur += c;
  if (nRef === 0 || nCur === 0) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `chi-square test needs two non-empty samples (got ${nRef} and ${nCur} non-NaN values)`,
    );
  }
  const keys = unionKeys(refCounts, curCounts);
  const scale = nCur / nRef;
  const expected = keys.map((key) => (refCounts.get(key) ?? 0) * scale);
  const observed = keys.map((key) => curCounts.get(key) ?? 0);
  return chiSquareFromCounts(observed, expected);
}
