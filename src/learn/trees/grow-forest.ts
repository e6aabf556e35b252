/**
 * Grows a forest's trees, on the main thread for one job or in worker threads for more. Workers take tree
 * indices one at a time (so a slow tree does not hold others back) and results are placed by index, which
 * with per-tree seeds makes the forest identical whatever the number of workers.
 */
import { Worker } from "node:worker_threads";
import { KeelError } from "../../core/errors.js";
import { startModuleWorker } from "../../core/module-worker.js";
import type { GrownTree, TreeTarget } from "./build-tree.js";
import type { ForestWorkerData, ForestWorkerResult } from "./forest-worker.js";
import type { ForestSpec } from "./forest-tree.js";
import { growForestTree } from "./forest-tree.js";
import type { SortedFeatures } from "./sorted-features.js";

export interface GrowForestOptions {
  readonly trees: number;
  readonly workers: number;
  readonly onTree?: (done: number) => void;
}

/** A copy of `target` whose labels live in a SharedArrayBuffer, for workers to read without copies. */
export function sharedTarget(target: TreeTarget): TreeTarget {
  if (target.task === "classification") {
    const y = new Int32Array(new SharedArrayBuffer(target.y.length * 4));
    y.set(target.y);
    return { task: "classification", y, classes: target.classes };
  }
  const y = new Float64Array(new SharedArrayBuffer(target.y.length * 8));
  y.set(target.y);
  return { task: "regression", y };
}

async function growOnMainThread(data: SortedFeatures, target: TreeTarget, spec: ForestSpec, options: GrowForestOptions): Promise<GrownTree[]> {
  const weights = new Float64Array(data.rows);
  const grown: GrownTree[] = [];
  for (let t = 0; t < options.trees; t++) {
    grown.push(growForestTree(data, target, spec, t, weights));
    options.onTree?.(t + 1);
    // Let timers and progress output run between trees.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return grown;
}

function startWorker(workerData: ForestWorkerData): Worker {
  return startModuleWorker("forest-worker", import.meta.url, workerData);
}

function growInWorkers(data: SortedFeatures, target: TreeTarget, spec: ForestSpec, options: GrowForestOptions): Promise<GrownTree[]> {
  const workerData: ForestWorkerData = { data, target, spec };
  const grown = new Array<GrownTree>(options.trees);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  return new Promise<GrownTree[]>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else resolve(grown);
    };
    for (let w = 0; w < options.workers; w++) {
      const worker = startWorker(workerData);
      workers.push(worker);
      worker.on("message", (result: ForestWorkerResult) => {
        const { index, impurityDecrease, ...tree } = result;
        grown[index] = { tree, impurityDecrease };
        done++;
        options.onTree?.(done);
        if (done === options.trees) finish();
        else if (next < options.trees) worker.postMessage(next++);
      });
      worker.on("error", (error) => finish(new KeelError("INTERNAL_ERROR", `a random forest worker failed: ${error.message}`, { cause: error })));
      worker.on("exit", (code) => {
        if (code !== 0) finish(new KeelError("INTERNAL_ERROR", `a random forest worker exited with code ${code} before the forest was grown`));
      });
      if (next < options.trees) worker.postMessage(next++);
    }
  });
}

/** Grows `options.trees` trees; `data` and `target` must be SharedArrayBuffer-backed when workers > 1. */
export function growForest(data: SortedFeatures, target: TreeTarget, spec: ForestSpec, options: GrowForestOptions): Promise<GrownTree[]> {
  return options.workers <= 1 ? growOnMainThread(data, target, spec, options) : growInWorkers(data, target, spec, options);
}
