/** Regression metrics, as scikit-learn 1.2's mean_squared_error, mean_absolute_error and r2_score. */
import { checkFinite, checkRowCount, checkSampleWeight } from "./metric-inputs.js";
import { numpyAverage, numpySum } from "./numpy-sum.js";

export interface RegressionMetricOptions {
  /** One non-negative weight per row. */
  readonly sampleWeight?: Float64Array;
}

/** Mean of the squared errors. @example meanSquaredError(Float64Array.of(1, 2), Float64Array.of(1, 4)); // 2 */
export function meanSquaredError(yTrue: Float64Array, yPred: Float64Array, options: RegressionMetricOptions = {}): number {
  checkRegression("meanSquaredError", yTrue, yPred, options);
  return numpyAverage(squaredErrors(yTrue, yPred), options.sampleWeight);
}

/** Square root of the mean squared error, in the target's unit. @example rootMeanSquaredError(yTrue, yPred) */
export function rootMeanSquaredError(yTrue: Float64Array, yPred: Float64Array, options: RegressionMetricOptions = {}): number {
  checkRegression("rootMeanSquaredError", yTrue, yPred, options);
  return Math.sqrt(numpyAverage(squaredErrors(yTrue, yPred), options.sampleWeight));
}

/** Mean of the absolute errors. @example meanAbsoluteError(Float64Array.of(1, 2), Float64Array.of(1, 4)); // 1 */
export function meanAbsoluteError(yTrue: Float64Array, yPred: Float64Array, options: RegressionMetricOptions = {}): number {
  checkRegression("meanAbsoluteError", yTrue, yPred, options);
  const errors = new Float64Array(yTrue.length);
  for (let i = 0; i < errors.length; i++) errors[i] = Math.abs(yPred[i] - yTrue[i]);
  return numpyAverage(errors, options.sampleWeight);
}

/**
 * Coefficient of determination, 1 − SS_res / SS_tot, with scikit-learn's edge cases: NaN for fewer than two
 * rows; for a constant yTrue (SS_tot = 0), 1 when every prediction is exact and 0 otherwise. SS_tot uses
 * numpy's mean, so a constant yTrue whose mean numpy rounds (0.1 a thousand times) gets sklearn's huge
 * negative score, not 0.
 *
 * @example
 * r2Score(Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 4)); // 0.5
 */
export function r2Score(yTrue: Float64Array, yPred: Float64Array, options: RegressionMetricOptions = {}): number {
  checkRegression("r2Score", yTrue, yPred, options);
  const rows = yTrue.length;
  if (rows < 2) return NaN;
  const weights = options.sampleWeight;
  const mean = numpyAverage(yTrue, weights);
  const residual = squaredErrors(yTrue, yPred);
  const spread = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const deviation = yTrue[i] - mean;
    spread[i] = deviation * deviation;
  }
  if (weights !== undefined) {
    for (let i = 0; i < rows; i++) {
      residual[i] *= weights[i];
      spread[i] *= weights[i];
    }
  }
  const numerator = numpySum(residual);
  const denominator = numpySum(spread);
  if (numerator === 0) return 1;
  if (denominator === 0) return 0;
  return 1 - numerator / denominator;
}

function squaredErrors(yTrue: Float64Array, yPred: Float64Array): Float64Array {
  const errors = new Float64Array(yTrue.length);
  for (let i = 0; i < errors.length; i++) {
    const error = yTrue[i] - yPred[i];
    errors[i] = error * error;
  }
  return errors;
}

function checkRegression(metric: string, yTrue: Float64Array, yPred: Float64Array, options: RegressionMetricOptions): void {
  const rows = checkRowCount(metric, yTrue, yPred, "yPred");
  checkFinite(metric, "yTrue", yTrue);
  checkFinite(metric, "yPred", yPred);
  checkSampleWeight(metric, options.sampleWeight, rows);
}
