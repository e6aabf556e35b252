/**
 * Exports tree ensembles (a decision tree, a random forest, gradient-boosted trees) to ai.onnx.ml's
 * TreeEnsembleClassifier / TreeEnsembleRegressor.
 *
 * onnxruntime's TreeEnsembleClassifier has quirks for two classes that would make its outputs disagree with
 * the model's own predictions: with weights for both classes its label is "score of class 1 > 0" rather than
 * the argmax, base values for two classes are mixed up, and with a single score per tree it skips the
 * logistic transform whenever every leaf weight happens to be positive. So the label of a two-class model is
 * an ArgMax over the scores, and a binary raw score (boosting) goes through TreeEnsembleRegressor followed by
 * plain Sigmoid / Sub / Concat nodes.
 */
import { invalidParameter } from "../../core/errors.js";
import type { OnnxGraphBuilder } from "../types.js";
import type { Tree } from "../trees/tree.js";

export interface TreeEnsembleClassifierOnnxOptions {
  /** Number of classes; the label output is the class index 0..classes-1. */
  readonly classes: number;
  /** "average" divides the summed leaf values by the number of trees (random forest). */
  readonly aggregate: "average" | "sum";
  /** Added to the summed scores before the transform, one per class (or one with binaryScore). */
  readonly baseValues?: readonly number[];
  readonly postTransform: "NONE" | "LOGISTIC" | "SOFTMAX";
  /** Trees hold one raw score each for a 2-class model (boosting's logit); needs postTransform LOGISTIC. */
  readonly binaryScore?: boolean;
}

export interface TreeEnsembleRegressorOnnxOptions {
  readonly aggregate: "average" | "sum";
  readonly baseValues?: readonly number[];
}

interface NodeAttributes {
  readonly nodes_treeids: { ints: number[] };
  readonly nodes_nodeids: { ints: number[] };
  readonly nodes_featureids: { ints: number[] };
  readonly nodes_modes: string[];
  readonly nodes_values: number[];
  readonly nodes_truenodeids: { ints: number[] };
  readonly nodes_falsenodeids: { ints: number[] };
  readonly nodes_missing_value_tracks_true: { ints: number[] };
}

interface LeafWeights {
  readonly treeIds: number[];
  readonly nodeIds: number[];
  readonly ids: number[];
  readonly weights: number[];
}

function nodeAttributes(trees: readonly Tree[]): NodeAttributes {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTrue: number[] = [];
  trees.forEach((tree, t) => {
    for (let i = 0; i < tree.feature.length; i++) {
      const leaf = tree.feature[i] < 0;
      treeIds.push(t);
      nodeIds.push(i);
      featureIds.push(leaf ? 0 : tree.feature[i]);
      modes.push(leaf ? "LEAF" : "BRANCH_LEQ");
      values.push(leaf ? 0 : tree.threshold[i]);
      trueIds.push(leaf ? 0 : tree.left[i]);
      falseIds.push(leaf ? 0 : tree.right[i]);
      missingTrue.push(leaf ? 0 : tree.missingGoesLeft[i]);
    }
  });
  return {
    nodes_treeids: { ints: treeIds },
    nodes_nodeids: { ints: nodeIds },
    nodes_featureids: { ints: featureIds },
    nodes_modes: modes,
    nodes_values: values,
    nodes_truenodeids: { ints: trueIds },
    nodes_falsenodeids: { ints: falseIds },
    nodes_missing_value_tracks_true: { ints: missingTrue },
  };
}

/** Every leaf's values (all of them, zeros included, so that each output has a score), times `scale`. */
function leafWeights(trees: readonly Tree[], outputs: number, scale: number): LeafWeights {
  const result: LeafWeights = { treeIds: [], nodeIds: [], ids: [], weights: [] };
  trees.forEach((tree, t) => {
    if (tree.outputs !== outputs) {
      throw invalidParameter(`tree ${t} has ${tree.outputs} values per leaf, expected ${outputs}; all trees of an ensemble must agree`);
    }
    for (let i = 0; i < tree.feature.length; i++) {
      if (tree.feature[i] >= 0) continue;
      for (let k = 0; k < outputs; k++) {
        result.treeIds.push(t);
        result.nodeIds.push(i);
        result.ids.push(k);
        result.weights.push(tree.value[i * outputs + k] * scale);
      }
    }
  });
  return result;
}

