/**
 * Model performance once ground truth has arrived: the metric set `keel train` logs, over all rows and per
 * epoch-aligned time window of prediction time, compared with the model's validation metrics.
 */
import { KeelError } from "../../core/errors.js";
import { evaluateClassifier, evaluateRegressor } from "../../learn/metrics/index.js";
import { checkTolerance, degradation } from "./degradation.js";
import { evaluateLabels } from "./label-metrics.js";
import { groupByWindow } from "./time-windows.js";
import type {
  ClassificationLabelsPerformanceInput,
  ClassificationPerformanceInput,
  PerformanceOptions,
  PerformanceResult,
  PerformanceWindow,
  RegressionPerformanceInput,
} from "./types.js";

/** Scores the rows at the given indices (ascending) with one metric set. */
type Score = (rows: Int32Array) => Record<string, number>;

function invalid(message: string): KeelError {
  return new KeelError("INVALID_PARAMETER_VALUE", message);
}

function checkLength(name: string, length: number, expected: number, what: string): void {
  if (length !== expected) throw invalid(`${name} has ${length} values but there are ${expected} rows; pass ${what}`);
}

/** Undefined metrics (NaN r2 of one row) are left out rather than reported as NaN, which JSON cannot carry. */
function finiteOnly(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, value]) => Number.isFinite(value)));
}

function subsetInts(values: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

function subsetFloats(values: Float64Array, rows: Int32Array, width: number): Float64Array {
  const out = new Float64Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) out.set(values.subarray(rows[i] * width, rows[i] * width + width), i * width);
  return out;
}

function windowed(options: PerformanceOptions, rowCount: number, score: Score): PerformanceResult {
  const tolerance = checkTolerance(options.tolerance);
  const minRows = options.minWindowRows ?? 1;
  if (!(Number.isInteger(minRows) && minRows >= 1)) throw invalid(`minWindowRows must be a whole number >= 1, got ${minRows}`);
  const groups = groupByWindow(options.timestamps, options.windowMs, rowCount);
  const reference = options.referenceMetrics;
  const all = Int32Array.from({ length: rowCount }, (_, i) => i);
  const overall = rowCount === 0 ? {} : finiteOnly(score(all));
  const windows = groups.map(({ start, rows }): PerformanceWindow => {
    const metrics = rows.length < minRows ? {} : finiteOnly(score(rows));
    const degradedMetrics = reference === undefined ? [] : degradation(reference, metrics, tolerance).filter((c) => c.degraded).map((c) => c.metric);
    return { start, end: start + options.windowMs, rows: rows.length, metrics, degradedMetrics };
  });
  const comparison = reference === undefined ? [] : degradation(reference, overall, tolerance);
  return { overall, rows: rowCount, windows, comparison, degraded: comparison.some((c) => c.degraded), tolerance };
}

/**
 * Classification performance from true classes and predicted probabilities: evaluateClassifier's metrics
 * (accuracy, precision, recall, f1, roc_auc, log_loss for two classes; macro/weighted variants and roc_auc_ovr for
 * more) overall and per window, so they line up with the model's logged validation metrics. roc_auc is left out
 * of a window holding one class. With only predicted labels, use classificationPerformanceFromLabels.
 * @throws KeelError INVALID_PARAMETER_VALUE for mismatched lengths, class indices out of range, a bad window,
 * timestamp or tolerance.
 * @example
 * const perf = classificationPerformance({ timestamps, yTrue, proba, classes: ["no", "yes"], windowMs: 86_400_000,
 *   referenceMetrics: run.data.metrics });
 * if (perf.degraded) console.log(perf.comparison.filter((c) => c.degraded));
 */
export function classificationPerformance(input: ClassificationPerformanceInput): PerformanceResult {
  const { yTrue, proba, classes } = input;
  const width = classes.length;
  checkLength("proba", proba.length, yTrue.length * width, `one probability per class per row (${yTrue.length} × ${width}, row-major)`);
  return windowed(input, yTrue.length, (rows) =>
    rows.length === yTrue.length ? evaluateClassifier(yTrue, proba, classes) : evaluateClassifier(subsetInts(yTrue, rows), subsetFloats(proba, rows, width), classes),
  );
}

/**
 * Classification performance from true and predicted classes when the model's probabilities are not known:
 * accuracy, precision, recall and f1 (macro and weighted variants for three or more classes), named as
 * evaluateClassifier names them. roc_auc and log_loss need probabilities and are not computed, so references
 * to them are not compared.
 * @throws KeelError INVALID_PARAMETER_VALUE as classificationPerformance.
 * @example
 * classificationPerformanceFromLabels({ timestamps, yTrue, yPred, classes, windowMs: 3_600_000 }).windows;
 */
export function classificationPerformanceFromLabels(input: ClassificationLabelsPerformanceInput): PerformanceResult {
  const { yTrue, yPred, classes } = input;
  checkLength("yPred", yPred.length, yTrue.length, "one predicted class per row");
  return windowed(input, yTrue.length, (rows) =>
    rows.length === yTrue.length ? evaluateLabels(yTrue, yPred, classes) : evaluateLabels(subsetInts(yTrue, rows), subsetInts(yPred, rows), classes),
  );
}

/**
 * Regression performance: rmse, mae and r2 (evaluateRegressor's names) overall and per window; r2 is left out
 * of a window of one row, where it is undefined.
 * @throws KeelError INVALID_PARAMETER_VALUE for mismatched lengths, non-finite values, a bad window, timestamp
 * or tolerance.
 * @example
 * regressionPerformance({ timestamps, yTrue, yPred, windowMs: 86_400_000, referenceMetrics: { rmse: 2.1, r2: 0.8 } });
 */
export function regressionPerformance(input: RegressionPerformanceInput): PerformanceResult {
  const { yTrue, yPred } = input;
  checkLength("yPred", yPred.length, yTrue.length, "one prediction per row");
  return windowed(input, yTrue.length, (rows) =>
    rows.length === yTrue.length ? evaluateRegressor(yTrue, yPred) : evaluateRegressor(subsetFloats(yTrue, rows, 1), subsetFloats(yPred, rows, 1)),
  );
}
