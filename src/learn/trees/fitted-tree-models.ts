/**
 * Fitted tree models: a decision tree is an ensemble of one, a random forest the mean of its trees (of their
 * leaf probabilities, as scikit-learn's forests average predict_proba, not votes).
 */
import { invalidParameter } from "../../core/errors.js";
import { treeEnsembleClassifierToOnnx, treeEnsembleRegressorToOnnx } from "../onnx/tree-ensemble-onnx.js";
import type { FitOptions, FittedClassifier, FittedRegressor, Learner, Matrix, Target } from "../types.js";
import type { Tree, TreeJson } from "./tree.js";
import { predictTree, treeToJson } from "./tree.js";

export const DECISION_TREE_CLASSIFIER_KIND = "decision_tree_classifier";
export const DECISION_TREE_REGRESSOR_KIND = "decision_tree_regressor";
export const RANDOM_FOREST_CLASSIFIER_KIND = "random_forest_classifier";
export const RANDOM_FOREST_REGRESSOR_KIND = "random_forest_regressor";

export type TreeClassifierKind = typeof DECISION_TREE_CLASSIFIER_KIND | typeof RANDOM_FOREST_CLASSIFIER_KIND;
export type TreeRegressorKind = typeof DECISION_TREE_REGRESSOR_KIND | typeof RANDOM_FOREST_REGRESSOR_KIND;

export interface FittedTreeClassifier extends FittedClassifier {
  readonly kind: TreeClassifierKind;
  /** The trees, leaves holding class probabilities. */
  readonly trees: readonly Tree[];
  featureImportances(): Float64Array;
  toJson(): TreeModelJson;
}

export interface FittedTreeRegressor extends FittedRegressor {
  readonly kind: TreeRegressorKind;
  readonly trees: readonly Tree[];
  featureImportances(): Float64Array;
  toJson(): TreeModelJson;
}

export interface TreeClassifierLearner extends Learner {
  fit(x: Matrix, target: Target, options?: FitOptions): Promise<FittedTreeClassifier>;
}

export interface TreeRegressorLearner extends Learner {
  fit(x: Matrix, target: Target, options?: FitOptions): Promise<FittedTreeRegressor>;
}

export interface TreeModelJson {
  readonly kind: TreeClassifierKind | TreeRegressorKind;
  readonly version: 1;
  readonly classes?: readonly string[];
  readonly featureCount: number;
  readonly featureImportances: readonly number[];
  readonly trees: readonly TreeJson[];
}

export interface TreeModelState {
  readonly featureCount: number;
  readonly trees: readonly Tree[];
  /** Normalised to sum to 1 (all zeros when no tree split). */
  readonly importances: Float64Array;
}

function checkMatrix(x: Matrix, featureCount: number, kind: string): void {
  if (x.cols !== featureCount) throw invalidParameter(`${kind} was trained on ${featureCount} features but got a matrix with ${x.cols} columns`);
  if (x.data.length !== x.rows * x.cols) throw invalidParameter(`${kind}: the matrix says ${x.rows} × ${x.cols} but holds ${x.data.length} values`);
}

/** rows × outputs sums of the trees' leaf values, added in tree order. */
function leafSums(trees: readonly Tree[], x: Matrix, outputs: number): Float64Array {
  const sums = new Float64Array(x.rows * outputs);
  for (const tree of trees) {
    const { value } = tree;
    for (let r = 0; r < x.rows; r++) {
      const leaf = predictTree(tree, x.data, r * x.cols) * outputs;
      const so = r * outputs;
      for (let k = 0; k < outputs; k++) sums[so + k] += value[leaf + k];
    }
  }
  return sums;
}

function stateJson(kind: TreeClassifierKind | TreeRegressorKind, state: TreeModelState, classes?: readonly string[]): TreeModelJson {
  return {
    kind,
    version: 1,
    ...(classes ? { classes: [...classes] } : {}),
    featureCount: state.featureCount,
    featureImportances: Array.from(state.importances),
    trees: state.trees.map(treeToJson),
  };
}

export function createFittedTreeClassifier(kind: TreeClassifierKind, classes: readonly string[], state: TreeModelState): FittedTreeClassifier {
  const k = classes.length;
  const { trees, featureCount } = state;
  const predictProba = (x: Matrix): Float64Array => {
    checkMatrix(x, featureCount, kind);
    const sums = leafSums(trees, x, k);
    if (trees.length > 1) for (let j = 0; j < sums.length; j++) sums[j] /= trees.length;
    return sums;
  };
  const predict = (x: Matrix): Int32Array => {
    checkMatrix(x, featureCount, kind);
    // The argmax of the sums, as the ONNX export takes it: dividing could not split a tie, only make one.
    const sums = leafSums(trees, x, k);
    const labels = new Int32Array(x.rows);
    for (let r = 0; r < x.rows; r++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (sums[r * k + c] > sums[r * k + best]) best = c;
      labels[r] = best;
    }
    return labels;
  };
  return {
    task: "classification",
    kind,
    classes: [...classes],
    featureCount,
    trees,
    predictProba,
    predict,
    featureImportances: () => Float64Array.from(state.importances),
    toOnnx: (graph, input) => treeEnsembleClassifierToOnnx(graph, input, trees, { classes: k, aggregate: "average", postTransform: "NONE" }),
    toJson: () => stateJson(kind, state, classes),
  };
}

export function createFittedTreeRegressor(kind: TreeRegressorKind, state: TreeModelState): FittedTreeRegressor {
  const { trees, featureCount } = state;
  return {
    task: "regression",
    kind,
    featureCount,
    trees,
    predict: (x) => {
      checkMatrix(x, featureCount, kind);
      const sums = leafSums(trees, x, 1);
      if (trees.length > 1) for (let j = 0; j < sums.length; j++) sums[j] /= trees.length;
      return sums;
    },
    featureImportances: () => Float64Array.from(state.importances),
    toOnnx: (graph, input) => treeEnsembleRegressorToOnnx(graph, input, trees, { aggregate: "average" }),
    toJson: () => stateJson(kind, state),
  };
}

/** Normalises raw impurity decreases to sum to 1 (all zeros stay zeros). */
export function normaliseImportances(decrease: Float64Array): Float64Array {
  let total = 0;
  for (const d of decrease) total += d;
  const out = new Float64Array(decrease.length);
  if (total > 0) for (let f = 0; f < decrease.length; f++) out[f] = decrease[f] / total;
  return out;
}
