/**
 * The objective scikit-learn 1.2's lbfgs solver minimises for LogisticRegression: the summed log loss over
 * the rows plus 0.5 · l2 · ||W||² (intercepts unpenalised), with l2 = 1/C. Parameters are laid out one model
 * row after another, each `cols` weights then (with an intercept) the intercept:
 * binary → 1 row (the positive class's logit), multinomial → one row per class (softmax logits).
 *
 * These loops are the whole cost of training, so they run straight over the row-major Float64Array with no
 * allocation per row or per call.
 */
import type { Matrix } from "../types.js";
import type { Objective } from "./lbfgs.js";
import { startObjectiveWorker } from "./objective-worker.js";

export interface LogisticProblem {
  readonly x: Matrix;
  /** Class index per row. */
  readonly y: Int32Array;
  /** 1 for the binary logistic, the class count for the multinomial. */
  readonly modelRows: number;
  readonly fitIntercept: boolean;
  /** Penalty strength 1/C, or 0 without a penalty. */
  readonly l2: number;
}

export interface LogisticObjective {
  readonly objective: Objective;
  /** Mean log loss (without the penalty) at the last evaluated point. */
  lastMeanLogLoss(): number;
}

function addPenalty(problem: LogisticProblem, w: Float64Array, grad: Float64Array): number {
  if (problem.l2 === 0) return 0;
  const p = problem.x.cols;
  const stride = p + (problem.fitIntercept ? 1 : 0);
  let norm = 0;
  for (let k = 0; k < problem.modelRows; k++) {
    for (let j = k * stride, end = j + p; j < end; j++) {
      const v = w[j];
      norm += v * v;
      grad[j] += problem.l2 * v;
    }
  }
  return 0.5 * problem.l2 * norm;
}

/**
 * The multinomial's gradient from its residuals: grad[c, :p] = Σᵢ r[i, c] · xᵢ, and grad[c, p] = Σᵢ r[i, c] with
 * an intercept. Four rows at a time: each gradient entry is loaded and stored once per four rows instead of once per row,
 * which is what bounds this loop (about 3× faster on V8 than the row-at-a-time form).
 */
function multinomialGradient(problem: LogisticProblem, residuals: Float64Array, grad: Float64Array): void {
  const { rows: n, cols: p, data } = problem.x;
  const k = problem.modelRows;
  const fitIntercept = problem.fitIntercept;
  const stride = p + (fitIntercept ? 1 : 0);
  grad.fill(0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * p;
    const o1 = o0 + p;
    const o2 = o1 + p;
    const o3 = o2 + p;
    for (let c = 0, base = 0; c < k; c++, base += stride) {
      const r0 = residuals[i * k + c];
      const r1 = residuals[(i + 1) * k + c];
      const r2 = residuals[(i + 2) * k + c];
      const r3 = residuals[(i + 3) * k + c];
      for (let j = 0; j < p; j++) {
        grad[base + j] += r0 * data[o0 + j] + r1 * data[o1 + j] + r2 * data[o2 + j] + r3 * data[o3 + j];
      }
      if (fitIntercept) grad[base + p] += r0 + r1 + r2 + r3;
    }
  }
  for (; i < n; i++) {
    const off = i * p;
    for (let c = 0, base = 0; c < k; c++, base += stride) {
      const r = residuals[i * k + c];
      for (let j = 0; j < p; j++) grad[base + j] += r * data[off + j];
      if (fitIntercept) grad[base + p] += r;
    }
  }
}

/** log(1 + e^z) given e = e^-|z|, without overflow. */
function softplus(z: number, e: number): number {
  return Math.log1p(e) + (z > 0 ? z : 0);
}

/** σ(z) given e = e^-|z|. */
function sigmoid(z: number, e: number): number {
  return (z > 0 ? 1 : e) / (1 + e);
}

/**
 * Summed binary log loss, writing the gradient. One pass, four rows at a time: the four scores share each
 * weight load, and the rows are still in cache when their residuals go into the gradient (a separate
 * gradient pass would stream the whole matrix from memory a second time).
 */
