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
export { DEFAULT_DRIFT_SHARE, checkStatTestName, detectDrift } from "./dataset-drift.js";
