/**
 * input_example.json as MLflow 2.x writes it next to a model (mlflow/models/utils.py `_Example`): a data frame
 * in pandas' "split" orient without the index (`{"columns": [...], "data": [[...]]}`), or tensors in
 * TF-serving form (`{"inputs": ...}`), serialised by `json.dumps`. The `info` goes into the MLmodel file as
 * `saved_input_example_info`.
 */
import { invalidParameter } from "./errors.js";
import type { ModelSignature, SchemaItem } from "./model-signature.js";
import { pythonFloat, pythonJsonDumps } from "./python-json.js";

export const INPUT_EXAMPLE_FILE = "input_example.json";

export interface InputExampleJson {
  /** The text of input_example.json. */
  readonly json: string;
  /** MLmodel's `saved_input_example_info` for it. */
  readonly info: Record<string, unknown>;
}

const DATAFRAME_INFO = { artifact_path: INPUT_EXAMPLE_FILE, type: "dataframe", pandas_orient: "split" };
const NDARRAY_INFO = { artifact_path: INPUT_EXAMPLE_FILE, type: "ndarray", format: "tf-serving" };
const ACCEPTED =
  "an input example is records ([{column: value}]), {columns, data}, {column: [values]}, " +
  "one record ({column: value}), number[][] for a tensor, or {tensor_name: number[][]} for named tensors";

/**
 * Write an input example as MLflow does. The signature, when given, decides tensor vs data frame for
 * ambiguous shapes, marks which numbers are floats (written `1.0`, as pandas/numpy floats are), and is
 * checked: a named column signature's required columns must all be present.
 */
export function inputExampleJson(example: unknown, signature?: ModelSignature): InputExampleJson {
  const inputs = signature?.inputs ?? [];
  const tensorSignature = inputs.length > 0 && inputs[0].kind === "tensor";
  if (isTensorExample(example, tensorSignature)) return tensorExample(example, inputs);
  const frame = toFrame(example);
  checkColumns(frame.columns, inputs);
  const floatColumns = new Set(
    inputs.filter((i) => i.kind === "column" && (i.type === "double" || i.type === "float")).map((i) => i.name),
  );
  const data = frame.rows.map((row) =>
    row.map((v, c) => pythonValue(v, frame.columns !== undefined && floatColumns.has(frame.columns[c]))),
  );
  // pandas drops the default RangeIndex columns; MLflow then leaves "columns" out.
  const body = frame.columns === undefined ? { data } : { columns: frame.columns, data };
  return { json: pythonJsonDumps(body), info: { ...DATAFRAME_INFO } };
}

/** Read input_example.json back. Python's json also writes NaN and Infinity, which are accepted here. */
export function parseInputExample(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (err) {
    const tolerant = parsePythonJson(json);
    if (tolerant.ok) return tolerant.value;
    throw invalidParameter(`input_example.json is not valid JSON: ${(err as Error).message}`);
  }
}

interface Frame {
  readonly columns: string[] | undefined;
  readonly rows: unknown[][];
}

function toFrame(example: unknown): Frame {
  if (Array.isArray(example)) {
    if (example.length === 0) throw invalidParameter(`an input example cannot be empty; ${ACCEPTED}`);
    if (example.every(isRecord)) return recordsFrame(example);
    // A flat list of scalars is one row with unnamed columns, as pandas.DataFrame([list]) makes it.
    if (example.every(isScalar)) return { columns: undefined, rows: [example] };
    throw invalidParameter(`an input example list must hold only records or only scalars; ${ACCEPTED}`);
  }
  if (!isRecord(example)) throw invalidParameter(`unsupported input example (${typeof example}); ${ACCEPTED}`);
  if (Array.isArray(example.columns) && Array.isArray(example.data)) return splitFrame(example.columns, example.data);
  const values = Object.values(example);
  if (values.length === 0) throw invalidParameter(`an input example cannot be empty; ${ACCEPTED}`);
  if (values.every(isScalar)) return { columns: Object.keys(example), rows: [values] };
  if (values.every((v) => Array.isArray(v) && v.every(isScalar))) return columnsFrame(example);
  throw invalidParameter(`an input example object must map columns to scalars or to lists of scalars; ${ACCEPTED}`);
}

function recordsFrame(records: readonly Record<string, unknown>[]): Frame {
  const columns: string[] = [];
  for (const record of records) for (const key of Object.keys(record)) if (!columns.includes(key)) columns.push(key);
  // A record without a column gets null there, as pandas fills it with NaN and MLflow writes NaN as null.
  return { columns, rows: records.map((r) => columns.map((c) => (r[c] === undefined ? null : r[c]))) };
}

