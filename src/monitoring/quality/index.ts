/**
 * Data quality of a current table against a reference: missing shares, type mismatches, new categories,
 * out-of-range values, constant columns and duplicate rows, with issues under thresholds.
 */
export type {
  ColumnQuality,
  DataQualityOptions,
  DataQualityResult,
  DataQualityThresholds,
  DuplicateRows,
  NewCategories,
  OutOfRange,
  QualityCheck,
  QualityIssue,
  ValueType,
} from "./types.js";
export { DEFAULT_QUALITY_THRESHOLDS, checkDataQuality } from "./data-quality.js";
export { NEW_CATEGORY_SAMPLE_SIZE, columnQuality, isConstant, parseDecimal } from "./column-quality.js";
export { countDuplicateRows } from "./duplicate-rows.js";
