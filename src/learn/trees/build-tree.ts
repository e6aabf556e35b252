/**
 * CART growth, depth first as scikit-learn's DepthFirstTreeBuilder: best split by exhaustive search over the
 * sorted values of up to max_features randomly drawn non-constant features.
 *
 * Bootstrap samples come in as integer weights (as scikit-learn's forests do), so min_samples_* count
 * distinct samples while impurities count weight. The split scans keep running sums that stay exact with
 * integer weights, which also makes the choice between equally good splits deterministic: the first feature
 * drawn wins, then the lowest threshold.
 */
import type { Random } from "./random.js";
import { randomBelow } from "./random.js";
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
export function growTree(data: SortedFeatures, target: TreeTarget, growth: TreeGrowth, weights: Float64Array, random: Random): GrownTree {
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
  const totals = new Float64Array(K);
  const leftCounts = new Float64Array(K);
  const impurityDecrease = new Float64Array(cols);
  const writer = createTreeWriter(K);

  // Stack of pending nodes: start, end, depth, parent (-1 for the root), 1 when it is the left child.
  let stack = new Int32Array(5 * 64);
  let top = 0;
  const push = (start: number, end: number, depth: number, parent: number, isLeft: number): void => {
    if (top + 5 > stack.length) {
      const grown = new Int32Array(stack.length * 2);
      grown.set(stack);
      stack = grown;
    }
    stack[top++] = start;
    stack[top++] = end;
    stack[top++] = depth;
    stack[top++] = parent;
    stack[top++] = isLeft;
  };
  if (rootCount > 0) push(0, rootCount, 0, -1, 0);

  let bestFeature = -1;
  let bestLow = 0;
  let bestHigh = 0;

  /** Best split of samples[start, end) into bestFeature / bestLow / bestHigh; false when there is none. */
  const findSplit = (start: number, end: number, wTotal: number, sTotal: number, baseScore: number): boolean => {
    const m = end - start;
    let bestProxy = -Infinity;
    bestFeature = -1;
    let visited = 0;
    for (let j = 0; j < cols && visited < maxFeatures; j++) {
      const pick = j + randomBelow(random, cols - j);
      const f = features[pick];
      features[pick] = features[j];
      features[j] = f;
      const fo = f * n;
      for (let p = start; p < end; p++) keys[p - start] = rankOf[fo + samples[p]];
      sortKeys(keys, m);
      let current = valueAtRank[fo + keys[0]];
      if (current === valueAtRank[fo + keys[m - 1]]) continue;
      visited++;
      let wLeft = 0;
      const lastPos = m - minSamplesLeaf;
      if (classification) {
        leftCounts.fill(0);
        // gini proxy: Σ left² / wLeft + Σ right² / wRight; entropy: Σ c ln c on each side minus w ln w.
        let sqLeft = 0;
        let sqRight = baseScore;
        let eLeft = 0;
        let eRight = baseScore;
        for (let q = 0; q < m - 1; q++) {
          const i = sampleAtRank[fo + keys[q]];
          const k = yClass[i];
          const w = weights[i];
          const c = leftCounts[k];
          const cr = totals[k] - c;
          leftCounts[k] = c + w;
          wLeft += w;
          if (entropy) {
            eLeft += xlogx(c + w) - xlogx(c);
            eRight += xlogx(cr - w) - xlogx(cr);
          } else {
            sqLeft += w * (2 * c + w);
            sqRight += w * (w - 2 * cr);
          }
          const next = valueAtRank[fo + keys[q + 1]];
          if (next === current) continue;
          const low = current;
          current = next;
          if (q + 1 < minSamplesLeaf || q + 1 > lastPos) continue;
          const wRight = wTotal - wLeft;
          const proxy = entropy ? eLeft + eRight - xlogx(wLeft) - xlogx(wRight) : sqLeft / wLeft + sqRight / wRight;
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
          if (next === current) continue;
          const low = current;
          current = next;
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
    return bestFeature >= 0;
  };

  while (top > 0) {
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
        sum += entropy ? xlogx(totals[k]) : totals[k] * totals[k];
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
    if (!splittable || !findSplit(start, end, wTotal, sTotal, baseScore)) continue;

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
    push(lo, end, depth + 1, node, 0);
    push(start, lo, depth + 1, node, 1);
  }
  return { tree: writer.finish(), impurityDecrease };
}
