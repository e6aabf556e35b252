/**
 * Turns a Frame's target column into a learner's Target: class indices for classification (classes sorted as
 * scikit-learn's LabelEncoder sorts them: numerically for numbers, by code point for text), values for regression.
 */
import type { Column } from "../../core/frame.js";
import { invalidParameter } from "../../core/errors.js";
import type { Target, Task } from "../types.js";
import { compareCodePoints } from "../../core/compare-code-points.js";

/** A numeric target with more distinct integer values than this is taken for regression when no task is given. */
export const MAX_INFERRED_CLASSES = 20;

/**
 * The task a target column suggests: text → classification; numbers → classification when every value is an
 * integer and there are at most MAX_INFERRED_CLASSES of them (scikit-learn's type_of_target, with a cap so that
 * prices or counts are not taken for thousands of classes), otherwise regression. Pass the task to be sure.
 */
export function inferTask(column: Column): Task {
  if (column.kind === "string") return "classification";
  const distinct = new Set<number>();
  for (const v of column.values) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return "regression";
    distinct.add(v);
    if (distinct.size > MAX_INFERRED_CLASSES) return "regression";
  }
  return "classification";
}

/**
 * The Target for `column`. For classification, `classes` fixes the class list (e.g. the training classes when
 * encoding a test split); a label outside it is an error. A missing target value is always an error.
 */
export function targetFromColumn(column: Column, task: Task, classes?: readonly string[]): Target {
  checkNoMissing(column);
  if (task === "classification") return { task, ...encodeClasses(column, classes) };
  if (column.kind !== "number") {
    throw invalidParameter(`target column '${column.name}' holds text; regression needs numbers (or train a classifier instead)`);
  }
  return { task, y: column.values };
}

/** Class labels as text: numbers print as JavaScript prints them (1, 2.5), text as it is. */
export function encodeClasses(column: Column, classes?: readonly string[]): { readonly classes: readonly string[]; readonly y: Int32Array } {
  checkNoMissing(column);
  const labels: readonly string[] = column.kind === "number" ? Array.from(column.values, (v) => String(v)) : (column.values as readonly string[]);
  const list = classes ?? sortedClasses(column);
  const index = new Map(list.map((c, i) => [c, i]));
  const y = new Int32Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    const k = index.get(labels[r]);
    if (k === undefined) {
      throw invalidParameter(
        `target column '${column.name}' holds '${labels[r]}' (row ${r}), a class the model was not trained on; its classes are ${list.map((c) => `'${c}'`).join(", ")}`,
      );
    }
    y[r] = k;
  }
  return { classes: list, y };
}

function sortedClasses(column: Column): string[] {
  if (column.kind === "number") {
    return [...new Set(column.values)].sort((a, b) => a - b).map((v) => String(v));
  }
  return [...new Set(column.values as readonly string[])].sort(compareCodePoints);
}

function checkNoMissing(column: Column): void {
  let missing = 0;
  let first = -1;
  const values = column.values;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v === null || (typeof v === "number" && Number.isNaN(v))) {
      missing++;
      if (first < 0) first = r;
    }
  }
  if (missing > 0) {
    throw invalidParameter(
      `target column '${column.name}' has ${missing} missing value${missing === 1 ? "" : "s"} (first at row ${first}); drop or fill those rows before training`,
    );
  }
}