function binaryLossGradient(problem: LogisticProblem, w: Float64Array, grad: Float64Array): number {
  const { rows: n, cols: p, data } = problem.x;
  const y = problem.y;
  const b = problem.fitIntercept ? w[p] : 0;
  grad.fill(0);
  let loss = 0;
  let gradB = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * p;
    const o1 = o0 + p;
    const o2 = o1 + p;
    const o3 = o2 + p;
    let z0 = b;
    let z1 = b;
    let z2 = b;
    let z3 = b;
    for (let j = 0; j < p; j++) {
      const wj = w[j];
      z0 += data[o0 + j] * wj;
      z1 += data[o1 + j] * wj;
      z2 += data[o2 + j] * wj;
      z3 += data[o3 + j] * wj;
    }
    const y0 = y[i];
    const y1 = y[i + 1];
    const y2 = y[i + 2];
    const y3 = y[i + 3];
    const e0 = Math.exp(-Math.abs(z0));
    const e1 = Math.exp(-Math.abs(z1));
    const e2 = Math.exp(-Math.abs(z2));
    const e3 = Math.exp(-Math.abs(z3));
    loss += softplus(z0, e0) + softplus(z1, e1) + softplus(z2, e2) + softplus(z3, e3) - (y0 * z0 + y1 * z1 + y2 * z2 + y3 * z3);
    const r0 = sigmoid(z0, e0) - y0;
    const r1 = sigmoid(z1, e1) - y1;
    const r2 = sigmoid(z2, e2) - y2;
    const r3 = sigmoid(z3, e3) - y3;
    for (let j = 0; j < p; j++) {
      grad[j] += r0 * data[o0 + j] + r1 * data[o1 + j] + r2 * data[o2 + j] + r3 * data[o3 + j];
    }
    gradB += r0 + r1 + r2 + r3;
  }
  for (; i < n; i++) {
    const o = i * p;
    let z = b;
    for (let j = 0; j < p; j++) z += data[o + j] * w[j];
    const yi = y[i];
    const e = Math.exp(-Math.abs(z));
    loss += softplus(z, e) - yi * z;
    const r = sigmoid(z, e) - yi;
    for (let j = 0; j < p; j++) grad[j] += r * data[o + j];
    gradB += r;
  }
  if (problem.fitIntercept) grad[p] = gradB;
  return loss;
}

/** Summed multinomial log loss; writes each row's residuals softmax(z) - onehot(y). */
function multinomialLoss(problem: LogisticProblem, w: Float64Array, residuals: Float64Array): number {
  const { rows: n, cols: p, data } = problem.x;
  const y = problem.y;
  const k = problem.modelRows;
  const fitIntercept = problem.fitIntercept;
  const stride = p + (fitIntercept ? 1 : 0);
  let loss = 0;
  for (let i = 0, off = 0, ro = 0; i < n; i++, off += p, ro += k) {
    let max = -Infinity;
    for (let c = 0, base = 0; c < k; c++, base += stride) {
      let z = fitIntercept ? w[base + p] : 0;
      for (let j = 0; j < p; j++) z += data[off + j] * w[base + j];
      residuals[ro + c] = z;
      if (z > max) max = z;
    }
    const yi = y[i];
    const trueScore = residuals[ro + yi];
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(residuals[ro + c] - max);
      residuals[ro + c] = e;
      sum += e;
    }
    loss += max + Math.log(sum) - trueScore;
    const inv = 1 / sum;
    for (let c = 0; c < k; c++) residuals[ro + c] *= inv;
    residuals[ro + yi] -= 1;
  }
  return loss;
}

