/**
 * CART growth, depth first as scikit-learn's DepthFirstTreeBuilder with its BestSplitter: best split by
 * exhaustive search over the sorted values of up to max_features randomly drawn features, skipping features
 * found constant in the node and remembering them for its descendants.
 *
 * The features are drawn as scikit-learn draws them (the same Fisher-Yates walk over a features array that
 * persists from node to node, with scikit-learn's generator), and candidate splits are compared by the very
 * expression scikit-learn computes, so that among equally good splits the same one wins and a tree fitted
 * with the same random_state is scikit-learn's tree.
 *
 * Bootstrap samples come in as integer weights (as scikit-learn's forests do), so min_samples_* count
 * distinct samples while impurities count weight. The split scans keep running sums that stay exact with
 * integer weights.
 */
import type { RandInt } from "./numpy-random.js";
import type { SortedFeatures } from "./sorted-features.js";
import { createTreeWriter } from "./tree-writer.js";
import type { Tree } from "./tree.js";

export type TreeTarget =
  | { readonly task: "classification"; readonly y: Int32Array; readonly classes: number }
  | { readonly task: "regression"; readonly y: Float64Array };

export type Criterion = "gini" | "entropy" | "squared_error";

export interface TreeGrowth {
  readonly criterion: Criterion;
  /** Infinity for no limit. */
  readonly maxDepth: number;
  /** Distinct samples a node needs to be split. */
  readonly minSamplesSplit: number;
  /** Distinct samples each child must keep. */
  readonly minSamplesLeaf: number;
  /** Non-constant features to examine per node (1..cols). */
  readonly maxFeatures: number;
}

export interface GrownTree {
  readonly tree: Tree;
  /** Total weighted impurity decrease per feature, not normalised. */
  readonly impurityDecrease: Float64Array;
}

const EPSILON = 2.220446049250313e-16;
/** scikit-learn's FEATURE_THRESHOLD: values closer than this are one value to the splitter. */
const FEATURE_THRESHOLD = 1e-7;
const INSERTION_SORT_MAX = 24;

function xlogx(c: number): number {
  return c > 0 ? c * Math.log(c) : 0;
}

const F32 = new Float32Array(1);
const F32_BITS = new Int32Array(F32.buffer);

/**
 * The split threshold between neighbouring float32 values low < high: the largest float32 not above their
 * midpoint. scikit-learn splits at the float64 midpoint and compares float32 inputs to it, which sends a float32
 * x left exactly when x <= this value, so predictions match scikit-learn's while ONNX's float32 thresholds
 * stay exact.
 */
export function float32Threshold(low: number, high: number): number {
  const mid = low / 2 + high / 2;
  if (mid === high || !Number.isFinite(mid)) return low;
  F32[0] = mid;
  if (F32[0] > mid) {
    if (F32[0] === 0) return -1.401298464324817e-45;
    F32_BITS[0] += F32[0] > 0 ? -1 : 1;
  }
  return F32[0];
}

/** Entropy of one side (scikit-learn's children_impurity): −Σ p ln p over its class weights / w. */
function entropyOf(leftCounts: Float64Array, totals: Float64Array, w: number, right: boolean): number {
  let result = 0;
  for (let k = 0; k < leftCounts.length; k++) {
    let count = right ? totals[k] - leftCounts[k] : leftCounts[k];
    if (count > 0) {
      count /= w;
      result -= count * Math.log(count);
    }
  }
  return result;
}

function sortKeys(keys: Int32Array, m: number): void {
  if (m > INSERTION_SORT_MAX) {
    keys.subarray(0, m).sort();
    return;
  }
  for (let a = 1; a < m; a++) {
    const key = keys[a];
    let b = a - 1;
    while (b >= 0 && keys[b] > key) {
      keys[b + 1] = keys[b];
      b--;
    }
    keys[b + 1] = key;
  }
}

/**
 * Grows one tree on the samples with weight > 0. Leaves hold class probabilities (classification) or the
 * weighted mean (regression).
 */
