/** The confusion matrix, as scikit-learn's confusion_matrix with labels = every class index in order. */
import { invalidParameter } from "../../core/errors.js";
import { checkClassCount, checkPredictions } from "./metric-inputs.js";
import { numpySum } from "./numpy-sum.js";

export interface ConfusionMatrixOptions {
  /** One non-negative weight per row: entries become total weights. */
  readonly sampleWeight?: Float64Array;
  /** Divide by each true class's total ("true"), each predicted class's total ("pred") or the grand total ("all"). */
  readonly normalize?: "true" | "pred" | "all";
}

/**
 * classCount × classCount counts, one array per true class: matrix[t][p] is the number (or total weight) of rows
 * of true class t predicted as p; nested arrays so that it logs as JSON unchanged. With `normalize`, an empty
 * row or column gives zeros, as in scikit-learn.
 *
 * @example
 * confusionMatrix(Int32Array.of(0, 1, 1), Int32Array.of(0, 1, 0), 2); // [[1, 0], [1, 1]]
 */
export function confusionMatrix(yTrue: Int32Array, yPred: Int32Array, classCount: number, options: ConfusionMatrixOptions = {}): number[][] {
  const metric = "confusionMatrix";
  checkClassCount(metric, classCount, 1);
  const { rows } = checkPredictions(metric, yTrue, yPred, { classCount, sampleWeight: options.sampleWeight });
  const normalize = options.normalize;
  if (normalize !== undefined && normalize !== "true" && normalize !== "pred" && normalize !== "all") {
    throw invalidParameter(`${metric}: normalize must be "true", "pred" or "all", got '${String(normalize)}'`);
  }
  const k = classCount;
  const data = new Float64Array(k * k);
  const weights = options.sampleWeight;
  for (let i = 0; i < rows; i++) data[yTrue[i] * k + yPred[i]] += weights === undefined ? 1 : weights[i];

  if (normalize === "true") {
    for (let t = 0; t < k; t++) {
      const total = numpySum(data, t * k, k);
      for (let p = 0; p < k; p++) data[t * k + p] = zeroIfNaN(data[t * k + p] / total);
    }
  } else if (normalize === "pred") {
    for (let p = 0; p < k; p++) {
      // numpy sums a column of a C-ordered matrix row after row, not pairwise.
      let total = 0;
      for (let t = 0; t < k; t++) total += data[t * k + p];
      for (let t = 0; t < k; t++) data[t * k + p] = zeroIfNaN(data[t * k + p] / total);
    }
  } else if (normalize === "all") {
    const total = numpySum(data);
    for (let j = 0; j < data.length; j++) data[j] = zeroIfNaN(data[j] / total);
  }
  return Array.from({ length: k }, (_, t) => Array.from(data.subarray(t * k, (t + 1) * k)));
}

function zeroIfNaN(value: number): number {
  return Number.isNaN(value) ? 0 : value;
}
