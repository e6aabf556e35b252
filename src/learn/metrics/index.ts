/**
 * Evaluation metrics equal to scikit-learn 1.2's on the same inputs (to 1e-9; see fixtures/make-fixtures.py).
 * Classification metrics take class indices (Int32Array) and probabilities (rows × classes, row-major
 * Float64Array); regression metrics take Float64Arrays. Bad input throws KeelError INVALID_PARAMETER_VALUE.
 * `evaluateClassifier` / `evaluateRegressor` give the named metric set `keel train` logs (names in evaluate.ts).
 */
export {
  accuracyScore,
  f1Score,
  precisionRecallF1,
  precisionScore,
  recallScore,
  type Average,
  type ClassificationMetricOptions,
  type PrecisionRecallF1,
  type PrecisionRecallOptions,
  type ZeroDivision,
} from "./classification-metrics.js";
export { confusionMatrix, type ConfusionMatrixOptions } from "./confusion-matrix.js";
export { evaluateClassifier, evaluateRegressor } from "./evaluate.js";
export { logLoss, type LogLossOptions } from "./log-loss.js";
export {
  meanAbsoluteError,
  meanSquaredError,
  r2Score,
  rootMeanSquaredError,
  type RegressionMetricOptions,
} from "./regression-metrics.js";
export { rocAuc, rocAucOvrAverages, rocAucOvrScore, rocAucScore, rocCurve, type RocAucOvrOptions, type RocCurve, type RocCurveOptions, type RocOptions } from "./roc-auc.js";
