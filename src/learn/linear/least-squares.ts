/**
 * Ordinary and ridge least squares as scikit-learn solves them: with an intercept, X and y are centred first
 * (so the intercept is not penalised) and the intercept is ȳ - x̄·w afterwards; then the normal equations
 * (XᵀX + αI)·w = Xᵀy by Cholesky, or their minimum-norm solution when X is rank-deficient and α = 0.
 */
import type { Matrix } from "../types.js";
import { choleskySolve, minimumNormSolve } from "./linear-algebra.js";

export interface LeastSquaresOptions {
  readonly fitIntercept: boolean;
  /** Ridge penalty on ||w||²; 0 for ordinary least squares. */
  readonly alpha: number;
}

export interface LeastSquaresSolution {
  readonly coef: Float64Array;
  readonly intercept: number;
}

export function solveLeastSquares(x: Matrix, y: Float64Array, options: LeastSquaresOptions): LeastSquaresSolution {
  const { rows: n, cols: p, data } = x;
  const xMean = new Float64Array(p);
  let yMean = 0;
  if (options.fitIntercept && n > 0) {
    for (let i = 0, off = 0; i < n; i++, off += p) {
      for (let j = 0; j < p; j++) xMean[j] += data[off + j];
      yMean += y[i];
    }
    for (let j = 0; j < p; j++) xMean[j] /= n;
    yMean /= n;
  }

  // Upper triangle of the centred Gram matrix and Xᵀy, one pass over the rows.
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0, off = 0; i < n; i++, off += p) {
    for (let j = 0; j < p; j++) row[j] = data[off + j] - xMean[j];
    const yi = y[i] - yMean;
    for (let j = 0; j < p; j++) {
      const v = row[j];
      xty[j] += v * yi;
      const base = j * p;
      for (let k = j; k < p; k++) gram[base + k] += v * row[k];
    }
  }
  for (let j = 0; j < p; j++) {
    gram[j * p + j] += options.alpha;
    for (let k = j + 1; k < p; k++) gram[k * p + j] = gram[j * p + k];
  }

  const coef = choleskySolve(gram, xty, p) ?? minimumNormSolve(gram, xty, p);
  let intercept = 0;
  if (options.fitIntercept) {
    intercept = yMean;
    for (let j = 0; j < p; j++) intercept -= xMean[j] * coef[j];
  }
  return { coef, intercept };
}