function checkTrees(trees: readonly Tree[]): void {
  if (trees.length === 0) throw invalidParameter("a tree ensemble needs at least one tree to export");
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function checkBaseValues(baseValues: readonly number[] | undefined, expected: number): void {
  if (baseValues && baseValues.length > 0 && baseValues.length !== expected) {
    throw invalidParameter(`expected ${expected} base values, got ${baseValues.length}`);
  }
}

/** A TreeEnsembleRegressor node with `targets` outputs; returns the name of its [N, targets] float output. */
function regressorNode(graph: OnnxGraphBuilder, input: string, trees: readonly Tree[], targets: number, aggregate: "average" | "sum", baseValues: readonly number[] | undefined, postTransform = "NONE"): string {
  const leaves = leafWeights(trees, targets, 1);
  const output = graph.name("tree_scores");
  graph.node(
    "TreeEnsembleRegressor",
    [input],
    [output],
    {
      ...nodeAttributes(trees),
      n_targets: { int: targets },
      target_treeids: { ints: leaves.treeIds },
      target_nodeids: { ints: leaves.nodeIds },
      target_ids: { ints: leaves.ids },
      target_weights: leaves.weights,
      aggregate_function: aggregate === "average" ? "AVERAGE" : "SUM",
      post_transform: postTransform,
      ...(baseValues && baseValues.length > 0 ? { base_values: [...baseValues] } : {}),
    },
    "ai.onnx.ml",
  );
  return output;
}

/**
 * Trees per TreeEnsembleRegressor node of a summed (boosted) score. onnxruntime scores a batch faster through
 * several small ensembles added with Sum than through one large one: on 100,000 rows, 100 boosted trees took
 * 145 ms as one node and 55–65 ms as nodes of 1 or 10 trees (120 ms at 50); 10 keeps the node count, and so
 * the cost of one row, low.
 */
const TREES_PER_NODE = 10;

/** One raw score [N, 1]: the sum of the trees' values plus `baseValue`, in nodes of TREES_PER_NODE trees. */
function summedScore(graph: OnnxGraphBuilder, input: string, trees: readonly Tree[], baseValue: number | undefined): string {
  const parts: string[] = [];
  for (let i = 0; i < trees.length; i += TREES_PER_NODE) {
    parts.push(regressorNode(graph, input, trees.slice(i, i + TREES_PER_NODE), 1, "sum", i === 0 && baseValue !== undefined ? [baseValue] : undefined));
  }
  if (parts.length === 1) return parts[0];
  const sum = graph.name("tree_sum");
  graph.node("Sum", parts, [sum]);
  return sum;
}

/** One raw score per tree for two classes: probabilities [1 - p, p] with p = sigmoid(score); label score > 0. */
function binaryScoreClassifier(graph: OnnxGraphBuilder, input: string, trees: readonly Tree[], options: TreeEnsembleClassifierOnnxOptions): { label: string; probabilities: string } {
  if (options.classes !== 2) throw invalidParameter(`binaryScore needs exactly 2 classes, got ${options.classes}`);
  if (options.postTransform !== "LOGISTIC") throw invalidParameter("binaryScore needs postTransform LOGISTIC: a raw score is not a probability");
  checkBaseValues(options.baseValues, 1);
  const score = options.aggregate === "sum" ? summedScore(graph, input, trees, options.baseValues?.[0]) : regressorNode(graph, input, trees, 1, options.aggregate, options.baseValues);
  const p = graph.name("positive_probability");
  graph.node("Sigmoid", [score], [p]);
  const one = graph.initializer("one", [], new Float32Array([1]));
  const q = graph.name("negative_probability");
  graph.node("Sub", [one, p], [q]);
  const probabilities = graph.name("probabilities");
  graph.node("Concat", [q, p], [probabilities], { axis: { int: 1 } });
  const zero = graph.initializer("zero", [], new Float32Array([0]));
  const positive = graph.name("is_positive");
  graph.node("Greater", [score, zero], [positive]);
  const labelColumn = graph.name("label_column");
  graph.node("Cast", [positive], [labelColumn], { to: { int: 7 } });
  const flat = graph.initializer("flat_shape", [1], new BigInt64Array([-1n]), "int64");
  const label = graph.name("label");
  graph.node("Reshape", [labelColumn, flat], [label]);
  return { label, probabilities };
}

/**
 * Adds a tree-ensemble classifier reading the float tensor `input` [N, features]; returns the int64 label [N]
 * (class index) and the float probabilities [N, classes].
 *
 * Leaf values are per-class scores (`tree.outputs === classes`), or one raw score per tree with
 * `binaryScore`. "average" turns the summed leaf probabilities of a forest into their mean.
 *
 * @example
 * const { label, probabilities } = treeEnsembleClassifierToOnnx(graph, "features", forest.trees, {
 *   classes: 3, aggregate: "average", postTransform: "NONE",
 * });
 */
export function treeEnsembleClassifierToOnnx(graph: OnnxGraphBuilder, input: string, trees: readonly Tree[], options: TreeEnsembleClassifierOnnxOptions): { label: string; probabilities: string } {
  checkTrees(trees);
  if (!Number.isInteger(options.classes) || options.classes < 2) throw invalidParameter(`a classifier needs at least 2 classes, got ${options.classes}`);
  if (options.binaryScore) return binaryScoreClassifier(graph, input, trees, options);
  const { classes } = options;
  checkBaseValues(options.baseValues, classes);
  const hasBase = options.baseValues !== undefined && options.baseValues.length > 0;
  if (classes === 2 && hasBase) throw invalidParameter("base values for a 2-class model need binaryScore (one raw score per tree)");
  if (options.aggregate === "average" && options.postTransform === "NONE" && trees.length > 1) {
    const probabilities = averagePerTree(graph, input, trees, classes);
    const label = graph.name("label");
    graph.node("ArgMax", [probabilities], [label], { axis: { int: 1 }, keepdims: { int: 0 } });
    return { label, probabilities };
  }
  const scale = options.aggregate === "average" ? 1 / trees.length : 1;
  const leaves = leafWeights(trees, classes, scale);
  const ortLabel = graph.name("tree_label");
  const scores = graph.name("tree_scores");
  graph.node(
    "TreeEnsembleClassifier",
    [input],
    [ortLabel, scores],
    {
      ...nodeAttributes(trees),
      classlabels_int64s: { ints: range(classes) },
      class_treeids: { ints: leaves.treeIds },
      class_nodeids: { ints: leaves.nodeIds },
      class_ids: { ints: leaves.ids },
      class_weights: leaves.weights,
      post_transform: options.postTransform,
      ...(hasBase ? { base_values: [...(options.baseValues ?? [])] } : {}),
    },
    "ai.onnx.ml",
  );
  if (classes > 2) return { label: ortLabel, probabilities: scores };
  const label = graph.name("label");
  graph.node("ArgMax", [scores], [label], { axis: { int: 1 }, keepdims: { int: 0 } });
  return { label, probabilities: scores };
}

/**
 * The mean of a forest's trees as one TreeEnsembleRegressor node per tree, then Sum and Div. onnxruntime
 * walks a single ensemble row by row through every tree, and for a batch that is up to twice as slow as
 * tree by tree (measured on 100 deep trees: 1.3 s against 0.6 s for 100,000 rows); one row costs about 0.5 µs
 * more per tree. Dividing after the sum keeps pure-leaf sums exact in float32, so exact ties stay ties.
 */
function averagePerTree(graph: OnnxGraphBuilder, input: string, trees: readonly Tree[], targets: number): string {
  const parts = trees.map((tree) => regressorNode(graph, input, [tree], targets, "sum", undefined));
  const sum = graph.name("tree_sum");
  graph.node("Sum", parts, [sum]);
  const count = graph.initializer("tree_count", [], new Float32Array([trees.length]));
  const mean = graph.name("probabilities");
  graph.node("Div", [sum, count], [mean]);
  return mean;
}

/**
 * A multiclass boosted model: one raw score per class, each the sum of that class's trees plus its baseline,
 * then Softmax; returns the int64 label [N] (argmax) and the probabilities [N, classes]. One single-target
 * TreeEnsembleRegressor per class, rather than one classifier whose every tree carries a value for every
 * class, adds one value per tree and row instead of `classes` (about twice as fast on 10 classes).
 *
 * @example
 * const { label, probabilities } = perClassSoftmaxToOnnx(graph, "features", treesByClass, baselines);
 */
export function perClassSoftmaxToOnnx(graph: OnnxGraphBuilder, input: string, treesByClass: readonly (readonly Tree[])[], baseValues: readonly number[]): { label: string; probabilities: string } {
  if (treesByClass.length < 2) throw invalidParameter(`a softmax model needs at least 2 classes, got ${treesByClass.length}`);
  checkBaseValues(baseValues, treesByClass.length);
  treesByClass.forEach(checkTrees);
  const scores = treesByClass.map((trees, c) => summedScore(graph, input, trees, baseValues[c]));
  const logits = graph.name("class_scores");
  graph.node("Concat", scores, [logits], { axis: { int: 1 } });
  const probabilities = graph.name("probabilities");
  graph.node("Softmax", [logits], [probabilities], { axis: { int: 1 } });
  const label = graph.name("label");
  graph.node("ArgMax", [logits], [label], { axis: { int: 1 }, keepdims: { int: 0 } });
  return { label, probabilities };
}

/**
 * Adds a tree-ensemble regressor reading `input` [N, features]; returns the float prediction [N, outputs].
 *
 * @example
 * const { prediction } = treeEnsembleRegressorToOnnx(graph, "features", forest.trees, { aggregate: "average" });
 */
export function treeEnsembleRegressorToOnnx(graph: OnnxGraphBuilder, input: string, trees: readonly Tree[], options: TreeEnsembleRegressorOnnxOptions): { prediction: string } {
  checkTrees(trees);
  const targets = trees[0].outputs;
  checkBaseValues(options.baseValues, targets);
  const hasBase = options.baseValues !== undefined && options.baseValues.length > 0;
  if (options.aggregate === "average" && !hasBase && trees.length > 1) return { prediction: averagePerTree(graph, input, trees, targets) };
  if (options.aggregate === "sum" && targets === 1) return { prediction: summedScore(graph, input, trees, options.baseValues?.[0]) };
  return { prediction: regressorNode(graph, input, trees, targets, options.aggregate, options.baseValues) };
}
