/** Shared result shape and input helpers of the statistical tests. */

/** A test's outcome: the statistic (or distance) and, for hypothesis tests, the p-value. */
export interface StatTestResult {
  readonly statistic: number;
  readonly pValue?: number;
}

/** A copy of `values` without NaN entries (missing values are not observations for any test). */
export function dropNaN(values: Float64Array): Float64Array {
  let count = 0;
  for (const v of values) if (!Number.isNaN(v)) count++;
  if (count === values.length) return Float64Array.from(values);
  const out = new Float64Array(count);
  let k = 0;
  for (const v of values) if (!Number.isNaN(v)) out[k++] = v;
  return out;
}
