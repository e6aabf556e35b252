/**
 * Two-proportion Z-test for a binary column (Evidently's "z" stattest).
 */
import { KeelError } from "../../core/errors.js";
import { countValues, unionKeys } from "./binning.js";
import { normalSf } from "./special-functions.js";
import type { StatTestResult } from "./types.js";

export interface ZTestResult extends StatTestResult {
  readonly pValue: number;
}

/**
 * Pooled two-proportion Z-test on a binary column given as codes (NaN = missing, dropped). As in Evidently,
 * the smaller of the (at most two) values seen is "0" and the other "1"; z = (p_ref − p_cur) /
 * sqrt(P(1 − P)(1/n_ref + 1/n_cur)) with P the pooled share, and p = 2·(1 − Φ(|z|)), computed as 2·sf(|z|) so
 * tiny p-values keep their digits (Evidently's 1 − cdf rounds them to 0 below ~1e-16). Both samples constant
 * and equal: z = 0, p = 1.
 * @throws KeelError INVALID_PARAMETER_VALUE for an empty sample or more than two distinct values.
 * @example
 * const { pValue } = zTest(Float64Array.of(0, 1, 1, 0), Float64Array.of(1, 1, 1, 0));
 */
export function zTest(reference: Float64Array, current: Float64Array): ZTestResult {
  const refCounts = countValues(reference);
  const curCounts = countValues(current);
  const keys = unionKeys(refCounts, curCounts);
  if (keys.length > 2) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `the Z-test is for binary columns but ${keys.length} distinct values were seen; use the chi-square test`,
    );
  }
  let n1 = 0;
  let n2 = 0;
  for (const c of refCounts.values()) n1 += c;
  for (const c of curCounts.values()) n2 += c;
  if (n1 === 0 || n2 === 0) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `Z-test needs two non-empty samples (got ${n1} and ${n2})`);
  }
  if (keys.length === 1) return { statistic: 0, pValue: 1 };
  const p1 = (refCounts.get(keys[1]) ?? 0) / n1;
  const p2 = (curCounts.get(keys[1]) ?? 0) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