function splitFrame(columns: readonly unknown[], data: readonly unknown[]): Frame {
  if (!columns.every((c) => typeof c === "string")) throw invalidParameter("input example columns must be strings");
  const rows = data.map((row, i) => {
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw invalidParameter(`input example data row ${i} must be a list of ${columns.length} values`);
    }
    return row;
  });
  if (rows.length === 0) throw invalidParameter(`an input example cannot be empty; ${ACCEPTED}`);
  return { columns: columns as string[], rows };
}

function columnsFrame(example: Record<string, unknown>): Frame {
  const columns = Object.keys(example);
  const lists = Object.values(example) as unknown[][];
  const length = lists[0].length;
  if (length === 0 || lists.some((l) => l.length !== length)) {
    throw invalidParameter("input example columns must all hold the same, non-zero number of values");
  }
  return { columns, rows: Array.from({ length }, (_, r) => lists.map((l) => l[r])) };
}

function checkColumns(columns: readonly string[] | undefined, inputs: readonly SchemaItem[]): void {
  const named = inputs.filter((i) => i.kind === "column" && i.required && i.name !== undefined);
  if (columns === undefined || named.length === 0) return;
  const missing = named.map((i) => i.name as string).filter((n) => !columns.includes(n));
  if (missing.length > 0) {
    throw invalidParameter(`the input example lacks required signature column(s): ${missing.join(", ")}`);
  }
}

function isTensorExample(example: unknown, tensorSignature: boolean): boolean {
  if (Array.isArray(example)) {
    return example.length > 0 && (example.every(Array.isArray) || (tensorSignature && !example.some(isRecord)));
  }
  if (!isRecord(example) || Object.keys(example).length === 0) return false;
  // pandas' split orient ({columns, data}) is a data frame whatever the signature says: a model whose one
  // tensor input takes the rows (an ONNX [N, C] input) is still shown a table of named columns.
  if (Array.isArray(example.data) && Array.isArray(example.columns)) return false;
  const values = Object.values(example);
  if (!values.every(Array.isArray)) return false;
  return tensorSignature || values.every((v) => (v as unknown[]).some(Array.isArray));
}

function tensorExample(example: unknown, inputs: readonly SchemaItem[]): InputExampleJson {
  const isFloatDtype = (item: SchemaItem | undefined): boolean =>
    item?.kind === "tensor" && /^(float|bfloat)/.test(item.dtype);
  let inputsValue: unknown;
  if (Array.isArray(example)) {
    inputsValue = mapLeaves(example, isFloatDtype(inputs[0]));
  } else {
    const named = Object.entries(example as Record<string, unknown>).map(([name, value]) => {
      const spec = inputs.find((i) => i.name === name);
      if (inputs.length > 0 && spec === undefined) {
        throw invalidParameter(`the input example has a tensor '${name}' that the signature does not declare`);
      }
      return [name, mapLeaves(value, isFloatDtype(spec))] as const;
    });
    inputsValue = Object.fromEntries(named);
  }
  return { json: pythonJsonDumps({ inputs: inputsValue }), info: { ...NDARRAY_INFO } };
}

function mapLeaves(value: unknown, asFloat: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => mapLeaves(v, asFloat));
  return pythonValue(value, asFloat);
}

/** MLflow replaces NaN with None before writing; floats keep their `.0`. */
function pythonValue(value: unknown, asFloat: boolean): unknown {
  if (typeof value === "number" && Number.isNaN(value)) return null;
  if (asFloat && typeof value === "number") return pythonFloat(value);
  if (value !== null && typeof value === "object" && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    throw invalidParameter("input example values must be scalars (number, string, boolean, null, bytes or Date)");
  }
  return value;
}

function isScalar(value: unknown): boolean {
  return value === null || value instanceof Uint8Array || value instanceof Date || typeof value !== "object";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date)
  );
}

/**
 * JSON.parse after turning Python's bare NaN / Infinity / -Infinity (outside strings) into placeholders that
 * a reviver maps back to numbers.
 */
function parsePythonJson(json: string): { ok: true; value: unknown } | { ok: false } {
  const marker = `__keel_py_${Math.random().toString(36).slice(2)}_`;
  const replaced = json.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (token) =>
    token.startsWith('"') ? token : `"${marker}${token}"`,
  );
  const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };
  try {
    const value: unknown = JSON.parse(replaced, (_key, v: unknown) =>
      typeof v === "string" && v.startsWith(marker) ? special[v.slice(marker.length)] : v,
    );
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}
