/**
 * Growable node arrays for a tree under construction; `finish` trims them into a Tree.
 */
import type { Tree } from "./tree.js";

export interface TreeWriter {
  /** Appends a leaf under `parent` (-1 for the root) and returns its index. */
  add(parent: number, isLeft: boolean): number;
  /** The node value array (nodes × outputs); fetch it again after `add`, which may grow it. */
  values(): Float64Array;
  /** Turns `node` into a split on `feature` at the float32-exact `threshold`. */
  split(node: number, feature: number, threshold: number): void;
  featureOf(node: number): number;
  finish(): Tree;
}

export function createTreeWriter(outputs: number): TreeWriter {
  let capacity = 64;
  let count = 0;
  let feature = new Int32Array(capacity);
  let threshold = new Float64Array(capacity);
  let left = new Int32Array(capacity);
  let right = new Int32Array(capacity);
  let value = new Float64Array(capacity * outputs);
  const grow = (): void => {
    capacity *= 2;
    const f = new Int32Array(capacity);
    f.set(feature);
    feature = f;
    const t = new Float64Array(capacity);
    t.set(threshold);
    threshold = t;
    const l = new Int32Array(capacity);
    l.set(left);
    left = l;
    const r = new Int32Array(capacity);
    r.set(right);
    right = r;
    const v = new Float64Array(capacity * outputs);
    v.set(value);
    value = v;
  };
  return {
    add(parent, isLeft) {
      if (count === capacity) grow();
      const node = count++;
      feature[node] = -1;
      left[node] = -1;
      right[node] = -1;
      if (parent >= 0) {
        if (isLeft) left[parent] = node;
        else right[parent] = node;
      }
      return node;
    },
    values: () => value,
    split(node, f, t) {
      feature[node] = f;
      threshold[node] = t;
    },
    featureOf: (node) => feature[node],
    finish() {
      const missingGoesLeft = new Uint8Array(count);
      for (let i = 0; i < count; i++) missingGoesLeft[i] = feature[i] >= 0 ? 1 : 0;
      return {
        feature: feature.slice(0, count),
        threshold: threshold.slice(0, count),
        left: left.slice(0, count),
        right: right.slice(0, count),
        missingGoesLeft,
        value: value.slice(0, count * outputs),
        outputs,
      };
    },
  };
}
