/**
 * The metric sets `keel train` logs for a held-out split. Names are scikit-learn's scorer names (without the
 * "neg_" of losses), so a run logged by Keel reads like one scored with sklearn:
 *
 * - two classes (positive class = index 1, score = probability column 1):
 *   `accuracy`, `precision`, `recall`, `f1`, `roc_auc`, `log_loss`
 * - three or more classes: `accuracy`, `precision_macro`, `recall_macro`, `f1_macro`, `precision_weighted`,
 *   `recall_weighted`, `f1_weighted`, `roc_auc_ovr` (macro), `roc_auc_ovr_weighted`, `log_loss`
 * - regression: `rmse`, `mae`, `r2`
 *
 * Predicted classes are the argmax of the probabilities (ties to the lower index, as numpy's argmax).
 * Undefined ratios count as 0 (sklearn's zero_division="warn"); precision/recall/F1 averages run over the
 * classes present in yTrue or the predictions, as sklearn's defaults do. ROC AUC keys are left out when it is
 * undefined: a binary yTrue holding one class, or a multiclass yTrue missing a class.
 */
import { invalidParameter } from "../../core/errors.js";
import { accuracyScore, precisionRecallF1 } from "./classification-metrics.js";
import { logLoss } from "./log-loss.js";
import { checkClassIndices, checkProbabilities } from "./metric-inputs.js";
import { meanAbsoluteError, r2Score, rootMeanSquaredError } from "./regression-metrics.js";
import { rocAuc, rocAucOvrAverages } from "./roc-auc.js";

/**
 * Scores class probabilities against true class indices into `classes`.
 *
 * @example
 * evaluateClassifier(target.y, model.predictProba(x), target.classes); // { accuracy: 0.91, f1: 0.88, ... }
 */
export function evaluateClassifier(yTrue: Int32Array, proba: Float64Array, classes: readonly string[]): Record<string, number> {
  const metric = "evaluateClassifier";
  const k = classes.length;
  if (k < 2) throw invalidParameter(`${metric}: a classifier needs at least two classes, got ${k}`);
  if (yTrue.length === 0) throw invalidParameter(`${metric}: yTrue is empty; evaluate on at least one row`);
  checkClassIndices(metric, "yTrue", yTrue, k);
  checkProbabilities(metric, proba, yTrue.length, k);
  const yPred = argmaxRows(proba, yTrue.length, k);
  const options = { classCount: k };
  const result: Record<string, number> = { accuracy: accuracyScore(yTrue, yPred, options) };

  if (k === 2) {
    const { precision, recall, f1 } = precisionRecallF1(yTrue, yPred, { ...options, average: "binary" });
    Object.assign(result, { precision, recall, f1 });
    if (hasEveryClass(yTrue, k)) {
      result.roc_auc = rocAuc(yTrue, proba, k);
    }
  } else {
    for (const average of ["macro", "weighted"] as const) {
      const { precision, recall, f1 } = precisionRecallF1(yTrue, yPred, { ...options, average });
      result[`precision_${average}`] = precision;
      result[`recall_${average}`] = recall;
      result[`f1_${average}`] = f1;
    }
    if (hasEveryClass(yTrue, k)) {
      const { macro, weighted } = rocAucOvrAverages(yTrue, proba, k);
      result.roc_auc_ovr = macro;
      result.roc_auc_ovr_weighted = weighted;
    }
  }
  result.log_loss = logLoss(yTrue, proba, k);
  return result;
}

/**
 * Scores regression predictions: `rmse`, `mae`, `r2`.
 *
 * @example
 * evaluateRegressor(target.y, model.predict(x)); // { rmse: 1.02, mae: 0.8, r2: 0.89 }
 */
export function evaluateRegressor(yTrue: Float64Array, yPred: Float64Array): Record<string, number> {
  return {
    rmse: rootMeanSquaredError(yTrue, yPred),
    mae: meanAbsoluteError(yTrue, yPred),
    r2: r2Score(yTrue, yPred),
  };
}

function argmaxRows(proba: Float64Array, rows: number, k: number): Int32Array {
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
    labels[i] = best;
  }
  return labels;
}

function hasEveryClass(yTrue: Int32Array, k: number): boolean {
  const seen = new Uint8Array(k);
  let distinct = 0;
  for (let i = 0; i < yTrue.length && distinct < k; i++) {
    if (!seen[yTrue[i]]) {
      seen[yTrue[i]] = 1;
      distinct++;
    }
  }
  return distinct === k;
}
