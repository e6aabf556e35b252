/**
 * ROC curves and the area under them, as scikit-learn 1.2 computes them: roc_curve (one point per distinct
 * score, so tied scores move the curve diagonally; collinear points dropped) and auc's trapezoid rule, then
 * roc_auc_score's one-vs-rest averages for more than two classes. Sorting makes it O(n log n) per curve.
 */
import { invalidParameter } from "../../core/errors.js";
import { checkClassCount, checkClassIndices, checkFinite, checkProbabilities, checkRowCount, checkSampleWeight } from "./metric-inputs.js";
import { numpyAverage, numpySum } from "./numpy-sum.js";

export interface RocCurve {
  /** False positive rate at each threshold, from 0 up to 1. */
  readonly fpr: Float64Array;
  /** True positive rate at each threshold. */
  readonly tpr: Float64Array;
  /** Decreasing score thresholds; the first is the highest score + 1, where nothing is predicted positive. */
  readonly thresholds: Float64Array;
}

export interface RocOptions {
  /** One non-negative weight per row; rows of weight zero are left out of the curve, as in scikit-learn. */
  readonly sampleWeight?: Float64Array;
}

export interface RocCurveOptions extends RocOptions {
  /** Drop points collinear with their neighbours (scikit-learn's drop_intermediate); default true. */
  readonly dropIntermediate?: boolean;
}

export interface RocAucOvrOptions extends RocOptions {
  /** "macro" (default): mean of the per-class AUCs; "weighted": weighted by class support; "micro": pooled. */
  readonly average?: "macro" | "weighted" | "micro";
}

/**
 * The ROC curve of a binary problem: yTrue holds class indices 0 and 1 (1 is positive), scores the positive
 * class's score (predictProba's column 1). Both classes must occur in yTrue.
 *
 * @example
 * const { fpr, tpr } = rocCurve(Int32Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8));
 */
export function rocCurve(yTrue: Int32Array, scores: Float64Array, options: RocCurveOptions = {}): RocCurve {
  const positive = checkBinary("rocCurve", yTrue, scores, options.sampleWeight);
  return curve(positive, scores, options.sampleWeight, options.dropIntermediate ?? true);
}

/**
 * Area under the ROC curve of a binary problem, as scikit-learn's roc_auc_score(yTrue, scores): yTrue holds
 * class indices 0 and 1 (1 is positive, both must occur), scores the positive class's score.
 *
 * @example
 * rocAucScore(Int32Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8)); // 0.75
 */
export function rocAucScore(yTrue: Int32Array, scores: Float64Array, options: RocOptions = {}): number {
  const positive = checkBinary("rocAucScore", yTrue, scores, options.sampleWeight);
  return areaUnderCurve(curve(positive, scores, options.sampleWeight, true));
}

/**
 * One-vs-rest ROC AUC of a problem with three or more classes, as scikit-learn's
 * roc_auc_score(yTrue, proba, multi_class="ovr", average=...). proba is rows × classCount, row-major, rows
 * summing to 1; every class must occur in yTrue, or its one-vs-rest AUC is undefined.
 *
 * @example
 * rocAucOvrScore(yTrue, model.predictProba(x), 3, { average: "weighted" });
 */
export function rocAucOvrScore(yTrue: Int32Array, proba: Float64Array, classCount: number, options: RocAucOvrOptions = {}): number {
  const metric = "rocAucOvrScore";
  const average = options.average ?? "macro";
  if (average !== "macro" && average !== "weighted" && average !== "micro") {
    throw invalidParameter(`${metric}: average must be "macro", "weighted" or "micro", got '${String(average)}'`);
  }
  const k = checkOneVsRest(metric, yTrue, proba, classCount, options.sampleWeight);
  if (average === "micro") return microAuc(yTrue, proba, k, options.sampleWeight);
  const averages = oneVsRestAverages(yTrue, proba, k, options.sampleWeight);
  return average === "macro" ? averages.macro : averages.weighted;
}

/**
 * The macro and weighted one-vs-rest AUCs from one pass over the classes (one sort per class, not two), for
 * callers that log both. Inputs as rocAucOvrScore.
 */
export function rocAucOvrAverages(yTrue: Int32Array, proba: Float64Array, classCount: number): { readonly macro: number; readonly weighted: number } {
  const k = checkOneVsRest("rocAucOvrAverages", yTrue, proba, classCount, undefined);
  return oneVsRestAverages(yTrue, proba, k, undefined);
}

