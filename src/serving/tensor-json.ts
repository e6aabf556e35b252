/**
 * Typed arrays back into JSON values for responses. int64/uint64 become JSON numbers (exact below 2^53, as
 * Python's json writes numpy int64 too), bool tensors true/false, float32 values the double they widen to
 * (what MLflow's numpy `tolist()` answers). A NaN float turns into null when the value is stringified.
 */
import type { ElementType, TensorData } from "./types.js";

export type JsonScalar = number | boolean | string;

/** One value of a tensor as JSON. */
export function jsonScalar(data: TensorData, type: ElementType, index: number): JsonScalar {
  const value = data[index];
  if (typeof value === "bigint") return Number(value);
  if (type === "bool") return value !== 0;
  return value;
}

/** `count` values from `start`, as a flat JSON list. */
export function jsonList(data: TensorData, type: ElementType, start = 0, count = data.length - start): JsonScalar[] {
  const out = new Array<JsonScalar>(count);
  if (typeof data[0] === "bigint" || type === "bool") {
    for (let i = 0; i < count; i++) out[i] = jsonScalar(data, type, start + i);
  } else {
    const values = data as ArrayLike<number | string>;
    for (let i = 0; i < count; i++) out[i] = values[start + i];
  }
  return out;
}

/** A flat tensor as nested lists of this full shape (numpy's `tolist()`); open dims must be resolved. */
export function nestedList(data: TensorData, type: ElementType, shape: readonly number[]): unknown[] {
  const flat = jsonList(data, type);
  if (shape.length <= 1) return flat;
  const nest = (dim: number, start: number): unknown[] => {
    const size = shape[dim];
    if (dim === shape.length - 1) return flat.slice(start, start + size);
    let stride = 1;
    for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
    const out = new Array<unknown>(size);
    for (let i = 0; i < size; i++) out[i] = nest(dim + 1, start + i * stride);
    return out;
  };
  return nest(0, 0);
}

/**
 * The full shape of an output tensor holding `rows` rows: [rows, ...rowShape] with the first open row dim
 * taking whatever the data's length leaves (1 for any further open dims).
 */
export function outputShape(rowShape: readonly number[], rows: number, length: number): number[] {
  let known = 1;
  for (const d of rowShape) if (d > 0) known *= d;
  let open = rows > 0 && known > 0 ? length / (rows * known) : 0;
  const shape = [rows];
  for (const d of rowShape) {
    if (d > 0) shape.push(d);
    else shape.push(open), (open = 1);
  }
  return shape;
}
