/**
 * The part of `keel train`'s classification metric set that predicted labels alone define, under the same
 * names, so a model served without probabilities can still be compared with its validation run.
 */
import { KeelError } from "../../core/errors.js";
import { accuracyScore, precisionRecallF1 } from "../../learn/metrics/index.js";

/**
 * Two classes: `accuracy`, `precision`, `recall`, `f1` (positive class = index 1). Three or more: `accuracy`,
 * `precision_macro`, `recall_macro`, `f1_macro`, `precision_weighted`, `recall_weighted`, `f1_weighted`.
 * Equal to evaluateClassifier's values when yPred is the argmax of its probabilities.
 * @throws KeelError INVALID_PARAMETER_VALUE for fewer than two classes, no rows, or an index out of range.
 * @example
 * evaluateLabels(Int32Array.of(0, 1, 1), Int32Array.of(0, 1, 0), ["no", "yes"]); // { accuracy: 0.667, precision: 1, recall: 0.5, f1: 0.667 }
 */
export function evaluateLabels(yTrue: Int32Array, yPred: Int32Array, classes: readonly string[]): Record<string, number> {
  const classCount = classes.length;
  if (classCount < 2) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `evaluateLabels: a classifier needs at least two classes, got ${classCount}; pass every class the model knows`);
  }
  const options = { classCount };
  const result: Record<string, number> = { accuracy: accuracyScore(yTrue, yPred, options) };
  if (classCount === 2) {
    const { precision, recall, f1 } = precisionRecallF1(yTrue, yPred, { ...options, average: "binary" });
    return Object.assign(result, { precision, recall, f1 });
  }
  for (const average of ["macro", "weighted"] as const) {
    const { precision, recall, f1 } = precisionRecallF1(yTrue, yPred, { ...options, average });
    result[`precision_${average}`] = precision;
    result[`recall_${average}`] = recall;
    result[`f1_${average}`] = f1;
  }
  return result;
}
