import * as ort from "onnxruntime-node";
import type { InferenceSession } from "onnxruntime-node";
import { invalidParameter } from "../core/errors.js";
import type { ModelSignature, SchemaItem } from "../core/model-signature.js";
import type { InputRows } from "./input-rows.js";

/** One model input as the feeds need it; `dims` null when neither the model nor the signature says. */
export interface OnnxInput {
  readonly name: string;
  /** onnxruntime's element type name (float32, int64, string, bool, ...), or "non-tensor". */
  readonly type: string;
  readonly dims: readonly (number | string)[] | null;
}

/** The part of an InferenceSession that describes its inputs; metadata is absent from older runtimes. */
export interface SessionInputs {
  readonly inputNames: readonly string[];
  readonly inputMetadata?: readonly InferenceSession.ValueMetadata[];
}

/** Batches of model input, converted and validated once so that timing measures only the model. */
export interface PreparedFeeds {
  readonly rowCount: number;
  batch(rows: readonly number[]): Record<string, ort.Tensor>;
}

type Cell = number | bigint | string;

const NUMPY_TYPES: Readonly<Record<string, string>> = {
  float32: "float32", float64: "float64", int8: "int8", uint8: "uint8", int16: "int16", uint16: "uint16",
  int32: "int32", uint32: "uint32", int64: "int64", uint64: "uint64", bool: "bool",
  str: "string", object: "string", string: "string",
};
const COLUMN_TYPES: Readonly<Record<string, string>> = {
  double: "float64", float: "float32", long: "int64", integer: "int32", string: "string", boolean: "bool",
};
const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535],
  int32: [-2147483648, 2147483647], uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], uint64: [0, Number.MAX_SAFE_INTEGER],
};
const FEEDABLE = ["float32", "float64", ...Object.keys(INTEGER_RANGES), "bool", "string"];

/** The signature item describing an input, or for a single input fed from all columns their common type. */
function signatureType(
  items: readonly SchemaItem[],
  name: string,
  index: number,
  single: boolean,
): SchemaItem | string | undefined {
  const byName = items.find((item) => item.name === name);
  if (byName) return byName;
  if (items[0]?.kind === "tensor") return items[index];
  // One input fed from every column: the columns' common type is the input's, if they share one.
  const types = new Set(items.map((item) => (item.kind === "column" ? COLUMN_TYPES[item.type] : undefined)));
  return single && types.size === 1 ? [...types][0] : undefined;
}

/**
 * The model's inputs with element types and shapes: from the session's metadata, else from the MLflow
 * signature (tensor dtype, or column type: double→float64, long→int64, ...), else float32.
 */
export function describeOnnxInputs(session: SessionInputs, signature?: ModelSignature): OnnxInput[] {
  const names = session.inputNames;
  return names.map((name, i) => {
    const meta = session.inputMetadata?.[i];
    if (meta && !meta.isTensor) return { name, type: "non-tensor", dims: null };
    // An empty shape means "not declared" in onnxruntime's metadata, as in MLflow's tensor specs.
    if (meta) return { name, type: meta.type, dims: meta.shape.length > 0 ? meta.shape : null };
    const spec = signature ? signatureType(signature.inputs, name, i, names.length === 1) : undefined;
    if (typeof spec === "string") return { name, type: spec, dims: null };
    if (spec?.kind === "tensor") {
      return { name, type: NUMPY_TYPES[spec.dtype] ?? spec.dtype, dims: spec.shape.length > 0 ? spec.shape : null };
    }
    if (spec?.kind === "column") return { name, type: COLUMN_TYPES[spec.type] ?? spec.type, dims: null };
    return { name, type: "float32", dims: null };
  });
}

/** Converts one example value to the input's element type; undefined when it cannot be one. */
function convert(value: unknown, type: string): Cell | undefined {
  if (type === "string") {
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
  }
  if (type === "bool") {
    if (typeof value === "boolean") return value ? 1 : 0;
    if (value === 0 || value === 1) return value;
    const text = typeof value === "string" ? value.trim().toLowerCase() : "";
    return text === "true" || text === "1" ? 1 : text === "false" || text === "0" ? 0 : undefined;
  }
  let n: number | undefined;
  if (typeof value === "number") n = value;
  else if (typeof value === "boolean") n = value ? 1 : 0;
  else if (typeof value === "string" && value.trim() !== "") n = Number(value.trim());
  // Missing values are NaN to a float model, as pandas makes them.
  else if (value === null && (type === "float32" || type === "float64")) n = NaN;
  if (n === undefined) return undefined;
  if (type === "float32" || type === "float64") {
    const meantNaN = value === null || /^nan$/i.test(String(value).trim());
    return Number.isNaN(n) && !meantNaN ? undefined : n;
  }
  const range = INTEGER_RANGES[type];
  if (!range || !Number.isInteger(n) || n < range[0] || n > range[1]) return undefined;
  return type === "int64" || type === "uint64" ? BigInt(n) : n;
}

function describeValue(value: unknown): string {
  return value === undefined ? "nothing" : (JSON.stringify(value) ?? String(value));
}

function flatten(value: unknown, out: unknown[]): void {
  if (Array.isArray(value)) for (const item of value) flatten(item, out);
  else out.push(value);
}

