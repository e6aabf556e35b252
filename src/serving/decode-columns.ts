/**
 * JSON values into typed arrays: the one conversion every serving protocol shares. Decoders allocate each
 * model input's array once (rows × rowSize) and write values straight into it; a failed conversion returns
 * a reason string instead of throwing, so that the caller can name the row and column without building a
 * closure or a context object per value.
 */
import { KeelError } from "../core/errors.js";
import type { ElementType, TensorData, TensorInfo } from "./types.js";
import { rowSize } from "./types.js";

/** Each integer element type's range as [min, max + 1] in doubles (exact even for ±2^63), and as text. */
const INT_RANGE: Readonly<Partial<Record<ElementType, readonly [number, number, string]>>> = {
  int8: [-128, 128, "-128 to 127"],
  uint8: [0, 256, "0 to 255"],
  int16: [-32768, 32768, "-32768 to 32767"],
  uint16: [0, 65536, "0 to 65535"],
  int32: [-2147483648, 2147483648, "-2147483648 to 2147483647"],
  uint32: [0, 4294967296, "0 to 4294967295"],
  int64: [-(2 ** 63), 2 ** 63, "-2^63 to 2^63-1"],
  uint64: [0, 2 ** 64, "0 to 2^64-1"],
};

/** A zeroed tensor of `length` values of this element type. */
export function createTensor(type: ElementType, length: number): TensorData {
  switch (type) {
    case "float32": return new Float32Array(length);
    case "float64": return new Float64Array(length);
    case "int8": return new Int8Array(length);
    case "uint8": return new Uint8Array(length);
    case "int16": return new Int16Array(length);
    case "uint16": return new Uint16Array(length);
    case "int32": return new Int32Array(length);
    case "uint32": return new Uint32Array(length);
    case "int64": return new BigInt64Array(length);
    case "uint64": return new BigUint64Array(length);
    case "bool": return new Uint8Array(length);
    case "string": return new Array<string>(length).fill("");
  }
}

export function isFloatType(type: ElementType): boolean {
  return type === "float32" || type === "float64";
}

/** What a value of this element type looks like in JSON, for messages. */
export function expectedValue(type: ElementType): string {
  if (type === "string") return "a string";
  if (type === "bool") return "true, false, 0 or 1";
  if (isFloatType(type)) return "a number";
  return `an integer (${type})`;
}

/** A short JSON rendering of a value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "no value";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Converts one JSON value to `type` and stores it at `data[index]`. Returns undefined when stored, else why
 * not. null is a missing value: NaN for float inputs, refused for the rest (they have no missing marker).
 */
export function setValue(data: TensorData, type: ElementType, index: number, value: unknown): string | undefined {
  if (typeof value === "number") {
    if (type === "float32" || type === "float64") {
      (data as Float32Array)[index] = value;
      return undefined;
    }
    if (type === "string") return `expected a string, got ${describeValue(value)}`;
    if (type === "bool") {
      if (value !== 0 && value !== 1) return `expected true, false, 0 or 1, got ${describeValue(value)}`;
      (data as Uint8Array)[index] = value;
      return undefined;
    }
    if (!Number.isInteger(value)) return `expected an integer (${type}), got ${describeValue(value)}`;
    const [min, end, range] = INT_RANGE[type] ?? [0, 0, ""];
    if (value < min || value >= end) return `${describeValue(value)} is out of range for ${type} (${range})`;
    if (type === "int64" || type === "uint64") (data as BigInt64Array)[index] = BigInt(value);
    else (data as Int32Array)[index] = value;
    return undefined;
  }
  if (typeof value === "string" && type === "string") {
    (data as string[])[index] = value;
    return undefined;
  }
  if (typeof value === "boolean" && type === "bool") {
    (data as Uint8Array)[index] = value ? 1 : 0;
    return undefined;
  }
  if (value === null) {
    if (type === "float32" || type === "float64") {
      (data as Float32Array)[index] = Number.NaN;
      return undefined;
    }
    return `null (a missing value) is accepted only for float inputs; this one takes ${expectedValue(type)}`;
  }
  return `expected ${expectedValue(type)}, got ${describeValue(value)}`;
}

