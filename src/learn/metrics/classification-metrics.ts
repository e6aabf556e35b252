/**
 * Accuracy, precision, recall and F1 on class indices, computed as scikit-learn 1.2 computes them
 * (accuracy_score, precision_recall_fscore_support), including its zero_division rules and its choice of labels.
 */
import { invalidParameter } from "../../core/errors.js";
import { checkPredictions } from "./metric-inputs.js";
import { numpyAverage, numpySum } from "./numpy-sum.js";

/**
 * How per-class scores combine: "binary" scores class index 1 only (two-class problems); "macro" is the plain
 * mean over labels; "weighted" weights each label by its support (true count); "micro" pools the counts.
 */
export type Average = "binary" | "micro" | "macro" | "weighted";

/** The value of an undefined ratio (no predicted or no true rows): "warn" means 0, as in scikit-learn. */
export type ZeroDivision = "warn" | 0 | 1;

export interface ClassificationMetricOptions {
  /** Number of classes; every index must be below it. Default: the largest index seen + 1. */
  readonly classCount?: number;
  /** One non-negative weight per row. */
  readonly sampleWeight?: Float64Array;
}

export interface PrecisionRecallOptions extends ClassificationMetricOptions {
  /** Default "binary", as scikit-learn; it needs class indices 0 and 1 only. */
  readonly average?: Average;
  readonly zeroDivision?: ZeroDivision;
  /**
   * The class indices averaged over (ignored by "binary"). Default, as scikit-learn: the classes that occur in
   * yTrue or yPred, so a class absent from both does not pull a macro average down. Pass every index to count it.
   */
  readonly labels?: readonly number[];
}