function checkOneVsRest(metric: string, yTrue: Int32Array, proba: Float64Array, classCount: number, weights: Float64Array | undefined): number {
  const rows = yTrue.length;
  if (rows === 0) throw invalidParameter(`${metric}: yTrue is empty; a metric needs at least one row`);
  if (classCount === 2) {
    throw invalidParameter(`${metric}: one-vs-rest needs three or more classes; for two, call rocAucScore with proba's column 1`);
  }
  const k = checkClassCount(metric, classCount, 3);
  checkClassIndices(metric, "yTrue", yTrue, k);
  checkProbabilities(metric, proba, rows, k);
  checkSampleWeight(metric, weights, rows);
  checkRowsSumToOne(metric, proba, rows, k);
  const counts = new Int32Array(k);
  for (let i = 0; i < rows; i++) counts[yTrue[i]]++;
  const missing = [...counts.keys()].filter((c) => counts[c] === 0);
  if (missing.length > 0) {
    throw invalidParameter(
      `${metric}: class index ${missing.join(", ")} never occurs in yTrue, so its one-vs-rest AUC is undefined; ` +
        "evaluate on a set holding every class (a stratified split does)",
    );
  }
  return k;
}

/** sklearn's average="micro": every (row, class) cell is one sample of a single binary problem. */
function microAuc(yTrue: Int32Array, proba: Float64Array, k: number, weights: Float64Array | undefined): number {
  const rows = yTrue.length;
  const positive = new Uint8Array(rows * k);
  for (let i = 0; i < rows; i++) positive[i * k + yTrue[i]] = 1;
  const repeated = weights === undefined ? undefined : Float64Array.from({ length: rows * k }, (_, j) => weights[Math.floor(j / k)]);
  return areaUnderCurve(curve(positive, proba, repeated, true));
}

function oneVsRestAverages(yTrue: Int32Array, proba: Float64Array, k: number, weights: Float64Array | undefined): { macro: number; weighted: number } {
  const rows = yTrue.length;
  const perClass = new Float64Array(k);
  const positive = new Uint8Array(rows);
  const column = new Float64Array(rows);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < rows; i++) {
      positive[i] = yTrue[i] === c ? 1 : 0;
      column[i] = proba[i * k + c];
    }
    perClass[c] = areaUnderCurve(curve(positive, column, weights, true));
  }
  const macro = numpyAverage(perClass);
  // Class support, summed row by row as numpy sums a column; sklearn answers 0 when the supports add up to
  // (nearly) nothing and zeroes the AUC of a class without weight.
  const support = new Float64Array(k);
  for (let i = 0; i < rows; i++) support[yTrue[i]] += weights === undefined ? 1 : weights[i];
  if (Math.abs(numpySum(support)) <= 1e-8) return { macro, weighted: 0 };
  for (let c = 0; c < k; c++) if (support[c] === 0) perClass[c] = 0;
  return { macro, weighted: numpyAverage(perClass, support) };
}

/**
 * ROC AUC straight from predictProba's output: for two classes, rocAucScore on column 1 (`average` unused);
 * for more, rocAucOvrScore with `average` (default "macro"), as sklearn's roc_auc_score(multi_class="ovr").
 *
 * @example
 * rocAuc(yTrue, model.predictProba(x), model.classes.length);
 */
export function rocAuc(yTrue: Int32Array, proba: Float64Array, classCount: number, options: RocAucOvrOptions = {}): number {
  if (classCount !== 2) return rocAucOvrScore(yTrue, proba, classCount, options);
  checkProbabilities("rocAuc", proba, yTrue.length, 2);
  const positive = new Float64Array(yTrue.length);
  for (let i = 0; i < positive.length; i++) positive[i] = proba[2 * i + 1];
  return rocAucScore(yTrue, positive, { sampleWeight: options.sampleWeight });
}

function checkBinary(metric: string, yTrue: Int32Array, scores: Float64Array, weights: Float64Array | undefined): Uint8Array {
  const rows = checkRowCount(metric, yTrue, scores, "scores");
  checkClassIndices(metric, "yTrue", yTrue, 2);
  checkFinite(metric, "scores", scores);
  checkSampleWeight(metric, weights, rows);
  const positive = Uint8Array.from(yTrue);
  const positives = positive.reduce((sum, p) => sum + p, 0);
  if (positives === 0 || positives === rows) {
    throw invalidParameter(
      `${metric}: yTrue holds class ${positives === 0 ? 0 : 1} only; ROC AUC needs both classes 0 and 1 in yTrue`,
    );
  }
  return positive;
}

/** sklearn's np.allclose(1, proba.sum(axis=1)): probabilities, not arbitrary scores. */
function checkRowsSumToOne(metric: string, proba: Float64Array, rows: number, k: number): void {
  for (let i = 0; i < rows; i++) {
    const sum = numpySum(proba, i * k, k);
    if (!(Math.abs(1 - sum) <= 1e-8 + 1e-5 * Math.abs(sum))) {
      throw invalidParameter(`${metric}: row ${i} of proba sums to ${sum}, not 1; pass class probabilities (predictProba's output)`);
    }
  }
}

/**
 * Cumulative false and true positives at each distinct score, highest first (sklearn's _binary_clf_curve),
 * then roc_curve's collinear-point dropping and rates. Positive flags are 0/1 per row.
 */
