/**
 * A worker thread that builds half of every histogram (the upper features) while the main thread builds
 * the other half, in place of scikit-learn's OpenMP threads. Both threads read the binned matrix, the
 * partition and the ordered gradients from SharedArrayBuffers and synchronise through Atomics on a small
 * control array: no message per node, so a build costs microseconds of coordination. Each feature's sums
 * are computed as on one thread, so the model is the same bit for bit with or without the worker.
 *
 * The worker runs the very functions of histogram.ts: their source is sent to it, which keeps one copy of
 * the kernel and needs no TypeScript loader in the worker.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { KeelError } from "../../core/errors.js";
import { accumulate, accumulateFeatures, accumulateIndexed, accumulatePair, accumulatePairIndexed, BLOCK, SLOTS } from "./histogram.js";
import type { HistogramWorker } from "./histogram.js";

/** Below this many (row × feature) values a fit stays on one thread: starting a worker costs ~30 ms. */
export const PARALLEL_MIN_VALUES = 1_000_000;

// Slots of the control array.
const JOB = 0;
const DONE = 1;
const START = 2;
const COUNT = 3;
const INDEXED = 4;
const EXIT = 5;
const FAILED = 6;

/** How long the main thread waits for one build before deciding the worker is gone. */
const WAIT_LIMIT_MS = 120_000;

export interface SharedHistogramInputs {
  readonly binned: Uint8Array;
  readonly rowCount: number;
  readonly featureCount: number;
  readonly binsPerFeature: number;
  readonly partition: Uint32Array;
  readonly orderedGradients: Float32Array;
  readonly orderedHessians: Float32Array;
}

interface WorkerData extends SharedHistogramInputs {
  readonly control: Int32Array;
  readonly output: Float64Array;
  readonly firstFeature: number;
  readonly block: number;
}

interface Port {
  postMessage(value: unknown): void;
}

/**
 * The worker's loop, sent as source: it may use only its arguments (a transpiler may rename what a module
 * imports, so even the kernel comes in as `build`). A failure is flagged in the control array rather than
 * left to hang the main thread.
 */
function workerLoop(data: WorkerData, port: Port, build: typeof accumulateFeatures): void {
  const { control, output, binned, rowCount, featureCount, binsPerFeature, partition, orderedGradients, orderedHessians, firstFeature, block } = data;
  const featureSize = binsPerFeature * 3;
  let seen = 0;
  port.postMessage("ready");
  for (;;) {
    Atomics.wait(control, 0, seen);
    seen = Atomics.load(control, 0);
    if (Atomics.load(control, 5) === 1) return;
    try {
      const indices = control[4] === 1 ? partition : null;
      output.fill(0, firstFeature * featureSize, featureCount * featureSize);
      build(output, binned, rowCount, featureSize, indices, control[2], orderedGradients, orderedHessians, control[3], firstFeature, featureCount, block);
    } catch (error) {
      Atomics.store(control, 6, 1);
      port.postMessage(String(error));
    }
    Atomics.store(control, 1, seen);
    Atomics.notify(control, 1);
  }
}

function workerSource(): string {
  const kernels = [accumulatePair, accumulate, accumulatePairIndexed, accumulateIndexed, accumulateFeatures].map(String).join("\n");
  // `__name` guards against transpilers that tag functions with their names through a helper.
  return `"use strict";
const __name = (f) => f;
${kernels}
const { workerData, parentPort } = require("node:worker_threads");
(${String(workerLoop)})(workerData, parentPort, accumulateFeatures);
`;
}

export interface RunningHistogramWorker extends HistogramWorker {
  close(): Promise<void>;
}

/**
 * Starts a worker for histograms over `inputs` (whose arrays must live in SharedArrayBuffers), or returns
 * null when the machine has one core, the data has fewer than `minValues` values (rows × features), or the
 * worker fails to start.
 */
export async function startHistogramWorker(inputs: SharedHistogramInputs, minValues = PARALLEL_MIN_VALUES): Promise<RunningHistogramWorker | null> {
  if (availableParallelism() < 2 || inputs.featureCount < 2 || inputs.rowCount * inputs.featureCount < minValues) return null;
  const control = new Int32Array(new SharedArrayBuffer(8 * 4));
  const size = inputs.featureCount * inputs.binsPerFeature * SLOTS;
  const output = new Float64Array(new SharedArrayBuffer(size * 8));
  const firstFeature = Math.ceil(inputs.featureCount / 2);
  const data: WorkerData = { ...inputs, control, output, firstFeature, block: BLOCK };
  const worker = new Worker(workerSource(), { eval: true, workerData: data });
  const ready = await new Promise<boolean>((resolve) => {
    worker.once("message", () => resolve(true));
    worker.once("error", () => resolve(false));
    worker.once("exit", () => resolve(false));
  });
  if (!ready) {
    await worker.terminate();
    return null;
  }
  worker.unref();
  let job = 0;
  return {
    firstFeature,
    output,
    start(indexed, start, count) {
      control[START] = start;
      control[COUNT] = count;
      control[INDEXED] = indexed ? 1 : 0;
      job++;
      Atomics.store(control, JOB, job);
      Atomics.notify(control, JOB);
    },
    wait() {
      const deadline = Date.now() + WAIT_LIMIT_MS;
      while (Atomics.load(control, DONE) !== job) {
        Atomics.wait(control, DONE, Atomics.load(control, DONE), 1000);
        if (Date.now() > deadline) throw new KeelError("INTERNAL_ERROR", "the histogram worker thread stopped answering; retry the fit");
      }
      if (Atomics.load(control, FAILED) === 1) throw new KeelError("INTERNAL_ERROR", "the histogram worker thread failed; retry the fit");
    },
    async close() {
      Atomics.store(control, EXIT, 1);
      Atomics.store(control, JOB, job + 1);
      Atomics.notify(control, JOB);
      await worker.terminate();
    },
  };
}
