/**
 * Drift statistics over typed arrays, each equal to the scipy / Evidently computation it is named after.
 * All take (reference, current) Float64Arrays, drop NaN values, and throw KeelError INVALID_PARAMETER_VALUE
 * when a sample is empty.
 */
export type { StatTestResult } from "./types.js";
export { ks2Samp, ks2SampSorted, KS_MAX_EXACT_N } from "./ks-2samp.js";
export type { Ks2SampOptions, Ks2SampResult, KsMethod } from "./ks-2samp.js";
export { psi, psiBothSorted, psiSorted, PSI_DEFAULT_BINS, PSI_EMPTY_BIN_SHARE } from "./psi.js";
export type { PsiOptions } from "./psi.js";
export { chiSquareTest, chiSquareFromCounts } from "./chi-square.js";
export type { ChiSquareResult } from "./chi-square.js";
export { zTest } from "./z-test.js";
export type { ZTestResult } from "./z-test.js";
export { wassersteinNorm, wassersteinDistance, WASSERSTEIN_MIN_STD } from "./wasserstein.js";
export { jensenShannon, JS_MAX_VALUE_BINS } from "./jensen-shannon.js";
export type { JensenShannonOptions } from "./jensen-shannon.js";
export { chiSquareSf, normalCdf, normalSf } from "./special-functions.js";
export { CVM_MAX_EXACT_N, besselK, cramerVonMises2Samp } from "./cramer-von-mises.js";
export type { CvmMethod, CvmResult } from "./cramer-von-mises.js";
export { kolmogorovSf } from "./kolmogorov.js";
export { numericDriftStatistics, SORTED_STAT_TESTS } from "./numeric-drift-statistics.js";
export type { NumericDriftStatistics, NumericDriftStatisticsOptions, SortedStatTest } from "./numeric-drift-statistics.js";
export { radixSortFloat64, sortedWithoutNaN, RADIX_SORT_MIN_LENGTH } from "./radix-sort.js";
