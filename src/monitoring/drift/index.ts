/**
 * Column and dataset drift between two Frames, with Evidently's column kinds, default tests, thresholds and
 * dataset-drift rule.
 */
export type {
  ColumnDriftOverride,
  ColumnDriftResult,
  ColumnKind,
  DetectDriftOptions,
  DriftResult,
  StatTestName,
} from "./types.js";
export { INTEGER_CARDINALITY_LIMIT, inferColumnKind } from "./column-kind.js";
export {
  FEW_VALUES_MAX_UNIQUE,
  SMALL_REFERENCE_MAX_ROWS,
  STATTESTS,
  STATTEST_NAMES,
  defaultStatTest,
  isDrifted,
  isStatTestName,
} from "./default-stattest.js";
export type { DefaultStatTestInput, DriftDirection, StatTestSpec } from "./default-stattest.js";
export { categoricalPsi, columnDrift, driftSamples } from "./column-drift.js";
export type { ColumnDriftInput, DriftSamples } from "./column-drift.js";
export { DEFAULT_DRIFT_SHARE, checkStatTestName, detectDrift, planDrift, summarizeDrift } from "./dataset-drift.js";
export type { DriftPlan } from "./dataset-drift.js";
export { detectDriftParallel, numericDriftStatisticsParallel, sharedFloat64 } from "./parallel-drift.js";
export type { NumericColumnPair, ParallelDriftOptions } from "./parallel-drift.js";
export { createDriftPool } from "./drift-pool.js";
export type { DriftPool } from "./drift-pool.js";
