/**
 * Grows one regression tree on gradients and hessians, as scikit-learn's TreeGrower does: the node of
 * highest gain is split next (leaf-wise, "lossguide") or the shallowest one ("depthwise"); the smaller child's
 * histogram is built from its samples and the larger one's is the parent's minus it; sample indices are
 * partitioned in place, so each node is a range of one shared array.
 */
import type { Tree } from "../trees/tree.js";
import type { BinMapper } from "./bin-mapper.js";
import { emptySplit, findBestSplit, nodeValue } from "./find-split.js";
import type { Split, SplitRules } from "./find-split.js";
import { buildHistogram, partitionRange, subtractHistogram } from "./histogram.js";
import type { HistogramPool, HistogramSource } from "./histogram.js";

export interface GrowOptions {
  readonly maxLeafNodes: number | null;
  readonly maxDepth: number | null;
  readonly minSamplesLeaf: number;
  readonly l2: number;
  /** The learning rate, applied to leaf values once the tree is grown. */
  readonly shrinkage: number;
  readonly growPolicy: "lossguide" | "depthwise";
}

/** What stays the same across the trees of one fit. */
export interface GrowContext {
  readonly source: HistogramSource;
  readonly rules: SplitRules;
  readonly pool: HistogramPool;
  readonly mapper: BinMapper;
  readonly options: GrowOptions;
  /** Per feature, total gain of its splits so far (feature importances). */
  readonly featureGains: Float64Array;
  /** Sample indices of the tree's rows; reordered in place as nodes split. */
  readonly partition: Uint32Array;
  /** Partitioning scratch as long as `partition` (shared with the worker, like it). */
  readonly scratch: Uint32Array;
}

/** A fitted tree (one output per leaf, learning rate applied) and the bin each split compares against. */
export interface BoostedTree {
  readonly tree: Tree;
  /** Per node, the bin b of the split "bin <= b" (0 at leaves), for predicting on binned rows. */
  readonly bins: Uint8Array;
}

export interface GrownTree extends BoostedTree {
  /** Per leaf, its range of `partition` and its value, to update the training predictions without a walk. */
  readonly leaves: readonly { readonly start: number; readonly stop: number; readonly value: number }[];
}

interface GrowNode {
  readonly id: number;
  readonly depth: number;
  readonly start: number;
  readonly stop: number;
  readonly sumGradients: number;
  readonly sumHessians: number;
  readonly value: number;
  histogram: Float64Array | null;
  readonly split: Split;
  missingGoesLeft: boolean;
  left: GrowNode | null;
  right: GrowNode | null;
}

/**
 * Grows a tree on the first `sampleCount` entries of `context.partition`; `allRows` says they are every
 * row in order (so the root's histogram needs no gather).
 */
export function growTree(context: GrowContext, sampleCount: number, allRows: boolean): GrownTree {
  const { source, rules, pool, options } = context;
  const { partition } = context;
  let nextId = 0;
  const splittable: GrowNode[] = [];
  const leaves: GrowNode[] = [];
  const makeNode = (depth: number, start: number, stop: number, sumGradients: number, sumHessians: number, value: number): GrowNode => ({
    id: nextId++,
    depth,
    start,
    stop,
    sumGradients,
    sumHessians,
    value,
    histogram: null,
    split: emptySplit(),
    missingGoesLeft: false,
    left: null,
    right: null,
  });
  const finalize = (node: GrowNode): void => {
    if (node.histogram) pool.release(node.histogram);
    node.histogram = null;
    leaves.push(node);
  };
  const evaluate = (node: GrowNode): void => {
    const count = node.stop - node.start;
    findBestSplit(node.histogram as Float64Array, { count, sumGradients: node.sumGradients, sumHessians: node.sumHessians, value: node.value }, rules, node.split);
    if (node.split.gain <= 0) finalize(node);
    else splittable.push(node);
  };

  let sumG = 0;
  let sumH = 0;
  for (let i = 0; i < sampleCount; i++) {
    const s = partition[i];
    sumG += source.gradients[s];
    sumH += source.hessians[s];
  }
  const root = makeNode(0, 0, sampleCount, sumG, sumH, 0);
  if (sampleCount < 2 * options.minSamplesLeaf || sumH < rules.minHessian) {
    finalize(root);
  } else {
    root.histogram = pool.acquire();
    buildHistogram(root.histogram, source, allRows ? null : partition, 0, sampleCount);
    evaluate(root);
  }

  while (splittable.length > 0) {
    const node = takeNext(splittable, options.growPolicy);
    const { left, right } = splitNode(context, node, makeNode);
    const leafCount = leaves.length + splittable.length + 2;
    const leftCount = left.stop - left.start;
    const rightCount = right.stop - right.start;
    let leftIsLeaf = false;
    let rightIsLeaf = false;
    if (options.maxLeafNodes !== null && leafCount >= options.maxLeafNodes) {
      leftIsLeaf = rightIsLeaf = true;
      while (splittable.length > 0) finalize(splittable.pop() as GrowNode);
    } else if (options.maxDepth !== null && left.depth >= options.maxDepth) {
      leftIsLeaf = rightIsLeaf = true;
    } else {
      leftIsLeaf = leftCount < 2 * options.minSamplesLeaf;
      rightIsLeaf = rightCount < 2 * options.minSamplesLeaf;
    }
    if (!leftIsLeaf || !rightIsLeaf) {
      const [small, large] = leftCount < rightCount ? [left, right] : [right, left];
      small.histogram = pool.acquire();
      buildHistogram(small.histogram, source, partition, small.start, small.stop);
      large.histogram = pool.acquire();
      subtractHistogram(large.histogram, node.histogram as Float64Array, small.histogram);
    }
    pool.release(node.histogram as Float64Array);
    node.histogram = null;
    if (leftIsLeaf) finalize(left);
    else evaluate(left);
    if (rightIsLeaf) finalize(right);
    else evaluate(right);
  }

  return toTree(context, root, leaves);
}

