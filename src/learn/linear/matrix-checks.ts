/** Input checks shared by the linear learners: they cannot train or predict through a missing value. */
import { invalidParameter } from "../../core/errors.js";
import type { Matrix } from "../types.js";

/** Throws unless `x` is well formed and every value is finite (NaN marks a missing value). */
export function assertCompleteMatrix(x: Matrix, kind: string): void {
  if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.rows < 0 || x.cols < 0 || x.data.length !== x.rows * x.cols) {
    throw invalidParameter(`${kind}: the matrix says ${x.rows} × ${x.cols} but holds ${x.data.length} values`);
  }
  const data = x.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is NaN exactly for NaN and ±Infinity, one test for both on the hot path.
    if (v - v !== 0) {
      const where = `row ${Math.floor(i / x.cols)}, column ${i % x.cols}`;
      if (Number.isNaN(v)) {
        throw invalidParameter(`${kind} cannot use missing values (NaN at ${where}); impute them first, e.g. with a median imputer in the pipeline`);
      }
      throw invalidParameter(`${kind} cannot use infinite values (${v} at ${where}); clip or drop them first`);
    }
  }
}

/** Training needs at least one row and one feature, all finite. */
export function assertTrainingMatrix(x: Matrix, kind: string): void {
  if (x.rows === 0 || x.cols === 0) throw invalidParameter(`${kind} needs at least one row and one feature column to train on, got ${x.rows} × ${x.cols}`);
  assertCompleteMatrix(x, kind);
}

/** Throws unless `x` has the column count the model was trained on. */
export function assertFeatureCount(x: Matrix, featureCount: number, kind: string): void {
  if (x.cols !== featureCount) {
    throw invalidParameter(`${kind} was trained on ${featureCount} features but got a matrix with ${x.cols} columns`);
  }
}