function curve(positive: Uint8Array, scores: Float64Array, weights: Float64Array | undefined, dropIntermediate: boolean): RocCurve {
  const counted = weights === undefined ? countAtThresholds(positive, scores) : weighAtThresholds(positive, scores, weights);
  const { fps, tps, thresholds } = dropIntermediate && counted.fps.length > 2 ? dropCollinear(counted) : counted;
  const m = fps.length + 1;
  const lastFp = fps[fps.length - 1];
  const lastTp = tps[tps.length - 1];
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const withStart = new Float64Array(m);
  withStart[0] = thresholds[0] + 1;
  for (let j = 1; j < m; j++) {
    // A class whose rows all weigh zero leaves its rate undefined (NaN), as in sklearn.
    fpr[j] = lastFp > 0 ? fps[j - 1] / lastFp : NaN;
    tpr[j] = lastTp > 0 ? tps[j - 1] / lastTp : NaN;
    withStart[j] = thresholds[j - 1];
  }
  if (!(lastFp > 0)) fpr[0] = NaN;
  if (!(lastTp > 0)) tpr[0] = NaN;
  return { fpr, tpr, thresholds: withStart };
}

/** roc_curve's drop_intermediate: keep the ends and every point where np.diff(x, 2) != 0 in either coordinate. */
function dropCollinear({ fps, tps, thresholds }: ThresholdCounts): ThresholdCounts {
  const keep = [0];
  for (let j = 1; j < fps.length - 1; j++) {
    const fpsCorner = fps[j + 1] - fps[j] - (fps[j] - fps[j - 1]);
    const tpsCorner = tps[j + 1] - tps[j] - (tps[j] - tps[j - 1]);
    if (fpsCorner !== 0 || tpsCorner !== 0) keep.push(j);
  }
  keep.push(fps.length - 1);
  return {
    fps: Float64Array.from(keep, (j) => fps[j]),
    tps: Float64Array.from(keep, (j) => tps[j]),
    thresholds: Float64Array.from(keep, (j) => thresholds[j]),
  };
}

interface ThresholdCounts {
  readonly fps: Float64Array;
  readonly tps: Float64Array;
  readonly thresholds: Float64Array;
}

/** Unweighted counts: sort positives' and negatives' scores apart (native numeric sort) and merge from the top. */
function countAtThresholds(positive: Uint8Array, scores: Float64Array): ThresholdCounts {
  const positives = positive.reduce((sum, p) => sum + p, 0);
  const pos = new Float64Array(positives);
  const neg = new Float64Array(scores.length - positives);
  for (let i = 0, a = 0, b = 0; i < scores.length; i++) {
    if (positive[i]) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();
  const fps = new Float64Array(scores.length);
  const tps = new Float64Array(scores.length);
  const thresholds = new Float64Array(scores.length);
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let m = 0;
  while (i >= 0 || j >= 0) {
    const threshold = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    while (i >= 0 && pos[i] === threshold) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === threshold) {
      fp++;
      j--;
    }
    fps[m] = fp;
    tps[m] = tp;
    thresholds[m++] = threshold;
  }
  return { fps: fps.subarray(0, m), tps: tps.subarray(0, m), thresholds: thresholds.subarray(0, m) };
}

/**
 * Weighted sums in sklearn's order: zero-weight rows dropped, rows sorted by score descending with ties in
 * reverse row order (its stable argsort, reversed), weights summed cumulatively.
 */
function weighAtThresholds(positive: Uint8Array, scores: Float64Array, weights: Float64Array): ThresholdCounts {
  const kept: number[] = [];
  for (let i = 0; i < scores.length; i++) if (weights[i] !== 0) kept.push(i);
  const order = Int32Array.from(kept).sort((a, b) => scores[b] - scores[a] || b - a);
  const fps = new Float64Array(order.length);
  const tps = new Float64Array(order.length);
  const thresholds = new Float64Array(order.length);
  let tp = 0;
  let fp = 0;
  let m = 0;
  for (let r = 0; r < order.length; r++) {
    const row = order[r];
    if (positive[row]) tp += weights[row];
    else fp += weights[row];
    if (r === order.length - 1 || scores[order[r + 1]] !== scores[row]) {
      fps[m] = fp;
      tps[m] = tp;
      thresholds[m++] = scores[row];
    }
  }
  return { fps: fps.subarray(0, m), tps: tps.subarray(0, m), thresholds: thresholds.subarray(0, m) };
}

/** numpy's trapz(tpr, fpr): the pairwise sum of dx × (y₀ + y₁) / 2. */
function areaUnderCurve({ fpr, tpr }: RocCurve): number {
  const slices = new Float64Array(fpr.length - 1);
  for (let j = 0; j < slices.length; j++) slices[j] = ((fpr[j + 1] - fpr[j]) * (tpr[j + 1] + tpr[j])) / 2;
  return numpySum(slices);
}
