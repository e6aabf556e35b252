/**
 * Turns a prediction window's labelled rows into the arrays the performance metrics take. The log keeps each
 * row's predicted label and, for a classifier that gives them, its class probabilities as `probabilities_<j>`;
 * which class each probability column stands for is read off the rows themselves (column j is the class the
 * model predicts when column j is the largest), so no model file is needed.
 */
import { invalidParameter } from "../../core/errors.js";
import type { Column } from "../../core/frame.js";
import { compareCodePoints } from "../../core/compare-code-points.js";
import type { PredictionWindow } from "../log/prediction-window.js";

/** The names `keel train`'s ONNX models (and skl2onnx's) give their outputs. */
const LABEL_OUTPUTS = ["label", "output_label", "prediction", "predictions", "variable"];

export interface LabelledClassification {
  readonly timestamps: Float64Array;
  readonly yTrue: Int32Array;
  /** Rows × classes, row-major; absent when the model logs no probabilities. */
  readonly proba?: Float64Array;
  readonly yPred: Int32Array;
  readonly classes: readonly string[];
}

export interface LabelledRegression {
  readonly timestamps: Float64Array;
  readonly yTrue: Float64Array;
  readonly yPred: Float64Array;
}

/** The predicted-value output: a scalar output with a usual name, else the first scalar output. */
export function predictionColumn(outputs: readonly Column[]): Column | undefined {
  for (const name of LABEL_OUTPUTS) {
    const found = outputs.find((c) => c.name === name);
    if (found) return found;
  }
  return outputs.find((c) => !/_\d+$/.test(c.name));
}

function textOf(column: Column, row: number): string | null {
  if (column.kind === "string") return column.values[row];
  const v = column.values[row];
  return Number.isFinite(v) ? String(v) : null;
}

/** A class name's spelling-free key: the same number written differently ("1", "1.0", "1e0") gives one key. */
function numberKey(text: string): string {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? String(n) : text;
}

function labelledRows(window: PredictionWindow): number[] {
  const rows: number[] = [];
  window.labels.forEach((label, r) => {
    if (label !== null) rows.push(r);
  });
  return rows;
}

function probabilityColumns(outputs: readonly Column[]): Float64Array[] {
  const columns: Float64Array[] = [];
  for (let j = 0; ; j++) {
    const found = outputs.find((c) => c.name === `probabilities_${j}` || c.name === `output_probability_${j}`);
    if (!found || found.kind !== "number") return columns;
    columns.push(found.values);
  }
}

function argmax(columns: readonly Float64Array[], row: number): number {
  let best = 0;
  for (let j = 1; j < columns.length; j++) if (columns[j][row] > columns[best][row]) best = j;
  return best;
}

/**
 * The model's classes: `known` (the training target's classes, in the model's order) when given, else the
 * probability columns' classes read off the rows, else every label seen (true or predicted) in code-point order.
 */