/** Which cells of each row feed which input: one column per input when names match, else the whole row. */
function mapCells(inputs: readonly OnnxInput[], data: InputRows): number[][] {
  const { columns } = data;
  if (columns && inputs.every((input) => columns.includes(input.name))) {
    return inputs.map((input) => [columns.indexOf(input.name)]);
  }
  const width = data.rows[0]?.length ?? 0;
  if (inputs.length === 1) return [Array.from({ length: width }, (_, i) => i)];
  const names = inputs.map((input) => input.name).join(", ");
  const have = columns ? `columns ${columns.join(", ")}` : "one unnamed tensor";
  const missing = (columns ? inputs.filter((input) => !columns.includes(input.name)) : []).map((i) => `'${i.name}'`);
  const hint = missing.length > 0 ? `; no column for ${missing.join(", ")}` : "";
  throw invalidParameter(`the model has inputs ${names} but the sample data has ${have}${hint}`);
}

/** The shape of one row of an input: the model's dimensions after the batch, unknown ones inferred. */
function rowShape(input: OnnxInput, perRow: number, batchSize: number): number[] {
  const dims = input.dims ?? [-1, perRow];
  const first = dims[0];
  if (typeof first === "number" && first >= 0 && first !== batchSize) {
    throw invalidParameter(`input '${input.name}' has a fixed batch dimension of ${first}; set \`batch_size: ${first}\``);
  }
  const rest = dims.slice(1).map((d) => (typeof d === "number" && d >= 0 ? d : -1));
  const fixed = rest.filter((d) => d >= 0).reduce((a, b) => a * b, 1);
  const unknown = rest.lastIndexOf(-1);
  const shape = rest.map((d, i) => (d >= 0 ? d : i === unknown ? (fixed > 0 ? perRow / fixed : 0) : 1));
  if (shape.some((d) => !Number.isInteger(d)) || shape.reduce((a, b) => a * b, 1) !== perRow) {
    const wanted = `[${dims.join(", ")}]`;
    const values = `${perRow} value${perRow === 1 ? "" : "s"}`;
    throw invalidParameter(`input '${input.name}' (shape ${wanted}) cannot take ${values} per row from the sample data`);
  }
  return shape;
}

function tensor(type: string, values: readonly Cell[], dims: readonly number[]): ort.Tensor {
  const numbers = values as readonly number[];
  const bigints = values as readonly bigint[];
  switch (type) {
    case "float32": return new ort.Tensor(type, Float32Array.from(numbers), dims);
    case "float64": return new ort.Tensor(type, Float64Array.from(numbers), dims);
    case "int8": return new ort.Tensor(type, Int8Array.from(numbers), dims);
    case "uint8": return new ort.Tensor(type, Uint8Array.from(numbers), dims);
    case "int16": return new ort.Tensor(type, Int16Array.from(numbers), dims);
    case "uint16": return new ort.Tensor(type, Uint16Array.from(numbers), dims);
    case "int32": return new ort.Tensor(type, Int32Array.from(numbers), dims);
    case "uint32": return new ort.Tensor(type, Uint32Array.from(numbers), dims);
    case "int64": return new ort.Tensor(type, BigInt64Array.from(bigints), dims);
    case "uint64": return new ort.Tensor(type, BigUint64Array.from(bigints), dims);
    case "bool": return new ort.Tensor(type, Uint8Array.from(numbers), dims);
    default: return new ort.Tensor("string", values as string[], dims);
  }
}

/**
 * Converts the first `maxRows` rows of sample data into per-input columns of typed values, refusing with a
 * message naming the input, row and column when a value does not fit (a missing column, text for a number).
 */
export function prepareFeeds(
  inputs: readonly OnnxInput[],
  data: InputRows,
  options: { readonly batchSize: number; readonly maxRows: number },
): PreparedFeeds {
  const rowCount = Math.min(data.rows.length, options.maxRows);
  const cellsByInput = mapCells(inputs, data);
  const prepared = inputs.map((input, k) => {
    if (!FEEDABLE.includes(input.type)) {
      const kind = input.type === "non-tensor" ? "not a tensor" : `of element type ${input.type}`;
      throw invalidParameter(`input '${input.name}' is ${kind}; the latency check feeds tensors of ${FEEDABLE.join(", ")}`);
    }
    const values: Cell[] = [];
    let perRow = -1;
    for (let r = 0; r < rowCount; r++) {
      const start = values.length;
      for (const c of cellsByInput[k]) {
        const raw: unknown[] = [];
        flatten(data.rows[r][c], raw);
        for (const value of raw) {
          const cell = convert(value, input.type);
          if (cell === undefined) {
            const column = data.columns ? ` column '${data.columns[c]}'` : "";
            const found = describeValue(value);
            throw invalidParameter(`input '${input.name}' is ${input.type}, but row ${r}${column} of the sample data has ${found}`);
          }
          values.push(cell);
        }
      }
      const count = values.length - start;
      if (perRow >= 0 && count !== perRow) {
        throw invalidParameter(`row ${r} of the sample data gives input '${input.name}' ${count} values; row 0 gives ${perRow}`);
      }
      perRow = count;
    }
    return { input, values, perRow, shape: rowShape(input, perRow, options.batchSize) };
  });
  return {
    rowCount,
    batch(rows) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const { input, values, perRow, shape } of prepared) {
        const out: Cell[] = [];
        for (const r of rows) for (let j = 0; j < perRow; j++) out.push(values[r * perRow + j]);
        feeds[input.name] = tensor(input.type, out, [rows.length, ...shape]);
      }
      return feeds;
    },
  };
}
