/**
 * Model performance with late labels: classification and regression metrics over time windows, compared with
 * the model's validation metrics, with degradation flagged.
 */
export type {
  ClassificationLabelsPerformanceInput,
  ClassificationPerformanceInput,
  MetricComparison,
  MetricDirection,
  PerformanceOptions,
  PerformanceResult,
  PerformanceWindow,
  RegressionPerformanceInput,
} from "./types.js";
export { DEFAULT_TOLERANCE, METRIC_DIRECTIONS, checkTolerance, degradation } from "./degradation.js";
export { evaluateLabels } from "./label-metrics.js";
export { groupByWindow, windowStart, type WindowRows } from "./time-windows.js";
export { classificationPerformance, classificationPerformanceFromLabels, regressionPerformance } from "./windowed-performance.js";
