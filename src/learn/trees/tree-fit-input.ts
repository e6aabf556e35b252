/**
 * The checks every tree learner makes on its training data before sorting it.
 */
import { invalidParameter } from "../../core/errors.js";
import type { Matrix, Target, Task } from "../types.js";
import type { TreeTarget } from "./build-tree.js";
import { rejectMissing } from "./sorted-features.js";

/** The target in the builder's form; throws when it does not fit `x` or the learner's task. */
export function treeTarget(kind: string, task: Task, x: Matrix, target: Target): TreeTarget {
  if (target.task !== task) throw invalidParameter(`${kind} does ${task} but got a ${target.task} target; choose the ${target.task} learner instead`);
  if (x.data.length !== x.rows * x.cols) throw invalidParameter(`${kind}: the matrix says ${x.rows} × ${x.cols} but holds ${x.data.length} values`);
  if (x.rows === 0 || x.cols === 0) throw invalidParameter(`${kind} needs at least one row and one feature to train, got ${x.rows} × ${x.cols}`);
  if (target.y.length !== x.rows) throw invalidParameter(`${kind}: the target has ${target.y.length} values for ${x.rows} rows`);
  rejectMissing(x, kind);
  if (target.task === "regression") {
    for (let i = 0; i < target.y.length; i++) {
      if (!Number.isFinite(target.y[i])) throw invalidParameter(`${kind}: the target is ${target.y[i]} at row ${i}; drop or fill rows without a finite target`);
    }
    return { task: "regression", y: target.y };
  }
  const classes = target.classes.length;
  if (classes < 2) throw invalidParameter(`${kind} needs at least 2 classes, got ${classes}; check the target column`);
  for (let i = 0; i < target.y.length; i++) {
    const c = target.y[i];
    if (c < 0 || c >= classes) throw invalidParameter(`${kind}: class index ${c} at row ${i} is outside the ${classes} classes`);
  }
  return { task: "classification", y: target.y, classes };
}
