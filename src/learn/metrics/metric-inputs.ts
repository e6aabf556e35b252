/**
 * Input checks shared by the metrics. Every failure is a KeelError INVALID_PARAMETER_VALUE naming the argument,
 * so a bad call never turns into a silent NaN: a metric logged to a run is taken at its word.
 */
import { invalidParameter } from "../../core/errors.js";

/** Both arrays hold the same, non-zero number of rows; returns it. */
export function checkRowCount(metric: string, yTrue: ArrayLike<number>, other: ArrayLike<number>, otherName: string): number {
  if (yTrue.length === 0) throw invalidParameter(`${metric}: yTrue is empty; a metric needs at least one row`);
  if (other.length !== yTrue.length) {
    throw invalidParameter(`${metric}: yTrue has ${yTrue.length} rows but ${otherName} has ${other.length}; pass one value per row`);
  }
  return yTrue.length;
}

/** A class count given by the caller: an integer of at least `min`. */
export function checkClassCount(metric: string, classCount: number, min: number): number {
  if (!Number.isInteger(classCount) || classCount < min) {
    throw invalidParameter(`${metric}: classCount must be an integer of at least ${min}, got ${classCount}`);
  }
  return classCount;
}

/**
 * Class indices lie in [0, classCount). Without a class count, any non-negative index is accepted and the
 * count is taken as the largest index + 1. Returns the class count.
 */
export function checkClassIndices(metric: string, name: string, y: Int32Array, classCount?: number): number {
  let max = -1;
  for (let i = 0; i < y.length; i++) {
    const label = y[i];
    if (label < 0 || (classCount !== undefined && label >= classCount)) {
      const range = classCount === undefined ? "non-negative" : `in [0, ${classCount})`;
      throw invalidParameter(`${metric}: ${name}[${i}] is ${label}; class indices must be ${range}`);
    }
    if (label > max) max = label;
  }
  return classCount ?? max + 1;
}

/** Every value is finite: numpy-based metrics reject NaN and infinity (sklearn's check_array). */
export function checkFinite(metric: string, name: string, values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw invalidParameter(`${metric}: ${name}[${i}] is ${values[i]}; values must be finite numbers`);
  }
}

/** Sample weights: one finite, non-negative weight per row, not all zero. */
export function checkSampleWeight(metric: string, weights: Float64Array | undefined, rows: number): void {
  if (weights === undefined) return;
  if (weights.length !== rows) {
    throw invalidParameter(`${metric}: sampleWeight has ${weights.length} values but there are ${rows} rows; pass one weight per row`);
  }
  let anyPositive = false;
  for (let i = 0; i < rows; i++) {
    if (!(weights[i] >= 0) || weights[i] === Infinity) {
      throw invalidParameter(`${metric}: sampleWeight[${i}] is ${weights[i]}; weights must be finite and non-negative`);
    }
    if (weights[i] > 0) anyPositive = true;
  }
  if (!anyPositive) throw invalidParameter(`${metric}: every sampleWeight is 0; at least one row must carry weight`);
}

/** A rows × classCount row-major matrix of finite probabilities. */
export function checkProbabilities(metric: string, proba: Float64Array, rows: number, classCount: number): void {
  if (proba.length !== rows * classCount) {
    throw invalidParameter(
      `${metric}: proba has ${proba.length} values but ${rows} rows × ${classCount} classes need ${rows * classCount}; ` +
        "pass predictProba's row-major matrix with one column per class",
    );
  }
  checkFinite(metric, "proba", proba);
}

/**
 * The checks every metric on (yTrue, yPred) class indices starts with: same non-zero length, indices in range,
 * one weight per row. Returns the row count and the class count (given, or the largest index + 1).
 */
export function checkPredictions(
  metric: string,
  yTrue: Int32Array,
  yPred: Int32Array,
  options: { readonly classCount?: number; readonly sampleWeight?: Float64Array },
): { readonly rows: number; readonly classCount: number } {
  const rows = checkRowCount(metric, yTrue, yPred, "yPred");
  const given = options.classCount === undefined ? undefined : checkClassCount(metric, options.classCount, 1);
  const classCount = Math.max(checkClassIndices(metric, "yTrue", yTrue, given), checkClassIndices(metric, "yPred", yPred, given));
  checkSampleWeight(metric, options.sampleWeight, rows);
  return { rows, classCount };
}