function classesOf(window: PredictionWindow, predicted: Column, probabilities: readonly Float64Array[], rows: readonly number[], known?: readonly string[]): string[] {
  if (known && known.length >= 2) return [...known];
  if (probabilities.length >= 2) {
    // Column j's class: the label predicted most often where column j is the largest.
    const votes = probabilities.map(() => new Map<string, number>());
    for (let r = 0; r < window.rows; r++) {
      const label = textOf(predicted, r);
      if (label === null) continue;
      const j = argmax(probabilities, r);
      votes[j].set(label, (votes[j].get(label) ?? 0) + 1);
    }
    return votes.map((v, j) => [...v.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? `class_${j}`);
  }
  // One class per number however it is spelled (label "1.0", prediction 1), named as the model predicts it.
  const seen = new Map<string, string>();
  const add = (text: string): void => {
    if (!seen.has(numberKey(text))) seen.set(numberKey(text), text);
  };
  for (const r of rows) {
    const p = textOf(predicted, r);
    if (p !== null) add(p);
  }
  for (const r of rows) add(window.labels[r] as string);
  return [...seen.values()].sort(compareCodePoints);
}

/**
 * A label's class index: its name, the same number written differently ("1" for "1.0"), or, for a model that
 * answers class indices (Keel's ONNX models do), an index into the known classes.
 */
function classIndexer(classes: readonly string[], indices: boolean): (text: string) => number | undefined {
  const index = new Map(classes.map((c, i) => [c, i]));
  const byNumber = new Map<string, number>();
  classes.forEach((c, i) => {
    if (!byNumber.has(numberKey(c))) byNumber.set(numberKey(c), i);
  });
  return (text) => {
    const found = index.get(text) ?? byNumber.get(numberKey(text));
    if (found !== undefined || !indices) return found;
    const n = Number(text);
    return Number.isInteger(n) && n >= 0 && n < classes.length ? n : undefined;
  };
}

/**
 * The predicted label of every row as a class name, for prediction drift against the training target: a model
 * answering class indices has them mapped through `classes` (the training target's, in the model's order).
 */
export function predictedClassNames(window: PredictionWindow, classes: readonly string[]): Column | undefined {
  const predicted = predictionColumn(window.outputs.columns);
  if (!predicted) return undefined;
  const classOf = classIndexer(classes, predicted.kind === "number");
  const values = Array.from({ length: window.rows }, (_, r) => {
    const text = textOf(predicted, r);
    if (text === null) return null;
    const k = classOf(text);
    return k === undefined ? text : classes[k];
  });
  return { kind: "string", name: predicted.name, values };
}

/**
 * The labelled rows of a classifier's window. `classes` are the model's classes in its order (from the
 * training target) when known; see classesOf for what stands in otherwise.
 * @throws INVALID_PARAMETER_VALUE when the log has no predicted label output, or a true label is not a class
 * the model can predict.
 */
export function labelledClassification(window: PredictionWindow, known?: readonly string[]): LabelledClassification {
  const predicted = predictionColumn(window.outputs.columns);
  if (!predicted) throw invalidParameter("the prediction log has no predicted label output (label, prediction, ...) to score");
  const rows = labelledRows(window);
  const probabilities = probabilityColumns(window.outputs.columns);
  const classes = classesOf(window, predicted, probabilities, rows, known);
  const k = classes.length;
  const useProbabilities = probabilities.length === k && k >= 2;
  const trueClassOf = classIndexer(classes, known !== undefined);
  const predictedClassOf = classIndexer(classes, known !== undefined && predicted.kind === "number");
  const yTrue = new Int32Array(rows.length);
  const yPred = new Int32Array(rows.length);
  const proba = useProbabilities ? new Float64Array(rows.length * k) : undefined;
  const timestamps = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const truth = trueClassOf(window.labels[r] as string);
    if (truth === undefined) {
      throw invalidParameter(`label '${window.labels[r]}' of request '${window.requestIds[r]}' is not one of the model's classes (${classes.join(", ")})`);
    }
    yTrue[i] = truth;
    timestamps[i] = window.timestamps[r];
    if (proba) {
      for (let j = 0; j < k; j++) proba[i * k + j] = probabilities[j][r];
      yPred[i] = argmax(probabilities, r);
    } else {
      yPred[i] = predictedClassOf(textOf(predicted, r) ?? "") ?? -1;
    }
  });
  return { timestamps, yTrue, yPred, classes, ...(proba ? { proba } : {}) };
}

/** The labelled rows of a regressor's window; labels that are not numbers are an error naming the request. */
export function labelledRegression(window: PredictionWindow): LabelledRegression {
  const predicted = predictionColumn(window.outputs.columns);
  if (!predicted || predicted.kind !== "number") throw invalidParameter("the prediction log has no numeric prediction output to score");
  const rows = labelledRows(window);
  const yTrue = new Float64Array(rows.length);
  const yPred = new Float64Array(rows.length);
  const timestamps = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const label = window.labels[r] as string;
    // Number("") is 0: an empty label must not pass for a true value of zero.
    const truth = label.trim() === "" ? Number.NaN : Number(label);
    if (!Number.isFinite(truth)) throw invalidParameter(`label '${window.labels[r]}' of request '${window.requestIds[r]}' is not a number; a regression monitor needs numeric labels`);
    yTrue[i] = truth;
    yPred[i] = predicted.values[r];
    timestamps[i] = window.timestamps[r];
  });
  return { timestamps, yTrue, yPred };
}
