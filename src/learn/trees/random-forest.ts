/**
 * Random forests, as scikit-learn 1.2's RandomForestClassifier / RandomForestRegressor: bootstrap samples,
 * max_features features drawn per node, probabilities averaged over the trees. Trees grow in worker threads
 * (n_jobs, default every available core) sharing the sorted training data.
 */
import type { FitOptions, Matrix, Params, Target } from "../types.js";
import type { TreeClassifierLearner, TreeModelState, TreeRegressorLearner } from "./fitted-tree-models.js";
import {
  createFittedTreeClassifier,
  createFittedTreeRegressor,
  normaliseImportances,
  RANDOM_FOREST_CLASSIFIER_KIND,
  RANDOM_FOREST_REGRESSOR_KIND,
} from "./fitted-tree-models.js";
import { forestTreeSeeds } from "./forest-tree.js";
import { growForest, sharedTarget } from "./grow-forest.js";
import { sortFeatures } from "./sorted-features.js";
import { treeTarget } from "./tree-fit-input.js";
import type { ForestParams } from "./tree-params.js";
import { fitSeed, resolveForestParams, treeGrowth, workerCount } from "./tree-params.js";

async function fitForest(kind: string, params: ForestParams, x: Matrix, target: Target, options: FitOptions | undefined, task: "classification" | "regression"): Promise<TreeModelState> {
  const built = treeTarget(kind, task, x, target);
  const spec = { growth: treeGrowth(params, x.rows, x.cols), bootstrap: params.bootstrap, treeSeeds: forestTreeSeeds(fitSeed(params, options?.seed), params.n_estimators) };
  const trees = params.n_estimators;
  const workers = workerCount(params.n_jobs, trees);
  const shared = workers > 1;
  const grown = await growForest(sortFeatures(x, shared), shared ? sharedTarget(built) : built, spec, {
    trees,
    workers,
    onTree: (done) => options?.onProgress?.({ step: done, total: trees }),
  });
  // scikit-learn's forest importances: the mean of the trees' normalised importances, over trees that split.
  const sum = new Float64Array(x.cols);
  for (const g of grown) {
    if (g.tree.feature.length <= 1) continue;
    const own = normaliseImportances(g.impurityDecrease);
    for (let f = 0; f < x.cols; f++) sum[f] += own[f];
  }
  return { featureCount: x.cols, trees: grown.map((g) => g.tree), importances: normaliseImportances(sum) };
}

/**
 * A random forest classifier: n_estimators (100), bootstrap (true), max_features ("sqrt"), criterion,
 * max_depth, min_samples_split, min_samples_leaf, n_jobs (null: every available core) and random_state
 * (else the fit's seed). The same seed gives the same forest whatever n_jobs is.
 *
 * @example
 * const forest = await createRandomForestClassifier({ n_estimators: 200, n_jobs: 2 }).fit(x, target, { seed: 7 });
 */
export function createRandomForestClassifier(params: Params = {}): TreeClassifierLearner {
  const resolved = resolveForestParams(RANDOM_FOREST_CLASSIFIER_KIND, params, "classification");
  return {
    kind: RANDOM_FOREST_CLASSIFIER_KIND,
    params: { ...resolved },
    fit: async (x, target, options) => {
      const state = await fitForest(RANDOM_FOREST_CLASSIFIER_KIND, resolved, x, target, options, "classification");
      return createFittedTreeClassifier(RANDOM_FOREST_CLASSIFIER_KIND, target.task === "classification" ? target.classes : [], state);
    },
  };
}

/**
 * A random forest regressor: as the classifier, with criterion "squared_error" and max_features 1 (every
 * feature, scikit-learn 1.2's 1.0); predictions are the mean of the trees'.
 *
 * @example
 * const forest = await createRandomForestRegressor({ min_samples_leaf: 3 }).fit(x, { task: "regression", y }, { seed: 7 });
 */
export function createRandomForestRegressor(params: Params = {}): TreeRegressorLearner {
  const resolved = resolveForestParams(RANDOM_FOREST_REGRESSOR_KIND, params, "regression");
  return {
    kind: RANDOM_FOREST_REGRESSOR_KIND,
    params: { ...resolved },
    fit: async (x, target, options) => createFittedTreeRegressor(RANDOM_FOREST_REGRESSOR_KIND, await fitForest(RANDOM_FOREST_REGRESSOR_KIND, resolved, x, target, options, "regression")),
  };
}
