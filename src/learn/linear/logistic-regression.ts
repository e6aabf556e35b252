/**
 * Logistic regression with scikit-learn 1.2's LogisticRegression(solver="lbfgs") semantics: the binary
 * logistic for two classes and the multinomial softmax for more (multi_class "auto"), minimising the summed
 * log loss plus 0.5/C ||W||² with the intercept unpenalised, by L-BFGS from zero with the same stopping rules.
 * On well-conditioned data the coefficients agree with scikit-learn's to about 1e-4 relative.
 */
import { invalidParameter } from "../../core/errors.js";
import type { FitOptions, Learner, Matrix, Params, Target } from "../types.js";
import { createFittedLogisticRegression, LOGISTIC_REGRESSION_KIND, type FittedLogisticRegression } from "./fitted-logistic-regression.js";
import { minimizeLbfgs } from "./lbfgs.js";
import { parallelLogisticObjective } from "./logistic-loss.js";
import { assertTrainingMatrix } from "./matrix-checks.js";
import { flag, nonNegativeNumber, oneOf, positiveInteger, positiveNumber, resolveParams, unusedSeed } from "./params.js";

const LOGISTIC_REGRESSION_PARAMS = {
  /** "none" and null both fit without a penalty (scikit-learn 1.2 accepts both). */
  penalty: oneOf<string | null>(["l2", "none", null], "l2"),
  C: positiveNumber(1),
  fit_intercept: flag(true),
  max_iter: positiveInteger(100),
  tol: nonNegativeNumber(1e-4),
  solver: oneOf(["lbfgs"], "lbfgs"),
  multi_class: oneOf(["auto", "multinomial"], "auto"),
  random_state: unusedSeed,
};

export interface LogisticRegressionLearner extends Learner {
  fit(x: Matrix, target: Target, options?: FitOptions): Promise<FittedLogisticRegression>;
}

function checkTarget(x: Matrix, target: Target): { classes: readonly string[]; y: Int32Array } {
  if (target.task !== "classification") {
    throw invalidParameter(`${LOGISTIC_REGRESSION_KIND} needs a classification target; for a numeric target use linear_regression or ridge`);
  }
  const { classes, y } = target;
  if (y.length !== x.rows) throw invalidParameter(`${LOGISTIC_REGRESSION_KIND}: the target has ${y.length} values for ${x.rows} rows`);
  if (classes.length < 2) {
    throw invalidParameter(`${LOGISTIC_REGRESSION_KIND} needs at least two classes, got ${classes.length}: ${JSON.stringify(classes)}`);
  }
  const counts = new Int32Array(classes.length);
  for (let i = 0; i < y.length; i++) {
    const c = y[i];
    if (!(c >= 0 && c < classes.length)) throw invalidParameter(`${LOGISTIC_REGRESSION_KIND}: target row ${i} has class index ${c}, outside 0..${classes.length - 1}`);
    counts[c]++;
  }
  const absent = classes.filter((_, c) => counts[c] === 0);
  if (absent.length > 0) {
    // An unseen class's unpenalised intercept would run to -∞; the model could not be fitted, only diverge.
    throw invalidParameter(`${LOGISTIC_REGRESSION_KIND}: class ${absent.map((c) => `'${c}'`).join(", ")} has no training rows; drop it from the classes or add rows of it`);
  }
  return { classes, y };
}

/**
 * A logistic regression learner (scikit-learn's LogisticRegression, lbfgs solver).
 * Params: penalty ("l2" | "none" | null), C (1), fit_intercept (true), max_iter (100), tol (1e-4),
 * solver ("lbfgs"), multi_class ("auto" | "multinomial"), random_state (accepted and unused: lbfgs has no randomness).
 *
 * @example
 * const model = await createLogisticRegression({ C: 0.5 }).fit(x, { task: "classification", classes: ["no", "yes"], y });
 * const probabilities = model.predictProba(x); // rows × 2
 */
export function createLogisticRegression(params: Params = {}): LogisticRegressionLearner {
  const resolved = resolveParams(LOGISTIC_REGRESSION_KIND, LOGISTIC_REGRESSION_PARAMS, params);
  return {
    kind: LOGISTIC_REGRESSION_KIND,
    params: resolved,
    async fit(x, target, options = {}) {
      assertTrainingMatrix(x, LOGISTIC_REGRESSION_KIND);
      const { classes, y } = checkTarget(x, target);
      const p = x.cols;
      const modelRows = classes.length > 2 || resolved.multi_class === "multinomial" ? classes.length : 1;
      const fitIntercept = resolved.fit_intercept;
      const stride = p + (fitIntercept ? 1 : 0);
      const loss = await parallelLogisticObjective({ x, y, modelRows, fitIntercept, l2: resolved.penalty === "l2" ? 1 / resolved.C : 0 });
      const onProgress = options.onProgress;
      let result: ReturnType<typeof minimizeLbfgs>;
      try {
        result = minimizeLbfgs(loss.objective, new Float64Array(modelRows * stride), {
          maxIter: resolved.max_iter,
          gtol: resolved.tol,
          onIteration: onProgress && ((step) => onProgress({ step, total: resolved.max_iter, trainLoss: loss.lastMeanLogLoss() })),
        });
      } finally {
        await loss.close();
      }
      const coef = new Float64Array(modelRows * p);
      const intercept = new Float64Array(modelRows);
      for (let c = 0; c < modelRows; c++) {
        coef.set(result.x.subarray(c * stride, c * stride + p), c * p);
        if (fitIntercept) intercept[c] = result.x[c * stride + p];
      }
      return createFittedLogisticRegression({ classes, featureCount: p, coef, intercept, nIter: result.iterations, converged: result.converged });
    },
  };
}
