/**
 * CART decision trees, as scikit-learn's DecisionTreeClassifier / DecisionTreeRegressor with splitter="best".
 */
import type { FitOptions, Matrix, Params, Target } from "../types.js";
import { growTree } from "./build-tree.js";
import type { TreeClassifierLearner, TreeRegressorLearner } from "./fitted-tree-models.js";
import {
  createFittedTreeClassifier,
  createFittedTreeRegressor,
  DECISION_TREE_CLASSIFIER_KIND,
  DECISION_TREE_REGRESSOR_KIND,
  normaliseImportances,
} from "./fitted-tree-models.js";
import { splitterRandInt } from "./numpy-random.js";
import { sortFeatures } from "./sorted-features.js";
import { treeTarget } from "./tree-fit-input.js";
import { fitSeed, resolveTreeParams, treeGrowth } from "./tree-params.js";
import type { TreeParams } from "./tree-params.js";

function fitTree(kind: string, params: TreeParams, x: Matrix, target: Target, options: FitOptions | undefined, task: "classification" | "regression") {
  const built = treeTarget(kind, task, x, target);
  const growth = treeGrowth(params, x.rows, x.cols);
  const sorted = sortFeatures(x);
  const weights = new Float64Array(x.rows).fill(1);
  const grown = growTree(sorted, built, growth, weights, splitterRandInt(fitSeed(params, options?.seed)));
  options?.onProgress?.({ step: 1, total: 1 });
  return { featureCount: x.cols, trees: [grown.tree], importances: normaliseImportances(grown.impurityDecrease) };
}

/**
 * A CART classifier: criterion "gini" | "entropy" ("log_loss"), max_depth, min_samples_split,
 * min_samples_leaf, max_features (integer, fraction, "sqrt", "log2", null) and random_state (else the fit's
 * seed) with scikit-learn's meanings. Leaves hold class probabilities. Training data must have no NaN.
 *
 * @example
 * const model = await createDecisionTreeClassifier({ max_depth: 5 }).fit(x, target, { seed: 0 });
 */
export function createDecisionTreeClassifier(params: Params = {}): TreeClassifierLearner {
  const resolved = resolveTreeParams(DECISION_TREE_CLASSIFIER_KIND, params, "classification");
  return {
    kind: DECISION_TREE_CLASSIFIER_KIND,
    params: { ...resolved },
    fit: async (x, target, options) => {
      const state = fitTree(DECISION_TREE_CLASSIFIER_KIND, resolved, x, target, options, "classification");
      return createFittedTreeClassifier(DECISION_TREE_CLASSIFIER_KIND, target.task === "classification" ? target.classes : [], state);
    },
  };
}

/**
 * A CART regressor (criterion "squared_error"); leaves hold the mean target. Same parameters as the classifier.
 *
 * @example
 * const model = await createDecisionTreeRegressor({ min_samples_leaf: 5 }).fit(x, { task: "regression", y }, { seed: 0 });
 */
export function createDecisionTreeRegressor(params: Params = {}): TreeRegressorLearner {
  const resolved = resolveTreeParams(DECISION_TREE_REGRESSOR_KIND, params, "regression");
  return {
    kind: DECISION_TREE_REGRESSOR_KIND,
    params: { ...resolved },
    fit: async (x, target, options) => createFittedTreeRegressor(DECISION_TREE_REGRESSOR_KIND, fitTree(DECISION_TREE_REGRESSOR_KIND, resolved, x, target, options, "regression")),
  };
}
