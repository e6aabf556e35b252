/**
 * A fitted histogram gradient boosting model: predictions, ONNX export and JSON. Predictions walk the trees
 * on float32-rounded inputs with the float32 thresholds ONNX gets, so onnxruntime routes every row the same
 * way; only the float32 sum of leaf values in onnxruntime differs, by about 1e-7 relative.
 */
import { invalidParameter } from "../../core/errors.js";
import { perClassSoftmaxToOnnx, treeEnsembleClassifierToOnnx, treeEnsembleRegressorToOnnx } from "../onnx/tree-ensemble-onnx.js";
import type { Tree } from "../trees/tree.js";
import type { FittedClassifier, FittedRegressor, Matrix, OnnxGraphBuilder } from "../types.js";
import { hgbStateToJson } from "./hgb-json.js";
import type { HgbState } from "./hgb-json.js";

export const HGB_CLASSIFIER_KIND = "hist_gradient_boosting_classifier";
export const HGB_REGRESSOR_KIND = "hist_gradient_boosting_regressor";

interface HgbCommon {
  /** Iterations done (scikit-learn's n_iter_): fewer than max_iter when early stopping stopped. */
  readonly nIter: number;
  /** -loss on the training rows before the first tree and after each iteration (scikit-learn's train_score_). */
  readonly trainScore: readonly number[];
  /** The same on the rows early stopping held out; empty when none were (validation_score_). */
  readonly validationScore: readonly number[];
  /** The single-output trees, per iteration and class. */
  readonly trees: readonly (readonly Tree[])[];
  readonly baseline: Float64Array;
  /** Raw scores before the link (log-odds / logits / the prediction), rows × trees per iteration. */
  decisionFunction(x: Matrix): Float64Array;
}

export interface FittedHgbClassifier extends FittedClassifier, HgbCommon {
  /**
   * Keel's own (scikit-learn's HistGradientBoosting has none): each feature's total split gain, normalised
   * to sum to 1 (all zeros when no tree split).
   */
  featureImportances(): Float64Array;
}

export interface FittedHgbRegressor extends FittedRegressor, HgbCommon {
  /** As the classifier's: normalised total split gain per feature (Keel's own). */
  featureImportances(): Float64Array;
}

function rawScores(state: HgbState, x: Matrix, kind: string): Float64Array {
  if (x.cols !== state.featureCount) throw invalidParameter(`${kind} was trained on ${state.featureCount} features but got a matrix with ${x.cols} columns`);
  if (x.data.length !== x.rows * x.cols) throw invalidParameter(`${kind}: the matrix says ${x.rows} × ${x.cols} but holds ${x.data.length} values`);
  const k = state.baseline.length;
  const out = new Float64Array(x.rows * k);
  for (let r = 0; r < x.rows; r++) out.set(state.baseline, r * k);
  const { data, cols } = x;
  // Tree by tree, so each tree's arrays stay in cache (measured 1.4 times faster than row by row); every
  // row still adds its trees in order.
  for (const iteration of state.trees) {
    for (let c = 0; c < k; c++) {
      const { feature, threshold, left, right, missingGoesLeft, value } = iteration[c];
      for (let r = 0; r < x.rows; r++) {
        const offset = r * cols;
        let node = 0;
        while (feature[node] >= 0) {
          const v = Math.fround(data[offset + feature[node]]);
          // The rule of trees/tree.ts's predictTree, which ONNX's BRANCH_LEQ with missing tracking follows.
          if (v <= threshold[node]) node = left[node];
          else if (v !== v) node = missingGoesLeft[node] === 1 ? left[node] : right[node];
          else node = right[node];
        }
        out[r * k + c] += value[node];
      }
    }
  }
  return out;
}

function normalisedGains(gains: Float64Array): Float64Array {
  let total = 0;
  for (const g of gains) total += g;
  return total > 0 ? gains.map((g) => g / total) : new Float64Array(gains.length);
}

function common(state: HgbState, kind: string): HgbCommon & { featureImportances(): Float64Array } {
  return {
    nIter: state.trees.length,
    trainScore: [...state.trainScore],
    validationScore: [...state.validationScore],
    trees: state.trees,
    baseline: Float64Array.from(state.baseline),
    decisionFunction: (x) => rawScores(state, x, kind),
    featureImportances: () => normalisedGains(state.featureGains),
  };
}

/** A single-output tree as one with `outputs` values per node, its values in column `column`. */
export function createFittedHgbClassifier(state: HgbState, classes: readonly string[]): FittedHgbClassifier {
  const k = classes.length;
  const binary = k === 2;
  const predictProba = (x: Matrix): Float64Array => {
    const raw = rawScores(state, x, HGB_CLASSIFIER_KIND);
    const out = new Float64Array(x.rows * k);
    for (let r = 0; r < x.rows; r++) {
      if (binary) {
        const p = 1 / (1 + Math.exp(-raw[r]));
        out[2 * r] = 1 - p;
        out[2 * r + 1] = p;
        continue;
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, raw[r * k + c]);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += out[r * k + c] = Math.exp(raw[r * k + c] - max);
      for (let c = 0; c < k; c++) out[r * k + c] /= sum;
    }
    return out;
  };
  return {
    task: "classification",
    kind: HGB_CLASSIFIER_KIND,
    classes: [...classes],
    featureCount: state.featureCount,
    ...common(state, HGB_CLASSIFIER_KIND),
    predictProba,
    predict(x) {
      if (binary) {
        // The label ONNX gives: score > 0, i.e. p > 1 - p.
        return Int32Array.from(rawScores(state, x, HGB_CLASSIFIER_KIND), (s) => (s > 0 ? 1 : 0));
      }
      const proba = predictProba(x);
      const labels = new Int32Array(x.rows);
      for (let r = 0; r < x.rows; r++) {
        let best = 0;
        for (let c = 1; c < k; c++) if (proba[r * k + c] > proba[r * k + best]) best = c;
        labels[r] = best;
      }
      return labels;
    },
    toOnnx(graph: OnnxGraphBuilder, input: string) {
      if (binary) {
        return treeEnsembleClassifierToOnnx(graph, input, state.trees.map((t) => t[0]), {
          classes: 2,
          aggregate: "sum",
          baseValues: [state.baseline[0]],
          postTransform: "LOGISTIC",
          binaryScore: true,
        });
      }
      const byClass = Array.from({ length: k }, (_, c) => state.trees.map((iteration) => iteration[c]));
      return perClassSoftmaxToOnnx(graph, input, byClass, [...state.baseline]);
    },
    toJson: () => hgbStateToJson(HGB_CLASSIFIER_KIND, state, classes),
  };
}

export function createFittedHgbRegressor(state: HgbState): FittedHgbRegressor {
  return {
    task: "regression",
    kind: HGB_REGRESSOR_KIND,
    featureCount: state.featureCount,
    ...common(state, HGB_REGRESSOR_KIND),
    predict: (x) => rawScores(state, x, HGB_REGRESSOR_KIND),
    toOnnx: (graph, input) => treeEnsembleRegressorToOnnx(graph, input, state.trees.map((t) => t[0]), { aggregate: "sum", baseValues: [state.baseline[0]] }),
    toJson: () => hgbStateToJson(HGB_REGRESSOR_KIND, state, null),
  };
}