export function logisticObjective(problem: LogisticProblem): LogisticObjective {
  // The multinomial's residuals, one per row and class, reused by every evaluation.
  const residuals = new Float64Array(problem.modelRows > 1 ? problem.x.rows * problem.modelRows : 0);
  let meanLogLoss = NaN;
  const objective: Objective = (w, grad) => {
    let loss: number;
    if (problem.modelRows === 1) {
      loss = binaryLossGradient(problem, w, grad);
    } else {
      loss = multinomialLoss(problem, w, residuals);
      multinomialGradient(problem, residuals, grad);
    }
    meanLogLoss = loss / Math.max(problem.x.rows, 1);
    return loss + addPenalty(problem, w, grad);
  };
  return { objective, lastMeanLogLoss: () => meanLogLoss };
}

/** From this many values (rows × features) the objective is evaluated in two halves, the second on a worker. */
export const PARALLEL_MIN_VALUES = 1_000_000;

export interface ParallelObjective extends LogisticObjective {
  /** Threads evaluating: 2 with a worker. */
  readonly threads: number;
  close(): Promise<void>;
}

/** The loss (and the gradient or residuals) of one block of rows, without the penalty. */
function evaluateRows(problem: LogisticProblem, w: Float64Array, grad: Float64Array, residuals: Float64Array): number {
  if (problem.modelRows === 1) return binaryLossGradient(problem, w, grad);
  const loss = multinomialLoss(problem, w, residuals);
  multinomialGradient(problem, residuals, grad);
  return loss;
}

/**
 * The objective of logisticObjective, evaluated on large data as two halves of the rows whose losses and
 * gradients are then added: the second half on a worker thread, or on this thread when there is none. The
 * halves are the same either way, so the fit does not depend on the number of cores.
 */
export async function parallelLogisticObjective(problem: LogisticProblem, options: { readonly parallelMinValues?: number; readonly useWorker?: boolean } = {}): Promise<ParallelObjective> {
  const { rows: n, cols: p } = problem.x;
  if (n < 2 || n * p < (options.parallelMinValues ?? PARALLEL_MIN_VALUES)) return { ...logisticObjective(problem), threads: 1, close: async () => {} };
  const k = problem.modelRows;
  const middle = n >> 1;
  const secondRows = n - middle;
  const data = new Float64Array(new SharedArrayBuffer(secondRows * p * 8));
  data.set(problem.x.data.subarray(middle * p, n * p));
  const y = new Int32Array(new SharedArrayBuffer(secondRows * 4));
  y.set(problem.y.subarray(middle, n));
  const first: LogisticProblem = { ...problem, x: { rows: middle, cols: p, data: problem.x.data.subarray(0, middle * p) }, y: problem.y.subarray(0, middle), l2: 0 };
  const second: LogisticProblem = { ...problem, x: { rows: secondRows, cols: p, data }, y, l2: 0 };
  const worker = options.useWorker === false
    ? null
    : await startObjectiveWorker({ data, y, rows: secondRows, cols: p, modelRows: k, fitIntercept: problem.fitIntercept }, [softplus, sigmoid], {
        binary: binaryLossGradient,
        multinomialLoss,
        multinomialGradient,
      });
  const parameters = k * (p + (problem.fitIntercept ? 1 : 0));
  const residualsFirst = new Float64Array(k > 1 ? middle * k : 0);
  const residualsSecond = new Float64Array(k > 1 && !worker ? secondRows * k : 0);
  const secondGradient = worker ? worker.gradient : new Float64Array(parameters);
  let meanLogLoss = NaN;
  const objective: Objective = (w, grad) => {
    if (worker) {
      worker.weights.set(w);
      worker.start();
    }
    let loss = evaluateRows(first, w, grad, residualsFirst);
    loss += worker ? worker.wait() : evaluateRows(second, w, secondGradient, residualsSecond);
    for (let j = 0; j < parameters; j++) grad[j] += secondGradient[j];
    meanLogLoss = loss / n;
    return loss + addPenalty(problem, w, grad);
  };
  return { objective, lastMeanLogLoss: () => meanLogLoss, threads: worker ? 2 : 1, close: async () => worker?.close() };
}
