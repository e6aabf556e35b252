/**
 * Linear regression learners with scikit-learn's semantics: LinearRegression (ordinary least squares; the
 * minimum-norm solution when features are collinear, as lstsq gives) and Ridge (L2 penalty `alpha` on the
 * coefficients, intercept unpenalised), both solved exactly from the normal equations on centred data.
 */
import { invalidParameter } from "../../core/errors.js";
import type { FitOptions, Learner, Matrix, Params, Target } from "../types.js";
import { createFittedLinearRegressor, LINEAR_REGRESSION_KIND, RIDGE_KIND, type FittedLinearRegressor, type LinearRegressorKind } from "./fitted-linear-regression.js";
import { solveLeastSquares } from "./least-squares.js";
import { assertTrainingMatrix } from "./matrix-checks.js";
import { flag, nonNegativeNumber, oneOf, resolveParams } from "./params.js";

export interface LinearRegressorLearner extends Learner {
  fit(x: Matrix, target: Target, options?: FitOptions): Promise<FittedLinearRegressor>;
}

const LINEAR_REGRESSION_PARAMS = { fit_intercept: flag(true) };
const RIDGE_PARAMS = { alpha: nonNegativeNumber(1), fit_intercept: flag(true), solver: oneOf(["auto", "cholesky"], "auto") };

function checkTarget(kind: string, x: Matrix, target: Target): Float64Array {
  if (target.task !== "regression") {
    throw invalidParameter(`${kind} needs a numeric (regression) target; for classes use logistic_regression`);
  }
  const y = target.y;
  if (y.length !== x.rows) throw invalidParameter(`${kind}: the target has ${y.length} values for ${x.rows} rows`);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw invalidParameter(`${kind}: the target is ${y[i]} at row ${i}; drop or fill rows without a finite target first`);
  }
  return y;
}

function leastSquaresLearner(kind: LinearRegressorKind, params: Params, alpha: number, fitIntercept: boolean): LinearRegressorLearner {
  return {
    kind,
    params,
    async fit(x, target, options = {}) {
      assertTrainingMatrix(x, kind);
      const y = checkTarget(kind, x, target);
      const { coef, intercept } = solveLeastSquares(x, y, { fitIntercept, alpha });
      const model = createFittedLinearRegressor({ kind, featureCount: x.cols, coef, intercept });
      if (options.onProgress) {
        const predicted = model.predict(x);
        let squared = 0;
        for (let i = 0; i < y.length; i++) squared += (predicted[i] - y[i]) ** 2;
        options.onProgress({ step: 1, total: 1, trainLoss: squared / Math.max(y.length, 1) });
      }
      return model;
    },
  };
}

/**
 * Ordinary least squares (scikit-learn's LinearRegression). Params: fit_intercept (true).
 * Reports one progress event, with the training mean squared error.
 *
 * @example
 * const model = await createLinearRegression().fit(x, { task: "regression", y });
 * const predicted = model.predict(x);
 */
export function createLinearRegression(params: Params = {}): LinearRegressorLearner {
  const resolved = resolveParams(LINEAR_REGRESSION_KIND, LINEAR_REGRESSION_PARAMS, params);
  return leastSquaresLearner(LINEAR_REGRESSION_KIND, resolved, 0, resolved.fit_intercept);
}

/**
 * Ridge regression (scikit-learn's Ridge, cholesky solver): minimises ||y - Xw - b||² + alpha·||w||².
 * Params: alpha (1.0), fit_intercept (true), solver ("auto" | "cholesky", the same here).
 *
 * @example
 * const model = await createRidge({ alpha: 0.1 }).fit(x, { task: "regression", y });
 */
export function createRidge(params: Params = {}): LinearRegressorLearner {
  const resolved = resolveParams(RIDGE_KIND, RIDGE_PARAMS, params);
  return leastSquaresLearner(RIDGE_KIND, resolved, resolved.alpha, resolved.fit_intercept);
}
