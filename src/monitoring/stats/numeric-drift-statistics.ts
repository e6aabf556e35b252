/**
 * Several drift tests over one numeric column pair, each sample sorted once: sorting dominates KS, PSI and the
 * Wasserstein distance on large columns, and each would otherwise sort both samples again.
 */
import { KeelError } from "../../core/errors.js";
import { ks2SampSorted } from "./ks-2samp.js";
import type { Ks2SampOptions, Ks2SampResult } from "./ks-2samp.js";
import { PSI_DEFAULT_BINS, psiBothSorted } from "./psi.js";
import { sortedWithoutNaN } from "./radix-sort.js";
import type { StatTestResult } from "./types.js";
import { WASSERSTEIN_MIN_STD, populationStd, wassersteinDistance } from "./wasserstein.js";

/** The tests that work on sorted samples. */
export type SortedStatTest = "ks" | "psi" | "wasserstein";

export const SORTED_STAT_TESTS: readonly SortedStatTest[] = ["ks", "psi", "wasserstein"];

export interface NumericDriftStatisticsOptions {
  readonly ks?: Ks2SampOptions;
  /** PSI's number of reference-quantile bins (default 10). */
  readonly psiBins?: number;
}

/** The result of each requested test; a test not requested is absent. */
export interface NumericDriftStatistics {
  readonly ks?: Ks2SampResult;
  readonly psi?: StatTestResult;
  readonly wasserstein?: StatTestResult;
}

function wassersteinOfSorted(u: Float64Array, v: Float64Array): StatTestResult {
  if (u.length === 0 || v.length === 0) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `Wasserstein distance needs two non-empty samples (got ${u.length} and ${v.length} non-NaN values)`,
    );
  }
  return { statistic: wassersteinDistance(u, v) / Math.max(populationStd(u), WASSERSTEIN_MIN_STD) };
}

/**
 * Runs `tests` on one column pair, sorting each sample once; each result equals its test called alone
 * (ks2Samp, psi, wassersteinNorm), NaN dropped first. Tests run in the order given, so the first failing one
 * throws as it would alone.
 * @throws KeelError INVALID_PARAMETER_VALUE for an empty sample (after dropping NaN) or bad PSI bins.
 * @example
 * const { ks, psi } = numericDriftStatistics(reference, current, ["ks", "psi"]);
 * if (ks && ks.pValue < 0.05) console.log(`drift, PSI ${psi?.statistic}`);
 */
export function numericDriftStatistics(
  reference: Float64Array,
  current: Float64Array,
  tests: readonly SortedStatTest[],
  options: NumericDriftStatisticsOptions = {},
): NumericDriftStatistics {
  const u = sortedWithoutNaN(reference);
  const v = sortedWithoutNaN(current);
  const out: { ks?: Ks2SampResult; psi?: StatTestResult; wasserstein?: StatTestResult } = {};
  for (const test of tests) {
    if (test === "ks") out.ks = ks2SampSorted(u, v, options.ks);
    else if (test === "psi") out.psi = psiBothSorted(u, v, options.psiBins ?? PSI_DEFAULT_BINS);
    else if (test === "wasserstein") out.wasserstein = wassersteinOfSorted(u, v);
    else throw new KeelError("INVALID_PARAMETER_VALUE", `unknown test '${String(test)}'; use one of ${SORTED_STAT_TESTS.join(", ")}`);
  }
  return out;
}
