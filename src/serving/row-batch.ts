/**
 * Joining the rows of several requests into one batch, and cutting a batch's answers back into each
 * request's share. Columns stay typed arrays throughout: one allocation and one `.set` per input and request.
 */
import { KeelError } from "../core/errors.js";
import type { OutputBatch, RowBatch, TensorData } from "./types.js";

type NumberArray =
  | Float32Array | Float64Array
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
type BigIntArray = BigInt64Array | BigUint64Array;

function isBigIntArray(data: TensorData): data is BigIntArray {
  return data instanceof BigInt64Array || data instanceof BigUint64Array;
}

function isNumberArray(data: TensorData): data is NumberArray {
  return !Array.isArray(data) && !isBigIntArray(data);
}

function emptyLike<T extends NumberArray | BigIntArray>(sample: T, length: number): T {
  const Constructor = sample.constructor as new (length: number) => T;
  return new Constructor(length);
}

function kindOf(data: TensorData): string {
  return Array.isArray(data) ? "string[]" : data.constructor.name;
}

/** Values per row of `name`: from `rowSizes`, else from the data itself (an open dimension). */
function valuesPerRow(name: string, data: TensorData, rows: number, rowSizes: Readonly<Record<string, number>>): number {
  const given = rowSizes[name];
  if (given !== undefined) return given;
  return rows > 0 ? data.length / rows : 0;
}

function checkLength(what: string, name: string, data: TensorData, rows: number, size: number): void {
  if (!Number.isInteger(size) || data.length !== rows * size) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `${what} '${name}' has ${data.length} values for ${rows} rows; expected ${rows} × ${size} (its values per row)`,
    );
  }
}

function concatColumn(name: string, parts: readonly TensorData[], totalValues: number): TensorData {
  const first = parts[0];
  for (const part of parts) {
    if (Object.getPrototypeOf(part) !== Object.getPrototypeOf(first)) {
      throw new KeelError(
        "INVALID_PARAMETER_VALUE",
        `input '${name}' is ${kindOf(first)} in one request and ${kindOf(part)} in another; requests batched together must agree`,
      );
    }
  }
  if (Array.isArray(first)) {
    const joined: string[] = [];
    for (const part of parts) for (const value of part as string[]) joined.push(value);
    return joined;
  }
  if (isBigIntArray(first)) {
    const target = emptyLike(first, totalValues);
    let offset = 0;
    for (const part of parts) {
      if (!isBigIntArray(part)) continue;
      target.set(part, offset);
      offset += part.length;
    }
    return target;
  }
  const target = emptyLike(first, totalValues);
  let offset = 0;
  for (const part of parts) {
    if (!isNumberArray(part)) continue;
    target.set(part, offset);
    offset += part.length;
  }
  return target;
}

/**
 * One RowBatch holding the rows of `batches` in order: per input, one new typed array of the same type (a
 * string[] for strings). `rowSizes` gives the values per row of each input; an input missing there is taken
 * as `length / rows`. Fails with INVALID_PARAMETER_VALUE when the batches name different inputs, an input's
 * type differs between them, or an input's length is not `rows × rowSize`.
 *
 * @example
 * concatBatches([{ rows: 1, inputs: { x: new Float32Array([1, 2]) } }, { rows: 1, inputs: { x: new Float32Array([3, 4]) } }], { x: 2 });
 * // { rows: 2, inputs: { x: Float32Array [1, 2, 3, 4] } }
 */
export function concatBatches(batches: readonly RowBatch[], rowSizes: Readonly<Record<string, number>>): RowBatch {
  if (batches.length === 0) return { rows: 0, inputs: {} };
  const names = Object.keys(batches[0].inputs);
  let rows = 0;
  for (const batch of batches) {
    rows += batch.rows;
    const own = Object.keys(batch.inputs);
    if (own.length !== names.length || own.some((name) => !(name in batches[0].inputs))) {
      throw new KeelError(
        "INVALID_PARAMETER_VALUE",
        `requests batched together name different inputs ([${names.join(", ")}] and [${own.join(", ")}])`,
      );
    }
  }
  const inputs: Record<string, TensorData> = {};
  for (const name of names) {
    const parts = batches.map((batch) => batch.inputs[name]);
    let totalValues = 0;
    for (let i = 0; i < parts.length; i += 1) {
      const size = valuesPerRow(name, parts[i], batches[i].rows, rowSizes);
      checkLength("input", name, parts[i], batches[i].rows, size);
      totalValues += parts[i].length;
    }
    // One request needs no copy: its own arrays are already the batch.
    inputs[name] = parts.length === 1 ? parts[0] : concatColumn(name, parts, totalValues);
  }
  return { rows, inputs };
}

/**
 * The answers for rows `start .. start + rows - 1` of `out`. Typed arrays are subarray views sharing the batch's
 * memory (no copy); string outputs are sliced. `rowSizes` gives values per row by output name; an output missing
 * there is taken as `length / out.rows`. Fails with INVALID_PARAMETER_VALUE when the range falls outside
 * `out` or an output's length is not a whole number of rows.
 *
 * @example
 * sliceOutputs({ rows: 3, outputs: { label: new BigInt64Array([0n, 1n, 1n]) } }, { label: 1 }, 1, 2);
 * // { rows: 2, outputs: { label: BigInt64Array [1n, 1n] } }
 */
export function sliceOutputs(out: OutputBatch, rowSizes: Readonly<Record<string, number>>, start: number, rows: number): OutputBatch {
  if (!Number.isInteger(start) || !Number.isInteger(rows) || start < 0 || rows < 0 || start + rows > out.rows) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `rows ${start}..${start + rows} are outside a batch of ${out.rows} rows`);
  }
  const outputs: Record<string, TensorData> = {};
  for (const [name, data] of Object.entries(out.outputs)) {
    const size = valuesPerRow(name, data, out.rows, rowSizes);
    checkLength("output", name, data, out.rows, size);
    const from = start * size;
    const to = (start + rows) * size;
    outputs[name] = Array.isArray(data) ? data.slice(from, to) : data.subarray(from, to);
  }
  return { rows, outputs };
}
