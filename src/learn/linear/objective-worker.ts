/**
 * A worker thread that evaluates the logistic loss and gradient over the second half of the rows while the
 * main thread does the first, in place of the threaded BLAS scikit-learn's solver leans on. The rows, labels,
 * weights and the worker's gradient live in SharedArrayBuffers; each evaluation is one Atomics hand-off
 * (spinning briefly, as OpenMP threads do, because evaluations follow each other within milliseconds).
 *
 * The worker runs the very loss functions of logistic-loss.ts: their source is sent to it.
 */
import { availableParallelism } from "node:os";
import { createSpinHandoff, SPIN_MS, startEvalWorker } from "../../core/spin-handoff.js";

/** Slots of the control array. */
const JOB = 0;
const DONE = 1;
const EXIT = 2;
const FAILED = 3;

export interface HalfInputs {
  /** Row-major rows of the second half, `rows × cols`, in a SharedArrayBuffer. */
  readonly data: Float64Array;
  readonly y: Int32Array;
  readonly rows: number;
  readonly cols: number;
  readonly modelRows: number;
  readonly fitIntercept: boolean;
}

export interface ObjectiveWorker {
  /** The weights the next evaluation reads: write them before `start`. */
  readonly weights: Float64Array;
  /** The second half's gradient, valid after `wait`. */
  readonly gradient: Float64Array;
  start(): void;
  /** Blocks until the evaluation is done; returns the second half's summed loss. */
  wait(): number;
  close(): Promise<void>;
}

interface WorkerData extends HalfInputs {
  readonly control: Int32Array;
  readonly weights: Float64Array;
  readonly gradient: Float64Array;
  readonly residuals: Float64Array;
  readonly loss: Float64Array;
  readonly spinMs: number;
}

type Kernels = {
  binary: (problem: unknown, w: Float64Array, grad: Float64Array) => number;
  multinomialLoss: (problem: unknown, w: Float64Array, residuals: Float64Array) => number;
  multinomialGradient: (problem: unknown, residuals: Float64Array, grad: Float64Array) => void;
};

/** The worker's loop, sent as source; it uses only its arguments. */
function workerLoop(data: WorkerData, port: { postMessage(value: unknown): void }, kernels: Kernels): void {
  const { control, weights, gradient, residuals, loss, spinMs } = data;
  const problem = { x: { rows: data.rows, cols: data.cols, data: data.data }, y: data.y, modelRows: data.modelRows, fitIntercept: data.fitIntercept, l2: 0 };
  let seen = 0;
  port.postMessage("ready");
  for (;;) {
    const spinUntil = performance.now() + spinMs;
    while (Atomics.load(control, 0) === seen && performance.now() < spinUntil);
    Atomics.wait(control, 0, seen);
    seen = Atomics.load(control, 0);
    if (Atomics.load(control, 2) === 1) return;
    try {
      if (data.modelRows === 1) {
        loss[0] = kernels.binary(problem, weights, gradient);
      } else {
        loss[0] = kernels.multinomialLoss(problem, weights, residuals);
        kernels.multinomialGradient(problem, residuals, gradient);
      }
    } catch (error) {
      Atomics.store(control, 3, 1);
      port.postMessage(String(error));
    }
    Atomics.store(control, 1, seen);
    Atomics.notify(control, 1);
  }
}

/**
 * Starts a worker over `inputs` (SharedArrayBuffer-backed), running `kernels`, whose source is sent along
 * with that of the `helpers` they call. Null on a one-core machine or if it fails to start.
 */
export async function startObjectiveWorker(inputs: HalfInputs, helpers: readonly ((...args: never[]) => unknown)[], kernels: Readonly<Record<keyof Kernels, (...args: never[]) => unknown>>): Promise<ObjectiveWorker | null> {
  if (availableParallelism() < 2) return null;
  const parameters = inputs.modelRows * (inputs.cols + (inputs.fitIntercept ? 1 : 0));
  const shared = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8));
  const control = new Int32Array(new SharedArrayBuffer(8 * 4));
  const data: WorkerData = {
    ...inputs,
    control,
    weights: shared(parameters),
    gradient: shared(parameters),
    residuals: shared(inputs.modelRows > 1 ? inputs.rows * inputs.modelRows : 0),
    loss: shared(1),
    spinMs: SPIN_MS,
  };
  // A function is referred to by the name in its own source: a bundler may have renamed it.
  const nameOf = (fn: (...args: never[]) => unknown): string => /^function\s+([\w$]+)/.exec(String(fn))?.[1] ?? fn.name;
  const source = `"use strict";
const __name = (f) => f;
${[...helpers, ...Object.values(kernels)].map(String).join("\n")}
const { workerData, parentPort } = require("node:worker_threads");
(${String(workerLoop)})(workerData, parentPort, { binary: ${nameOf(kernels.binary)}, multinomialLoss: ${nameOf(kernels.multinomialLoss)}, multinomialGradient: ${nameOf(kernels.multinomialGradient)} });
`;
  const worker = await startEvalWorker(source, data);
  if (!worker) return null;
  const handoff = createSpinHandoff(worker, control, { job: JOB, done: DONE, exit: EXIT, failed: FAILED }, "the logistic-regression worker thread");
  return {
    weights: data.weights,
    gradient: data.gradient,
    start: handoff.start,
    wait() {
      handoff.wait();
      return data.loss[0];
    },
    close: handoff.close,
  };
}
