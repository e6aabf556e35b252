/**
 * Histogram-based gradient-boosted trees with scikit-learn 1.2's HistGradientBoostingClassifier and
 * HistGradientBoostingRegressor semantics: features binned into at most max_bins quantile bins (missing
 * values in a bin of their own, sent to whichever side of each split helps more), trees grown leaf-wise on
 * the gradients and hessians of the log loss (binary, or softmax with one tree per class) or squared error,
 * leaf values -G/(H+λ) times the learning rate, early stopping on a held-out fraction when there are more
 * than 10,000 rows. Keel adds `subsample` and `grow_policy` (see hgb-params.ts) and gain-based feature
 * importances.
 */
import { invalidParameter } from "../../core/errors.js";
import type { FitOptions, Learner, Matrix, Params, Target } from "../types.js";
import { boost } from "./boost.js";
import { createFittedHgbClassifier, createFittedHgbRegressor, HGB_CLASSIFIER_KIND, HGB_REGRESSOR_KIND } from "./fitted-hist-gradient-boosting.js";
import type { FittedHgbClassifier, FittedHgbRegressor } from "./fitted-hist-gradient-boosting.js";
import { parseHgbJson } from "./hgb-json.js";
import type { HgbState } from "./hgb-json.js";
import { resolveHgbParams } from "./hgb-params.js";
import type { HgbParams } from "./hgb-params.js";
import { BINARY_LOG_LOSS, multinomialLogLoss, SQUARED_ERROR } from "./losses.js";
import type { BoostingLoss } from "./losses.js";

export interface HgbClassifierLearner extends Learner {
  fit(x: Matrix, target: Target, options?: FitOptions): Promise<FittedHgbClassifier>;
}

export interface HgbRegressorLearner extends Learner {
  fit(x: Matrix, target: Target, options?: FitOptions): Promise<FittedHgbRegressor>;
}

/** The resolved hyperparameters under scikit-learn's names, as they are logged. */
function sklearnNames(p: HgbParams): Params {
  return {
    loss: p.loss,
    learning_rate: p.learningRate,
    max_iter: p.maxIter,
    max_leaf_nodes: p.maxLeafNodes,
    max_depth: p.maxDepth,
    min_samples_leaf: p.minSamplesLeaf,
    l2_regularization: p.l2Regularization,
    max_bins: p.maxBins,
    early_stopping: p.earlyStopping,
    validation_fraction: p.validationFraction,
    n_iter_no_change: p.nIterNoChange,
    tol: p.tol,
    scoring: p.scoring,
    random_state: p.randomState,
    subsample: p.subsample,
    grow_policy: p.growPolicy,
  };
}

function checkMatrix(x: Matrix, rows: number, kind: string): void {
  if (x.data.length !== x.rows * x.cols) throw invalidParameter(`${kind}: the matrix says ${x.rows} × ${x.cols} but holds ${x.data.length} values`);
  if (x.cols < 1 || x.rows < 2) throw invalidParameter(`${kind} needs at least 2 rows and 1 feature, got ${x.rows} × ${x.cols}`);
  if (rows !== x.rows) throw invalidParameter(`${kind}: the target has ${rows} values for ${x.rows} rows`);
}

