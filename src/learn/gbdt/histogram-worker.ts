/**
 * A worker thread that sums the second half of every node's samples while the main thread sums the first,
 * and partitions the second half of large nodes when they split, in place of scikit-learn's OpenMP threads.
 * Splitting by samples rather than by features shares the gathering of gradients as well as the adding. Both threads read the binned matrix, the partition and the
 * gradients from SharedArrayBuffers and synchronise through Atomics on a small control array: no message
 * per node, so a build costs microseconds of coordination.
 *
 * The worker runs the very functions of histogram.ts: their source is sent to it, which keeps one copy of
 * the kernel and needs no TypeScript loader in the worker.
 */
import { availableParallelism } from "node:os";
import { createSpinHandoff, SPIN_MS, startEvalWorker } from "../../core/spin-handoff.js";
import { accumulate, accumulateFeatures, accumulateIndexed, accumulatePair, accumulatePairIndexed, accumulateRange, accumulateRows, BLOCK, partitionRange, SLOTS } from "./histogram.js";
import type { HistogramWorker } from "./histogram.js";

/**
 * From this many (row × feature) values a fit sums histograms in two halves, with a worker for the second:
 * below it, starting a worker (~30 ms) costs more than it saves.
 */
export const PARALLEL_MIN_VALUES = 1_000_000;

// Slots of the control array.
const JOB = 0;
const DONE = 1;
const START = 2;
const STOP = 3;
const INDEXED = 4;
const EXIT = 5;
const FAILED = 6;
const GRADIENT_OFFSET = 7;
/** 0 for a histogram, 1 for a partition. */
const KIND = 8;
const COLUMN = 9;
const BIN = 10;
const MISSING_BIN = 11;
const MISSING_LEFT = 12;
const LEFT_COUNT = 13;
const CONTROL_SLOTS = 16;



export interface SharedHistogramInputs {
  readonly binned: Uint8Array;
  readonly binnedRows: Uint8Array | null;
  readonly rowCount: number;
  readonly featureCount: number;
  readonly binsPerFeature: number;
  readonly partition: Uint32Array;
  /** The partition's scratch, as long. */
  readonly scratch: Uint32Array;
  /** Every class's gradients and hessians, rowCount per class. */
  readonly gradients: Float32Array;
  readonly hessians: Float32Array;
  readonly orderedGradients: Float32Array;
  readonly orderedHessians: Float32Array;
}

interface WorkerData extends SharedHistogramInputs {
  readonly control: Int32Array;
  readonly output: Float64Array;
  readonly block: number;
  readonly spinMs: number;
}

interface Port {
  postMessage(value: unknown): void;
}

/**
 * The worker's loop, sent as source: it may use only its arguments (a transpiler may rename what a module
 * imports, so even the kernel comes in as `build`). A failure is flagged in the control array rather than
 * left to hang the main thread.
 */
function workerLoop(data: WorkerData, port: Port, build: typeof accumulateRange, split: typeof partitionRange): void {
  const { control, output, binned, binnedRows, rowCount, featureCount, binsPerFeature, partition, scratch, gradients, hessians, orderedGradients, orderedHessians, block, spinMs } = data;
  const featureSize = binsPerFeature * 3;
  let seen = 0;
  port.postMessage("ready");
  for (;;) {
    // Spin a little before sleeping, as OpenMP's threads do: the next node's build usually comes within a
    // fraction of a millisecond, and waking a sleeping thread can take longer than the build itself.
    const spinUntil = performance.now() + spinMs;
    while (Atomics.load(control, 0) === seen && performance.now() < spinUntil) for (let i = 0; i < 64; i++) Atomics.load(control, 0);
    Atomics.wait(control, 0, seen);
    seen = Atomics.load(control, 0);
    if (Atomics.load(control, 5) === 1) return;
    try {
      if (control[8] === 1) {
        control[13] = split(partition, scratch, binned, control[9], control[2], control[3], control[10], control[11], control[12]);
        Atomics.store(control, 1, seen);
        Atomics.notify(control, 1);
        continue;
      }
      const indices = control[4] === 1 ? partition : null;
      const offset = control[7];
      const g = gradients.subarray(offset, offset + rowCount);
      const h = hessians.subarray(offset, offset + rowCount);
      build(output, binned, binnedRows, rowCount, featureCount, featureSize, indices, control[2], control[3], g, h, orderedGradients, orderedHessians, block);
    } catch (error) {
      Atomics.store(control, 6, 1);
      port.postMessage(String(error));
    }
    Atomics.store(control, 1, seen);
    Atomics.notify(control, 1);
  }
}

function workerSource(): string {
  const kernels = [accumulatePair, accumulate, accumulatePairIndexed, accumulateIndexed, accumulateFeatures, accumulateRange, accumulateRows, partitionRange].map(String).join("\n");
  // `__name` guards against transpilers that tag functions with their names through a helper.
  return `"use strict";
const __name = (f) => f;
${kernels}
const { workerData, parentPort } = require("node:worker_threads");
(${String(workerLoop)})(workerData, parentPort, accumulateRange, partitionRange);
`;
}

export interface RunningHistogramWorker extends HistogramWorker {
  close(): Promise<void>;
}

/**
 * Starts a worker for histograms over `inputs` (whose arrays must live in SharedArrayBuffers), or returns
 * null when the machine has one core or the worker fails to start.
 */
export async function startHistogramWorker(inputs: SharedHistogramInputs): Promise<RunningHistogramWorker | null> {
  if (availableParallelism() < 2) return null;
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  const size = inputs.featureCount * inputs.binsPerFeature * SLOTS;
  const output = new Float64Array(new SharedArrayBuffer(size * 8));
  const data: WorkerData = { ...inputs, control, output, block: BLOCK, spinMs: SPIN_MS };
  const worker = await startEvalWorker(workerSource(), data);
  if (!worker) return null;
  const handoff = createSpinHandoff(worker, control, { job: JOB, done: DONE, exit: EXIT, failed: FAILED }, "the histogram worker thread");
  return {
    output,
    startPartition(start, stop, column, bin, missingBin, missingLeft) {
      control[KIND] = 1;
      control[START] = start;
      control[STOP] = stop;
      control[COLUMN] = column;
      control[BIN] = bin;
      control[MISSING_BIN] = missingBin;
      control[MISSING_LEFT] = missingLeft;
      handoff.start();
    },
    waitPartition() {
      handoff.wait();
      return control[LEFT_COUNT];
    },
    start(indexed, start, stop, gradientOffset) {
      control[KIND] = 0;
      control[START] = start;
      control[STOP] = stop;
      control[INDEXED] = indexed ? 1 : 0;
      control[GRADIENT_OFFSET] = gradientOffset;
      handoff.start();
    },
    wait: handoff.wait,
    close: handoff.close,
  };
}
