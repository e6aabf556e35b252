/**
 * Compares current metrics with reference metrics (a model's validation metrics), knowing for each metric name
 * `keel train` logs whether higher or lower is better.
 */
import { KeelError } from "../../core/errors.js";
import type { MetricComparison, MetricDirection } from "./types.js";

/** The default relative tolerance: a metric 5% worse than its reference value is degraded. */
export const DEFAULT_TOLERANCE = 0.05;

/** Directions of the metric names evaluateClassifier and evaluateRegressor produce (plus mse). */
export const METRIC_DIRECTIONS: Readonly<Record<string, MetricDirection>> = {
  accuracy: "higher_is_better",
  precision: "higher_is_better",
  recall: "higher_is_better",
  f1: "higher_is_better",
  roc_auc: "higher_is_better",
  precision_macro: "higher_is_better",
  recall_macro: "higher_is_better",
  f1_macro: "higher_is_better",
  precision_weighted: "higher_is_better",
  recall_weighted: "higher_is_better",
  f1_weighted: "higher_is_better",
  roc_auc_ovr: "higher_is_better",
  roc_auc_ovr_weighted: "higher_is_better",
  r2: "higher_is_better",
  log_loss: "lower_is_better",
  rmse: "lower_is_better",
  mse: "lower_is_better",
  mae: "lower_is_better",
};

// Slack for rounding, so that 2.1 against 2.0 at 5% (a change of 0.10000000000000009) counts as exactly 5%.
const ROUNDING_SLACK = 1e-9;

/** Checks a tolerance given by the caller and returns it, or the default when it is undefined. */
export function checkTolerance(tolerance: number | undefined): number {
  if (tolerance === undefined) return DEFAULT_TOLERANCE;
  if (!(Number.isFinite(tolerance) && tolerance >= 0)) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `tolerance is a relative change and must be a finite number >= 0 (0.05 = 5%), got ${tolerance}`);
  }
  return tolerance;
}

/**
 * One comparison per metric present, finite, on both sides and of known direction, in the order of
 * `currentMetrics`. A metric is degraded when it is worse than the reference by more than
 * tolerance × |reference| (relative, so 0.05 lets accuracy 0.90 fall to 0.855 and rmse 2.0 rise to 2.1, both
 * inclusive); with a reference of 0 any worsening counts.
 * @throws KeelError INVALID_PARAMETER_VALUE for a negative or non-finite tolerance.
 * @example
 * degradation({ accuracy: 0.9, log_loss: 0.3 }, { accuracy: 0.8, log_loss: 0.31 }, 0.05);
 * // accuracy degraded (−11%), log_loss not (+3.3%)
 */
export function degradation(
  referenceMetrics: Readonly<Record<string, number>>,
  currentMetrics: Readonly<Record<string, number>>,
  tolerance: number = DEFAULT_TOLERANCE,
): MetricComparison[] {
  const allowed = checkTolerance(tolerance);
  const comparisons: MetricComparison[] = [];
  for (const [metric, current] of Object.entries(currentMetrics)) {
    const direction = Object.hasOwn(METRIC_DIRECTIONS, metric) ? METRIC_DIRECTIONS[metric] : undefined;
    const reference = Object.hasOwn(referenceMetrics, metric) ? referenceMetrics[metric] : undefined;
    if (direction === undefined || reference === undefined || !Number.isFinite(reference) || !Number.isFinite(current)) continue;
    const change = current - reference;
    const worsening = direction === "higher_is_better" ? -change : change;
    comparisons.push({
      metric,
      reference,
      current,
      change,
      relativeChange: reference !== 0 ? change / Math.abs(reference) : change === 0 ? 0 : null,
      direction,
      degraded: worsening > allowed * Math.abs(reference) * (1 + ROUNDING_SLACK),
    });
  }
  return comparisons;
}
