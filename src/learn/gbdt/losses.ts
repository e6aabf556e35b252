/**
 * The boosting losses, as scikit-learn 1.2's HalfBinomialLoss, HalfMultinomialLoss and HalfSquaredError:
 * the baseline (the best constant raw prediction), per-sample gradients and hessians, and the mean loss.
 * Raw predictions are laid out class-major: class k of sample i at raw[k * n + i].
 */

export interface BoostingLoss {
  readonly name: "log_loss" | "squared_error";
  /** Trees per iteration: the number of classes for multiclass, else 1. */
  readonly treesPerIteration: number;
  /** The best constant raw prediction per tree slot, from the targets `y` (class index or value). */
  baseline(y: Float64Array): Float64Array;
  /**
   * Fills gradients and hessians (class-major like raw) at the raw predictions and returns the mean loss
   * there: one pass gives the training loss of one iteration and the gradients of the next.
   */
  gradients(y: Float64Array, raw: Float64Array, gradients: Float32Array, hessians: Float32Array): number;
  /** Mean loss over the samples. */
  loss(y: Float64Array, raw: Float64Array): number;
}

const EPSILON = 2.220446049250313e-16;

function clip(p: number): number {
  return Math.min(Math.max(p, EPSILON), 1 - EPSILON);
}

/** log(1 + exp(x)) - y x, the binomial loss of raw score x, without overflow. */
function binomialLoss(x: number, y: number): number {
  return (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))) - y * x;
}

export const BINARY_LOG_LOSS: BoostingLoss = {
  name: "log_loss",
  treesPerIteration: 1,
  baseline(y) {
    let positives = 0;
    for (let i = 0; i < y.length; i++) positives += y[i];
    const p = clip(positives / y.length);
    return Float64Array.of(Math.log(p / (1 - p)));
  },
  gradients(y, raw, gradients, hessians) {
    let total = 0;
    for (let i = 0; i < y.length; i++) {
      const x = raw[i];
      // One exp serves both the probability and the loss.
      const e = Math.exp(-Math.abs(x));
      const p = x >= 0 ? 1 / (1 + e) : e / (1 + e);
      gradients[i] = p - y[i];
      hessians[i] = p * (1 - p);
      total += Math.max(x, 0) + Math.log1p(e) - y[i] * x;
    }
    return total / y.length;
  },
  loss(y, raw) {
    let total = 0;
    for (let i = 0; i < y.length; i++) total += binomialLoss(raw[i], y[i]);
    return total / y.length;
  },
};

/** Softmax of sample i's raw scores into `p`; returns log-sum-exp of the scores. */
function softmax(raw: Float64Array, n: number, i: number, k: number, p: Float64Array): number {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, raw[c * n + i]);
  let sum = 0;
  for (let c = 0; c < k; c++) sum += p[c] = Math.exp(raw[c * n + i] - max);
  for (let c = 0; c < k; c++) p[c] /= sum;
  return max + Math.log(sum);
}

export function multinomialLogLoss(classCount: number): BoostingLoss {
  const p = new Float64Array(classCount);
  return {
    name: "log_loss",
    treesPerIteration: classCount,
    baseline(y) {
      const counts = new Float64Array(classCount);
      for (let i = 0; i < y.length; i++) counts[y[i]]++;
      // The symmetric multinomial logit: log-priors centred on their mean.
      const logs = counts.map((c) => Math.log(clip(c / y.length)));
      let mean = 0;
      for (const v of logs) mean += v;
      mean /= classCount;
      return logs.map((v) => v - mean);
    },
    gradients(y, raw, gradients, hessians) {
      const n = y.length;
      let total = 0;
      for (let i = 0; i < n; i++) {
        total += softmax(raw, n, i, classCount, p) - raw[y[i] * n + i];
        for (let c = 0; c < classCount; c++) {
          gradients[c * n + i] = p[c] - (y[i] === c ? 1 : 0);
          hessians[c * n + i] = p[c] * (1 - p[c]);
        }
      }
      return total / n;
    },
    loss(y, raw) {
      const n = y.length;
      let total = 0;
      for (let i = 0; i < n; i++) total += softmax(raw, n, i, classCount, p) - raw[y[i] * n + i];
      return total / n;
    },
  };
}

/** Half the squared error; its hessian is 1 everywhere, so histograms' hessian sums count samples. */
export const SQUARED_ERROR: BoostingLoss = {
  name: "squared_error",
  treesPerIteration: 1,
  baseline(y) {
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += y[i];
    return Float64Array.of(sum / y.length);
  },
  gradients(y, raw, gradients, hessians) {
    let total = 0;
    for (let i = 0; i < y.length; i++) {
      const d = raw[i] - y[i];
      gradients[i] = d;
      hessians[i] = 1;
      total += 0.5 * d * d;
    }
    return total / y.length;
  },
  loss(y, raw) {
    let total = 0;
    for (let i = 0; i < y.length; i++) total += 0.5 * (raw[i] - y[i]) ** 2;
    return total / y.length;
  },
};