/** Where fillNested writes next, where it must stop writing, and the first conversion failure. */
export interface FillState {
  pos: number;
  end: number;
  error: string | undefined;
}

/**
 * Writes a scalar or nested arrays of scalars row-major from `state.pos`. Values past `state.end` are counted
 * but not written, so that the caller can report how many values a row really had.
 */
export function fillNested(data: TensorData, type: ElementType, value: unknown, state: FillState): void {
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length && state.error === undefined; k++) fillNested(data, type, value[k], state);
    return;
  }
  if (state.pos < state.end) state.error = setValue(data, type, state.pos, value);
  if (state.error === undefined) state.pos++;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Most rows one request may hold unless the server is told otherwise. */
export const DEFAULT_MAX_ROWS = 10_000;

/** Refuses a request with no rows, or with more than `maxRows`. */
export function refuseRows(rows: number, maxRows: number): void {
  if (rows === 0) throw new KeelError("INVALID_PARAMETER_VALUE", "The request has no rows to score; send at least one row.");
  if (rows > maxRows) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `The request has ${rows} rows; this server scores at most ${maxRows} rows per request. Split the rows over several requests, or raise the server's max rows setting.`,
    );
  }
}

/**
 * Rows given as lists of values in the model's input order (the `instances`/`inputs` lists of MLflow and
 * the plain protocol's `features`): each row is flattened row-major; one input takes all of it, several
 * inputs take their rowSize values each, in declared order (then the row must be flat).
 * `label` names the rows in messages (`instances` → `instances[3]`); `indexed` false drops the index.
 */
export function decodeRows(rows: readonly unknown[], inputs: readonly TensorInfo[], label: string, indexed = true): Record<string, TensorData> {
  const out: Record<string, TensorData> = {};
  const where = (r: number): string => (indexed ? `${label}[${r}]` : label);
  if (inputs.length === 1) {
    const input = inputs[0];
    const k = rowSize(input.rowShape);
    const data = createTensor(input.type, rows.length * k);
    const float = isFloatType(input.type);
    const state: FillState = { pos: 0, end: 0, error: undefined };
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const base = r * k;
      if (float && Array.isArray(row) && row.length === k) {
        let j = 0;
        for (; j < k; j++) {
          const v: unknown = row[j];
          if (typeof v !== "number") break;
          (data as Float32Array)[base + j] = v;
        }
        if (j === k) continue;
      }
      state.pos = base;
      state.end = base + k;
      fillNested(data, input.type, row, state);
      if (state.error !== undefined) {
        throw new KeelError("INVALID_PARAMETER_VALUE", `${where(r)}, value ${state.pos - base}: ${state.error} (input '${input.name}' is ${input.type}).`);
      }
      if (state.pos - base !== k) {
        throw new KeelError(
          "INVALID_PARAMETER_VALUE",
          `${where(r)} has ${state.pos - base} values; the model's input '${input.name}' takes ${k} per row (row shape ${formatShape(input.rowShape)}).`,
        );
      }
    }
    out[input.name] = data;
    return out;
  }
  const sizes = inputs.map((i) => rowSize(i.rowShape));
  const width = sizes.reduce((a, b) => a + b, 0);
  const targets = inputs.map((input, i) => createTensor(input.type, rows.length * sizes[i]));
  const order = inputs.map((i) => i.name).join(", ");
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!Array.isArray(row) || row.length !== width || row.some(Array.isArray)) {
      const got = Array.isArray(row) ? `${row.length} values` : describeValue(row);
      throw new KeelError(
        "INVALID_PARAMETER_VALUE",
        `${where(r)} must be a flat list of ${width} values, one per model input in this order: ${order}; got ${got}.`,
      );
    }
    let j = 0;
    for (let i = 0; i < inputs.length; i++) {
      for (let s = 0; s < sizes[i]; s++, j++) {
        const error = setValue(targets[i], inputs[i].type, r * sizes[i] + s, row[j]);
        if (error !== undefined) {
          throw new KeelError("INVALID_PARAMETER_VALUE", `${where(r)}, value ${j} (input '${inputs[i].name}', ${inputs[i].type}): ${error}.`);
        }
      }
    }
  }
  inputs.forEach((input, i) => (out[input.name] = targets[i]));
  return out;
}