async function fitState(x: Matrix, y: Float64Array, stratify: Int32Array | null, params: HgbParams, loss: BoostingLoss, options: FitOptions): Promise<HgbState> {
  const result = await boost({
    x,
    y,
    stratify,
    loss,
    params,
    seed: params.randomState ?? options.seed ?? 0,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return {
    featureCount: x.cols,
    baseline: result.baseline,
    trees: result.trees.map((iteration) => iteration.map((t) => t.tree)),
    featureGains: result.featureGains,
    trainScore: result.trainScore,
    validationScore: result.validationScore,
  };
}

/**
 * Gradient-boosted trees for classification (scikit-learn's HistGradientBoostingClassifier). Params, with
 * their defaults: loss ("log_loss"), learning_rate (0.1), max_iter (100), max_leaf_nodes (31), max_depth
 * (null), min_samples_leaf (20), l2_regularization (0), max_bins (255), early_stopping ("auto": on above
 * 10,000 rows), validation_fraction (0.1), n_iter_no_change (10), tol (1e-7), scoring ("loss"),
 * random_state (null: the fit's seed), and Keel's subsample (1) and grow_policy ("lossguide").
 *
 * @example
 * const model = await createHistGradientBoostingClassifier({ max_iter: 200 }).fit(x, target, {
 *   onProgress: ({ step, trainLoss, validationLoss }) => console.log(step, trainLoss, validationLoss),
 * });
 * model.predictProba(x); model.nIter; model.validationScore;
 */
export function createHistGradientBoostingClassifier(params: Params = {}): HgbClassifierLearner {
  const resolved = resolveHgbParams(HGB_CLASSIFIER_KIND, params, ["log_loss"]);
  return {
    kind: HGB_CLASSIFIER_KIND,
    params: sklearnNames(resolved),
    async fit(x, target, options = {}) {
      if (target.task !== "classification") {
        throw invalidParameter(`${HGB_CLASSIFIER_KIND} needs a classification target; for a numeric target use ${HGB_REGRESSOR_KIND}`);
      }
      checkMatrix(x, target.y.length, HGB_CLASSIFIER_KIND);
      const k = target.classes.length;
      if (k < 2) throw invalidParameter(`${HGB_CLASSIFIER_KIND} needs at least two classes, got ${JSON.stringify(target.classes)}`);
      const y = new Float64Array(target.y.length);
      for (let i = 0; i < y.length; i++) {
        const c = target.y[i];
        if (!(c >= 0 && c < k)) throw invalidParameter(`${HGB_CLASSIFIER_KIND}: target row ${i} has class index ${c}, outside 0..${k - 1}`);
        y[i] = c;
      }
      const loss = k === 2 ? BINARY_LOG_LOSS : multinomialLogLoss(k);
      const state = await fitState(x, y, target.y, resolved, loss, options);
      return createFittedHgbClassifier(state, target.classes);
    },
  };
}

/**
 * Gradient-boosted trees for regression (scikit-learn's HistGradientBoostingRegressor), squared error loss;
 * the same params as the classifier.
 *
 * @example
 * const model = await createHistGradientBoostingRegressor({ learning_rate: 0.05 }).fit(x, { task: "regression", y });
 * model.predict(x);
 */
export function createHistGradientBoostingRegressor(params: Params = {}): HgbRegressorLearner {
  const resolved = resolveHgbParams(HGB_REGRESSOR_KIND, params, ["squared_error"]);
  return {
    kind: HGB_REGRESSOR_KIND,
    params: sklearnNames(resolved),
    async fit(x, target, options = {}) {
      if (target.task !== "regression") {
        throw invalidParameter(`${HGB_REGRESSOR_KIND} needs a numeric (regression) target; for classes use ${HGB_CLASSIFIER_KIND}`);
      }
      checkMatrix(x, target.y.length, HGB_REGRESSOR_KIND);
      const bad = target.y.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw invalidParameter(`${HGB_REGRESSOR_KIND}: target row ${bad} is ${target.y[bad]}; drop or fill rows without a finite target`);
      const state = await fitState(x, target.y, null, resolved, SQUARED_ERROR, options);
      return createFittedHgbRegressor(state);
    },
  };
}

/** Rebuilds a fitted model (classifier or regressor) from its `toJson()`. */
export function histGradientBoostingFromJson(json: unknown): FittedHgbClassifier | FittedHgbRegressor {
  const { kind, classes, state } = parseHgbJson(json, [HGB_CLASSIFIER_KIND, HGB_REGRESSOR_KIND]);
  if (kind === HGB_CLASSIFIER_KIND) {
    if (!classes) throw invalidParameter(`not a saved ${HGB_CLASSIFIER_KIND}: it lists no classes; re-export it with toJson()`);
    return createFittedHgbClassifier(state, classes);
  }
  if (state.baseline.length !== 1) throw invalidParameter(`not a saved ${HGB_REGRESSOR_KIND}: it has ${state.baseline.length} trees per iteration; re-export it with toJson()`);
  return createFittedHgbRegressor(state);
}
