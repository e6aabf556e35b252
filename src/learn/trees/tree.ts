/**
 * The tree representation every tree learner (CART, random forest, gradient boosting) produces and the ONNX
 * exporter reads: parallel typed arrays indexed by node, node 0 the root.
 *
 * Thresholds are float32-exact and inputs are rounded to float32 before comparing, because ONNX's
 * TreeEnsemble operators compare in float32: a float64 threshold between two float32 values would send
 * some rows the other way in onnxruntime.
 */
import { invalidParameter } from "../../core/errors.js";

export interface Tree {
  /** Feature compared at each node; -1 at leaves. */
  readonly feature: Int32Array;
  /** Split threshold, float32-exact: a row goes left when fround(x) <= threshold. */
  readonly threshold: Float64Array;
  /** Left child; -1 at leaves. */
  readonly left: Int32Array;
  /** Right child; -1 at leaves. */
  readonly right: Int32Array;
  /** 1 when a missing value (NaN) goes left, 0 when it goes right. */
  readonly missingGoesLeft: Uint8Array;
  /** nodeCount × outputs, row-major; leaves hold the model's output (probabilities, a mean, a raw score). */
  readonly value: Float64Array;
  /** Values per node: classes for a probability tree, 1 for regression or a binary boosting score. */
  readonly outputs: number;
}

/** Number of nodes in `tree`. */
export function nodeCount(tree: Tree): number {
  return tree.feature.length;
}

/**
 * The leaf a row reaches: `data` holds the row's features from `offset` on (a row, or a Matrix's data with
 * offset row × cols).
 */
export function predictTree(tree: Tree, data: Float64Array, offset = 0): number {
  const { feature, threshold, left, right, missingGoesLeft } = tree;
  let node = 0;
  while (feature[node] >= 0) {
    const x = Math.fround(data[offset + feature[node]]);
    if (x <= threshold[node]) node = left[node];
    else if (x !== x) node = missingGoesLeft[node] === 1 ? left[node] : right[node];
    else node = right[node];
  }
  return node;
}

/** Number of leaves in `tree`. */
export function leafCount(tree: Tree): number {
  let n = 0;
  for (let i = 0; i < tree.feature.length; i++) if (tree.feature[i] < 0) n++;
  return n;
}

/** Depth of the deepest leaf (a lone root has depth 0). */
export function treeDepth(tree: Tree): number {
  let max = 0;
  const stack: number[] = [0, 0];
  while (stack.length > 0) {
    const depth = stack.pop() ?? 0;
    const node = stack.pop() ?? 0;
    if (depth > max) max = depth;
    if (tree.feature[node] >= 0) stack.push(tree.left[node], depth + 1, tree.right[node], depth + 1);
  }
  return max;
}

/** A tree's JSON form: plain arrays, so that `JSON.stringify` keeps every bit of the float64 values. */
export interface TreeJson {
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly missingGoesLeft: number[];
  readonly value: number[];
  readonly outputs: number;
}

export function treeToJson(tree: Tree): TreeJson {
  return {
    feature: Array.from(tree.feature),
    threshold: Array.from(tree.threshold),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    missingGoesLeft: Array.from(tree.missingGoesLeft),
    value: Array.from(tree.value),
    outputs: tree.outputs,
  };
}

/** Rebuilds a tree from `treeToJson`'s output, checking that its arrays agree in length. */
export function treeFromJson(json: TreeJson): Tree {
  const n = json.feature.length;
  const ok =
    json.threshold.length === n &&
    json.left.length === n &&
    json.right.length === n &&
    json.missingGoesLeft.length === n &&
    Number.isInteger(json.outputs) &&
    json.outputs >= 1 &&
    json.value.length === n * json.outputs &&
    n > 0;
  if (!ok) throw invalidParameter("tree JSON is malformed: its node arrays differ in length; re-export the model");
  return {
    feature: Int32Array.from(json.feature),
    threshold: Float64Array.from(json.threshold),
    left: Int32Array.from(json.left),
    right: Int32Array.from(json.right),
    missingGoesLeft: Uint8Array.from(json.missingGoesLeft),
    value: Float64Array.from(json.value),
    outputs: json.outputs,
  };
}
