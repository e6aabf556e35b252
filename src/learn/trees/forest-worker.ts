/**
 * Worker thread entry: grows the forest trees whose indices the main thread sends, on the training data it
 * shares through SharedArrayBuffers, and sends each tree back with its arrays transferred, not copied.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { TreeTarget } from "./build-tree.js";
import type { ForestSpec } from "./forest-tree.js";
import { growForestTree } from "./forest-tree.js";
import type { SortedFeatures } from "./sorted-features.js";

export interface ForestWorkerData {
  readonly data: SortedFeatures;
  readonly target: TreeTarget;
  readonly spec: ForestSpec;
}

export interface ForestWorkerResult {
  readonly index: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly missingGoesLeft: Uint8Array;
  readonly value: Float64Array;
  readonly outputs: number;
  readonly impurityDecrease: Float64Array;
}

const port = parentPort;
if (port) {
  const { data, target, spec } = workerData as ForestWorkerData;
  const weights = new Float64Array(data.rows);
  port.on("message", (index: number) => {
    const { tree, impurityDecrease } = growForestTree(data, target, spec, index, weights);
    const result: ForestWorkerResult = { index, ...tree, impurityDecrease };
    const arrays = [tree.feature, tree.threshold, tree.left, tree.right, tree.missingGoesLeft, tree.value, impurityDecrease];
    // The tree writer's arrays are fresh slices, each with a plain ArrayBuffer of its own.
    port.postMessage(result, arrays.map((a) => a.buffer as ArrayBuffer));
  });
}