/** The next node to split: highest gain (lossguide) or shallowest (depthwise); ties to the oldest node. */
function takeNext(splittable: GrowNode[], policy: "lossguide" | "depthwise"): GrowNode {
  let best = 0;
  for (let i = 1; i < splittable.length; i++) {
    const a = splittable[i];
    const b = splittable[best];
    const better = policy === "lossguide" ? a.split.gain > b.split.gain || (a.split.gain === b.split.gain && a.id < b.id) : a.depth < b.depth || (a.depth === b.depth && a.id < b.id);
    if (better) best = i;
  }
  const node = splittable[best];
  splittable[best] = splittable[splittable.length - 1];
  splittable.pop();
  return node;
}

type MakeNode = (depth: number, start: number, stop: number, sumGradients: number, sumHessians: number, value: number) => GrowNode;

/** Partitions the node's samples (stable: each side keeps its order) and creates its two children. */
function splitNode(context: GrowContext, node: GrowNode, makeNode: MakeNode): { left: GrowNode; right: GrowNode } {
  const { source, rules, partition, scratch, mapper, options } = context;
  const { feature, bin, missingGoesLeft } = node.split;
  const column = feature * source.rowCount;
  const missingLeft = missingGoesLeft ? 1 : 0;
  const { start, stop } = node;
  const worker = source.halves?.worker;
  let l: number;
  if (worker && stop - start >= PARALLEL_PARTITION_MIN) {
    // The worker partitions the second half while this thread does the first; then the halves' left runs
    // are joined and the right runs follow, which is the one-pass stable partition exactly.
    const middle = start + ((stop - start) >> 1);
    worker.startPartition(middle, stop, column, bin, mapper.maxBins, missingLeft);
    const leftA = partitionRange(partition, scratch, source.binned, column, start, middle, bin, mapper.maxBins, missingLeft);
    const leftB = worker.waitPartition();
    partition.copyWithin(start + leftA, middle, middle + leftB);
    l = start + leftA + leftB;
    partition.set(scratch.subarray(start, middle - leftA), l);
    partition.set(scratch.subarray(middle, stop - leftB), l + middle - start - leftA);
  } else {
    l = start + partitionRange(partition, scratch, source.binned, column, start, stop, bin, mapper.maxBins, missingLeft);
    partition.set(scratch.subarray(start, start + stop - l), l);
  }
  const split = node.split;
  const sumGr = node.sumGradients - split.sumGradientsLeft;
  const sumHr = node.sumHessians - split.sumHessiansLeft;
  const left = makeNode(node.depth + 1, node.start, l, split.sumGradientsLeft, split.sumHessiansLeft, nodeValue(split.sumGradientsLeft, split.sumHessiansLeft, options.l2));
  const right = makeNode(node.depth + 1, l, node.stop, sumGr, sumHr, nodeValue(sumGr, sumHr, options.l2));
  node.left = left;
  node.right = right;
  // With no missing value in training, a missing value at prediction goes where most samples went.
  node.missingGoesLeft = rules.hasMissing[feature] === 1 ? missingGoesLeft : l - node.start > node.stop - l;
  const trueGain =
    split.sumGradientsLeft ** 2 / (split.sumHessiansLeft + options.l2) + sumGr ** 2 / (sumHr + options.l2) - node.sumGradients ** 2 / (node.sumHessians + options.l2);
  if (trueGain > 0) context.featureGains[feature] += trueGain;
  return { left, right };
}

/** Nodes from this many samples are partitioned on two threads when a worker is there. */
const PARALLEL_PARTITION_MIN = 4096;

/** Numbers the nodes depth-first (root 0, then the left subtree, then the right) into a Tree. */
function toTree(context: GrowContext, root: GrowNode, leaves: readonly GrowNode[]): GrownTree {
  const count = 2 * leaves.length - 1;
  const tree = {
    feature: new Int32Array(count),
    threshold: new Float64Array(count),
    left: new Int32Array(count),
    right: new Int32Array(count),
    missingGoesLeft: new Uint8Array(count),
    value: new Float64Array(count),
    outputs: 1,
  };
  const bins = new Uint8Array(count);
  const { shrinkage } = context.options;
  const { binCounts } = context.rules;
  const { edges } = context.mapper;
  let next = 0;
  const visit = (node: GrowNode): number => {
    const i = next++;
    tree.value[i] = node.value * shrinkage;
    if (node.left === null || node.right === null) {
      tree.feature[i] = -1;
      tree.left[i] = -1;
      tree.right[i] = -1;
      return i;
    }
    const f = node.split.feature;
    tree.feature[i] = f;
    bins[i] = node.split.bin;
    // The last non-missing bin splits non-missing from missing values: every number goes left.
    tree.threshold[i] = node.split.bin === binCounts[f] - 1 ? Number.POSITIVE_INFINITY : edges[f][node.split.bin];
    tree.missingGoesLeft[i] = node.missingGoesLeft ? 1 : 0;
    tree.left[i] = visit(node.left);
    tree.right[i] = visit(node.right);
    return i;
  };
  visit(root);
  return { tree, bins, leaves: leaves.map((leaf) => ({ start: leaf.start, stop: leaf.stop, value: leaf.value * shrinkage })) };
}
