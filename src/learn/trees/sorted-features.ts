/**
 * Each feature sorted once per fit, so that a node's split search sorts small integer ranks (natively, no
 * comparator) instead of float values with their sample indices.
 *
 * Values are rounded to float32 here, once: trees split on what ONNX runtimes will compare.
 */
import { KeelError } from "../../core/errors.js";
import type { Matrix } from "../types.js";

export interface SortedFeatures {
  readonly rows: number;
  readonly cols: number;
  /** Column-major float32 values: values[f × rows + i]. */
  readonly values: Float32Array;
  /** rankOf[f × rows + i]: position of sample i in feature f's order (unique; equal values by sample index). */
  readonly rankOf: Int32Array;
  /** sampleAtRank[f × rows + r]: the sample at position r of feature f's order. */
  readonly sampleAtRank: Int32Array;
  /** valueAtRank[f × rows + r]: its value, so that scans read memory in order. */
  readonly valueAtRank: Float32Array;
}

/** Throws the "impute first" error when `x` has a missing value. */
export function rejectMissing(x: Matrix, learner: string): void {
  const { data, cols } = x;
  for (let j = 0; j < data.length; j++) {
    if (data[j] !== data[j]) {
      const row = Math.floor(j / cols);
      throw new KeelError(
        "INVALID_PARAMETER_VALUE",
        `${learner} cannot train on missing values (feature ${j % cols}, row ${row} is NaN); impute them first, e.g. with a median imputer in the pipeline, or use gbdt, which handles them`,
      );
    }
  }
}

function allocate(length: number, bytes: number, shared: boolean): ArrayBufferLike {
  return shared ? new SharedArrayBuffer(length * bytes) : new ArrayBuffer(length * bytes);
}

// Sort keys pack a float32's order-preserving bit pattern with the sample index: exact in a float64 while
// rows × 2^32 < 2^53.
const MAX_PACKED_ROWS = 2 ** 21;

/** Sorts every feature of `x` (which must have no NaN); `shared` puts the arrays in SharedArrayBuffers. */
export function sortFeatures(x: Matrix, shared = false): SortedFeatures {
  const { rows: n, cols } = x;
  const size = n * cols;
  const values = new Float32Array(allocate(size, 4, shared));
  const rankOf = new Int32Array(allocate(size, 4, shared));
  const sampleAtRank = new Int32Array(allocate(size, 4, shared));
  const valueAtRank = new Float32Array(allocate(size, 4, shared));
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const keys = n <= MAX_PACKED_ROWS ? new Float64Array(n) : null;
  const order = keys ? null : new Int32Array(n);
  for (let f = 0; f < cols; f++) {
    const fo = f * n;
    for (let i = 0; i < n; i++) values[fo + i] = x.data[i * cols + f];
    if (keys) {
      for (let i = 0; i < n; i++) {
        const u = bits[fo + i];
        const ordered = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
        keys[i] = ordered * n + i;
      }
      keys.sort();
      for (let r = 0; r < n; r++) sampleAtRank[fo + r] = keys[r] % n;
    } else if (order) {
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => values[fo + a] - values[fo + b] || a - b);
      sampleAtRank.set(order, fo);
    }
    for (let r = 0; r < n; r++) {
      const i = sampleAtRank[fo + r];
      rankOf[fo + i] = r;
      valueAtRank[fo + r] = values[fo + i];
    }
  }
  return { rows: n, cols, values, rankOf, sampleAtRank, valueAtRank };
}