export interface PrecisionRecallF1 {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

const AVERAGES: readonly Average[] = ["binary", "micro", "macro", "weighted"];

/**
 * The fraction of rows whose predicted class is the true class (weighted by sampleWeight when given).
 *
 * @example
 * accuracyScore(Int32Array.of(0, 1, 1), Int32Array.of(0, 1, 0)); // 0.666…
 */
export function accuracyScore(yTrue: Int32Array, yPred: Int32Array, options: ClassificationMetricOptions = {}): number {
  const { rows } = checkPredictions("accuracyScore", yTrue, yPred, options);
  if (options.sampleWeight === undefined) {
    let correct = 0;
    for (let i = 0; i < rows; i++) if (yTrue[i] === yPred[i]) correct++;
    return correct / rows;
  }
  const hits = new Float64Array(rows);
  for (let i = 0; i < rows; i++) hits[i] = yTrue[i] === yPred[i] ? 1 : 0;
  return numpyAverage(hits, options.sampleWeight);
}

/**
 * Precision, recall and F1 in one pass, as scikit-learn's precision_recall_fscore_support with beta = 1.
 *
 * @example
 * precisionRecallF1(yTrue, yPred, { classCount: 3, average: "macro" }); // { precision, recall, f1 }
 */
export function precisionRecallF1(yTrue: Int32Array, yPred: Int32Array, options: PrecisionRecallOptions = {}): PrecisionRecallF1 {
  return computePrecisionRecallF1("precisionRecallF1", yTrue, yPred, options);
}

/** Of the rows predicted as a class, the fraction truly of it. @example precisionScore(yTrue, yPred) */
export function precisionScore(yTrue: Int32Array, yPred: Int32Array, options: PrecisionRecallOptions = {}): number {
  return computePrecisionRecallF1("precisionScore", yTrue, yPred, options).precision;
}

/** Of the rows truly of a class, the fraction predicted as it. @example recallScore(yTrue, yPred) */
export function recallScore(yTrue: Int32Array, yPred: Int32Array, options: PrecisionRecallOptions = {}): number {
  return computePrecisionRecallF1("recallScore", yTrue, yPred, options).recall;
}

/** The harmonic mean of precision and recall. @example f1Score(yTrue, yPred, { average: "weighted" }) */
export function f1Score(yTrue: Int32Array, yPred: Int32Array, options: PrecisionRecallOptions = {}): number {
  return computePrecisionRecallF1("f1Score", yTrue, yPred, options).f1;
}

function computePrecisionRecallF1(metric: string, yTrue: Int32Array, yPred: Int32Array, options: PrecisionRecallOptions): PrecisionRecallF1 {
  const average = options.average ?? "binary";
  if (!AVERAGES.includes(average)) throw invalidParameter(`${metric}: average must be one of ${AVERAGES.join(", ")}, got '${String(average)}'`);
  const zeroDivision = options.zeroDivision ?? "warn";
  if (zeroDivision !== "warn" && zeroDivision !== 0 && zeroDivision !== 1) {
    throw invalidParameter(`${metric}: zeroDivision must be "warn", 0 or 1, got ${String(zeroDivision)}`);
  }
  const { rows, classCount } = checkPredictions(metric, yTrue, yPred, options);
  if (average === "binary" && classCount > 2) {
    throw invalidParameter(
      `${metric}: average "binary" scores class 1 of a two-class problem, but there are ${classCount} classes; ` +
        'use "macro", "weighted" or "micro"',
    );
  }

  // Per-class sums accumulated row by row, as numpy's bincount does, so weighted sums round the same way.
  const size = Math.max(classCount, 2);
  const tpSum = new Float64Array(size);
  const predSum = new Float64Array(size);
  const trueSum = new Float64Array(size);
  const present = new Uint8Array(size);
  const weights = options.sampleWeight;
  for (let i = 0; i < rows; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    const w = weights === undefined ? 1 : weights[i];
    trueSum[t] += w;
    predSum[p] += w;
    if (t === p) tpSum[t] += w;
    present[t] = 1;
    present[p] = 1;
  }

  const labels = average === "binary" ? [1] : selectLabels(metric, options.labels, present, classCount);
  let tp = new Float64Array(labels.length);
  let predicted = new Float64Array(labels.length);
  let actual = new Float64Array(labels.length);
  labels.forEach((label, j) => {
    // sklearn rebuilds the sums from tp + fp and tp + fn (multilabel_confusion_matrix); with weights that rounds.
    tp[j] = tpSum[label];
    predicted[j] = tp[j] + (predSum[label] - tpSum[label]);
    actual[j] = tp[j] + (trueSum[label] - tpSum[label]);
  });
  if (average === "micro") {
    tp = Float64Array.of(numpySum(tp));
    predicted = Float64Array.of(numpySum(predicted));
    actual = Float64Array.of(numpySum(actual));
  }

  const undefinedValue = zeroDivision === 1 ? 1 : 0;
  const precision = divide(tp, predicted, undefinedValue);
  const recall = divide(tp, actual, undefinedValue);
  const f1 = precision.map((p, j) => {
    const denominator = p + recall[j];
    return (2 * p * recall[j]) / (denominator === 0 ? 1 : denominator);
  });

  if (average === "weighted") {
    if (numpySum(actual) === 0) {
      // No true rows at all (every weight zero): sklearn's special case.
      if (numpySum(predicted) === 0) return { precision: undefinedValue, recall: undefinedValue, f1: undefinedValue };
      return { precision: 0, recall: undefinedValue, f1: 0 };
    }
    return { precision: numpyAverage(precision, actual), recall: numpyAverage(recall, actual), f1: numpyAverage(f1, actual) };
  }
  return { precision: numpyAverage(precision), recall: numpyAverage(recall), f1: numpyAverage(f1) };
}

function divide(numerator: Float64Array, denominator: Float64Array, undefinedValue: number): Float64Array {
  return numerator.map((n, j) => (denominator[j] === 0 ? undefinedValue : n / denominator[j]));
}

function selectLabels(metric: string, labels: readonly number[] | undefined, present: Uint8Array, classCount: number): number[] {
  if (labels === undefined) {
    const found: number[] = [];
    present.forEach((isPresent, label) => {
      if (isPresent) found.push(label);
    });
    return found;
  }
  if (labels.length === 0) throw invalidParameter(`${metric}: labels is empty; pass at least one class index or leave it out`);
  for (const label of labels) {
    if (!Number.isInteger(label) || label < 0 || label >= classCount) {
      throw invalidParameter(`${metric}: labels holds ${label}; class indices must be integers in [0, ${classCount})`);
    }
  }
  return [...labels];
}
