/**
 * Finds a node's best split from its histogram, as scikit-learn's Splitter does: for each feature, scan the
 * bins left to right with missing values sent right, and, when the feature has missing values, right to
 * left with them sent left; keep the split of highest gain (XGBoost's equation 7, with L2 regularisation)
 * among those leaving min_samples_leaf samples and min_hessian on each side.
 */
import { SLOTS } from "./histogram.js";

export interface SplitRules {
  readonly featureCount: number;
  readonly binsPerFeature: number;
  /** Bins used by non-missing values, per feature. */
  readonly binCounts: Int32Array;
  /** 1 where the training data has missing values in that feature. */
  readonly hasMissing: Uint8Array;
  readonly minSamplesLeaf: number;
  readonly minHessian: number;
  readonly l2: number;
}

export interface NodeStats {
  readonly count: number;
  readonly sumGradients: number;
  readonly sumHessians: number;
  /** The node's value -G/(H+λ), 0 at the root as in scikit-learn (it only shifts the root's gain). */
  readonly value: number;
}

export interface Split {
  /** Loss reduction; -1 when no split satisfies the constraints. */
  gain: number;
  feature: number;
  /** Samples with bin <= this go left. */
  bin: number;
  missingGoesLeft: boolean;
  sumGradientsLeft: number;
  sumHessiansLeft: number;
  countLeft: number;
}

export function emptySplit(): Split {
  return { gain: -1, feature: -1, bin: 0, missingGoesLeft: false, sumGradientsLeft: 0, sumHessiansLeft: 0, countLeft: 0 };
}

/** A node's value before shrinkage: -G / (H + λ), with scikit-learn's tiny guard against 0/0. */
export function nodeValue(sumGradients: number, sumHessians: number, l2: number): number {
  return -sumGradients / (sumHessians + l2 + 1e-15);
}

function splitGain(gl: number, hl: number, gr: number, hr: number, parentLoss: number, l2: number): number {
  return parentLoss - gl * nodeValue(gl, hl, l2) - gr * nodeValue(gr, hr, l2);
}

/** Writes into `best` the best split of a node whose histogram is `hist` (best.gain stays -1 if none). */
export function findBestSplit(hist: Float64Array, node: NodeStats, rules: SplitRules, best: Split): void {
  best.gain = -1;
  best.feature = -1;
  const parentLoss = node.sumGradients * node.value;
  const featureSize = rules.binsPerFeature * SLOTS;
  const { minSamplesLeaf, minHessian, l2 } = rules;
  const n = node.count;
  const sumG = node.sumGradients;
  const sumH = node.sumHessians;
  for (let f = 0; f < rules.featureCount; f++) {
    const base = f * featureSize;
    const binCount = rules.binCounts[f];
    const missing = rules.hasMissing[f];
    // Scikit-learn compares a feature's best gain with the best so far only after scanning it, with ">":
    // on equal gains the lower feature index wins.
    let featureGain = -1;
    let featureBin = 0;
    let featureMissingLeft = false;
    let featureGl = 0;
    let featureHl = 0;
    let featureNl = 0;
    // Left to right, missing values to the right; the last non-missing bin can go left only when missing
    // values exist to fill the right child.
    let gl = 0;
    let hl = 0;
    let nl = 0;
    const end = binCount - 1 + missing;
    for (let b = 0; b < end; b++) {
      const o = base + b * SLOTS;
      nl += hist[o + 2];
      hl += hist[o + 1];
      gl += hist[o];
      const nr = n - nl;
      const hr = sumH - hl;
      if (nl < minSamplesLeaf) continue;
      if (nr < minSamplesLeaf) break;
      if (hl < minHessian) continue;
      if (hr < minHessian) break;
      const gain = splitGain(gl, hl, sumG - gl, hr, parentLoss, l2);
      if (gain > featureGain && gain > 0) {
        featureGain = gain;
        featureBin = b;
        featureGl = gl;
        featureHl = hl;
        featureNl = nl;
      }
    }
    if (missing) {
      // Right to left, missing values to the left.
      let gr = 0;
      let hr = 0;
      let nr = 0;
      for (let b = binCount - 2; b >= 0; b--) {
        const o = base + (b + 1) * SLOTS;
        nr += hist[o + 2];
        hr += hist[o + 1];
        gr += hist[o];
        const nlr = n - nr;
        const hlr = sumH - hr;
        if (nr < minSamplesLeaf) continue;
        if (nlr < minSamplesLeaf) break;
        if (hr < minHessian) continue;
        if (hlr < minHessian) break;
        const glr = sumG - gr;
        const gain = splitGain(glr, hlr, gr, hr, parentLoss, l2);
        if (gain > featureGain && gain > 0) {
          featureGain = gain;
          featureBin = b;
          featureMissingLeft = true;
          featureGl = glr;
          featureHl = hlr;
          featureNl = nlr;
        }
      }
    }
    if (featureGain > best.gain) {
      best.gain = featureGain;
      best.feature = f;
      best.bin = featureBin;
      best.missingGoesLeft = featureMissingLeft;
      best.sumGradientsLeft = featureGl;
      best.sumHessiansLeft = featureHl;
      best.countLeft = featureNl;
    }
  }
}
