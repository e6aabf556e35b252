/** Log loss (cross-entropy), as scikit-learn 1.2's log_loss(yTrue, proba, labels=range(classCount)). */
import { invalidParameter } from "../../core/errors.js";
import { checkClassCount, checkClassIndices, checkProbabilities, checkSampleWeight } from "./metric-inputs.js";
import { numpyAverage, numpySum } from "./numpy-sum.js";

export interface LogLossOptions {
  /**
   * Probabilities are clipped to [eps, 1 - eps] so that a confident mistake costs a finite amount. Default:
   * float64's machine epsilon (2.2e-16), scikit-learn 1.2's eps="auto"; before 1.2 it was 1e-15.
   */
  readonly eps?: number;
  /** One non-negative weight per row. */
  readonly sampleWeight?: Float64Array;
}

/**
 * Mean negative log-probability of the true class. proba is rows × classCount, row-major; each row is clipped
 * then divided by its sum, as scikit-learn does, so rows need not sum to exactly 1.
 *
 * @example
 * logLoss(Int32Array.of(0, 1), Float64Array.of(0.9, 0.1, 0.2, 0.8), 2); // 0.164…
 */
export function logLoss(yTrue: Int32Array, proba: Float64Array, classCount: number, options: LogLossOptions = {}): number {
  const metric = "logLoss";
  const rows = yTrue.length;
  if (rows === 0) throw invalidParameter(`${metric}: yTrue is empty; a metric needs at least one row`);
  const k = checkClassCount(metric, classCount, 2);
  checkClassIndices(metric, "yTrue", yTrue, k);
  checkProbabilities(metric, proba, rows, k);
  checkSampleWeight(metric, options.sampleWeight, rows);
  const eps = options.eps ?? Number.EPSILON;
  if (!(eps >= 0 && eps < 0.5)) throw invalidParameter(`${metric}: eps must be in [0, 0.5), got ${eps}`);

  const low = eps;
  const high = 1 - eps;
  const clipped = new Float64Array(k);
  const losses = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < k; c++) clipped[c] = Math.min(Math.max(proba[i * k + c], low), high);
    losses[i] = -Math.log(clipped[yTrue[i]] / numpySum(clipped));
  }
  return numpyAverage(losses, options.sampleWeight);
}