export function growTree(data: SortedFeatures, target: TreeTarget, growth: TreeGrowth, weights: Float64Array, randInt: RandInt): GrownTree {
  const n = data.rows;
  const cols = data.cols;
  const { values, rankOf, sampleAtRank, valueAtRank } = data;
  const classification = target.task === "classification";
  const K = classification ? target.classes : 1;
  const yClass = classification ? target.y : new Int32Array(0);
  const yValue = classification ? new Float64Array(0) : target.y;
  const entropy = growth.criterion === "entropy";
  const { maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures } = growth;

  const samples = new Int32Array(n);
  let rootCount = 0;
  for (let i = 0; i < n; i++) if (weights[i] > 0) samples[rootCount++] = i;
  const keys = new Int32Array(rootCount);
  const features = new Int32Array(cols);
  for (let f = 0; f < cols; f++) features[f] = f;
  const constantFeatures = new Int32Array(cols);
  const totals = new Float64Array(K);
  const leftCounts = new Float64Array(K);
  const impurityDecrease = new Float64Array(cols);
  const writer = createTreeWriter(K);

  // Stack of pending nodes: start, end, depth, parent (-1 for the root), 1 when it is the left child, and
  // the number of features known to be constant there.
  let stack = new Int32Array(6 * 64);
  let top = 0;
  const push = (start: number, end: number, depth: number, parent: number, isLeft: number, constants: number): void => {
    if (top + 6 > stack.length) {
      const grown = new Int32Array(stack.length * 2);
      grown.set(stack);
      stack = grown;
    }
    stack[top++] = start;
    stack[top++] = end;
    stack[top++] = depth;
    stack[top++] = parent;
    stack[top++] = isLeft;
    stack[top++] = constants;
  };
  if (rootCount > 0) push(0, rootCount, 0, -1, 0, 0);
  let totalConstants = 0;

  let bestFeature = -1;
  let bestLow = 0;
  let bestHigh = 0;

  /**
   * Best split of samples[start, end) into bestFeature / bestLow / bestHigh; false when there is none. Sets
   * totalConstants to the features known constant for the children. BestSplitter.node_split's loop: the
   * features array holds [drawn known constants | undrawn known constants | newly found constants |
   * undrawn features | drawn non-constant features].
   */
  const findSplit = (start: number, end: number, wTotal: number, sTotal: number, baseScore: number, knownConstants: number): boolean => {
    const m = end - start;
    let bestProxy = -Infinity;
    bestFeature = -1;
    let fI = cols;
    let visited = 0;
    let foundConstants = 0;
    let drawnConstants = 0;
    let total = knownConstants;
    while (fI > total && (visited < maxFeatures || visited <= foundConstants + drawnConstants)) {
      visited++;
      let fJ = randInt(drawnConstants, fI - foundConstants);
      if (fJ < knownConstants) {
        const swap = features[drawnConstants];
        features[drawnConstants] = features[fJ];
        features[fJ] = swap;
        drawnConstants++;
        continue;
      }
      fJ += foundConstants;
      const f = features[fJ];
      const fo = f * n;
      for (let p = start; p < end; p++) keys[p - start] = rankOf[fo + samples[p]];
      sortKeys(keys, m);
      let current = valueAtRank[fo + keys[0]];
      if (valueAtRank[fo + keys[m - 1]] <= current + FEATURE_THRESHOLD) {
        features[fJ] = features[total];
        features[total] = f;
        foundConstants++;
        total++;
        continue;
      }
      fI--;
      features[fJ] = features[fI];
      features[fI] = f;
      let wLeft = 0;
      const lastPos = m - minSamplesLeaf;
      if (classification) {
        leftCounts.fill(0);
        // Σ count² on each side, exact with integer weights: gini's input.
        let sqLeft = 0;
        let sqRight = baseScore;
        for (let q = 0; q < m - 1; q++) {
          const i = sampleAtRank[fo + keys[q]];
          const k = yClass[i];
          const w = weights[i];
          const c = leftCounts[k];
          const cr = totals[k] - c;
          leftCounts[k] = c + w;
          wLeft += w;
          sqLeft += w * (2 * c + w);
          sqRight += w * (w - 2 * cr);
          const next = valueAtRank[fo + keys[q + 1]];
          const low = current;
          current = next;
          if (next <= low + FEATURE_THRESHOLD) continue;
          if (q + 1 < minSamplesLeaf || q + 1 > lastPos) continue;
          const wRight = wTotal - wLeft;
          // scikit-learn's proxy_impurity_improvement, −wR·impurityR − wL·impurityL, in its own arithmetic.
          const proxy = entropy
            ? -wRight * entropyOf(leftCounts, totals, wRight, true) - wLeft * entropyOf(leftCounts, totals, wLeft, false)
            : -wRight * (1 - sqRight / (wRight * wRight)) - wLeft * (1 - sqLeft / (wLeft * wLeft));
          if (proxy > bestProxy) {
            bestProxy = proxy;
            bestFeature = f;
            bestLow = low;
            bestHigh = next;
          }
        }
      } else {
        let sLeft = 0;
        for (let q = 0; q < m - 1; q++) {
          const i = sampleAtRank[fo + keys[q]];
          const w = weights[i];
          sLeft += w * yValue[i];
          wLeft += w;
          const next = valueAtRank[fo + keys[q + 1]];
          const low = current;
          current = next;
          if (next <= low + FEATURE_THRESHOLD) continue;
          if (q + 1 < minSamplesLeaf || q + 1 > lastPos) continue;
          const sRight = sTotal - sLeft;
          const proxy = (sLeft * sLeft) / wLeft + (sRight * sRight) / (wTotal - wLeft);
          if (proxy > bestProxy) {
            bestProxy = proxy;
            bestFeature = f;
            bestLow = low;
            bestHigh = next;
          }
        }
      }
    }
    // Keep the known constants in their order for siblings and children; record the new ones after them.
    for (let i = 0; i < knownConstants; i++) features[i] = constantFeatures[i];
    for (let i = knownConstants; i < knownConstants + foundConstants; i++) constantFeatures[i] = features[i];
    totalConstants = total;
    return bestFeature >= 0;
  };

  while (top > 0) {
    const knownConstants = stack[--top];
    const isLeft = stack[--top];
    const parent = stack[--top];
    const depth = stack[--top];
    const end = stack[--top];
    const start = stack[--top];
    const node = writer.add(parent, isLeft === 1);
    const value = writer.values();
    const vo = node * K;

    // Node statistics: weight, class weights or sum and sum of squares, impurity.
    let wTotal = 0;
    let sTotal = 0;
    let sqTotal = 0;
    let impurity: number;
    let baseScore = 0;
    if (classification) {
      totals.fill(0);
      for (let p = start; p < end; p++) {
        const i = samples[p];
        totals[yClass[i]] += weights[i];
      }
      for (let k = 0; k < K; k++) wTotal += totals[k];
      let sum = 0;
      let nats = 0;
      for (let k = 0; k < K; k++) {
        const p = totals[k] / wTotal;
        value[vo + k] = p;
        sum += totals[k] * totals[k];
        // -Σ p ln p per class rather than ln w - Σ c ln c / w, which leaves rounding noise in a pure node.
        nats -= xlogx(p);
      }
      baseScore = sum;
      impurity = entropy ? nats : 1 - sum / (wTotal * wTotal);
    } else {
      for (let p = start; p < end; p++) {
        const i = samples[p];
        const w = weights[i];
        const yi = yValue[i];
        wTotal += w;
        sTotal += w * yi;
        sqTotal += w * yi * yi;
      }
      const mean = sTotal / wTotal;
      value[vo] = mean;
      impurity = sqTotal / wTotal - mean * mean;
    }
    if (parent >= 0) impurityDecrease[writer.featureOf(parent)] -= wTotal * impurity;

    const m = end - start;
    const splittable = depth < maxDepth && m >= minSamplesSplit && m >= 2 * minSamplesLeaf && impurity > EPSILON;
    if (!splittable || !findSplit(start, end, wTotal, sTotal, baseScore, knownConstants)) continue;

    const threshold = float32Threshold(bestLow, bestHigh);
    const fo = bestFeature * n;
    let lo = start;
    let hi = end - 1;
    while (lo <= hi) {
      if (values[fo + samples[lo]] <= threshold) {
        lo++;
      } else {
        const swap = samples[lo];
        samples[lo] = samples[hi];
        samples[hi] = swap;
        hi--;
      }
    }
    writer.split(node, bestFeature, threshold);
    impurityDecrease[bestFeature] += wTotal * impurity;
    push(lo, end, depth + 1, node, 0, totalConstants);
    push(start, lo, depth + 1, node, 1, totalConstants);
  }
  return { tree: writer.finish(), impurityDecrease };
}
