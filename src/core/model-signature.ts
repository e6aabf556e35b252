/**
 * MLflow's model signature, as the `signature` block of an MLmodel file holds it: inputs and outputs as
 * column specs (`{"type": "double", "name": "age", "required": true}`) or tensor specs
 * (`{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}`), plus optional inference params.
 * The SDK, the gates and the server share these types, so they live in core.
 */
import { invalidParameter } from "./errors.js";
import { pythonFloat, pythonJsonDumps } from "./python-json.js";

/** MLflow's scalar column types; newer MLflow adds `array`, `object` and `map`, kept as they are in `raw`. */
export type ColumnType = "boolean" | "integer" | "long" | "float" | "double" | "string" | "binary" | "datetime";

export interface ColumnSpec {
  readonly kind: "column";
  readonly name?: string;
  /** One of ColumnType, or a newer MLflow type name (array, object, map) that Keel carries through unchanged. */
  readonly type: string;
  readonly required: boolean;
  /** The item as it was read, so that fields Keel does not model (items, properties) are written back intact. */
  readonly raw?: Readonly<Record<string, unknown>>;
}

export interface TensorSpec {
  readonly kind: "tensor";
  readonly name?: string;
  /** numpy dtype name: float32, float64, int64, int32, bool, str, ... */
  readonly dtype: string;
  /** -1 marks a variable dimension (usually the batch). */
  readonly shape: readonly number[];
}

export type SchemaItem = ColumnSpec | TensorSpec;

export interface ParamSpec {
  readonly name: string;
  readonly type: string;
  readonly default: unknown;
  readonly shape: readonly number[] | null;
}

export interface ModelSignature {
  readonly inputs: readonly SchemaItem[];
  readonly outputs: readonly SchemaItem[];
  readonly params?: readonly ParamSpec[];
}

/** MLflow's scalar column types; a ColumnSpec without `raw` must use one of these. */
export const COLUMN_TYPES: readonly ColumnType[] = [
  "boolean",
  "integer",
  "long",
  "float",
  "double",
  "string",
  "binary",
  "datetime",
];

/** The `signature` block of an MLmodel file: JSON strings, or null where MLflow writes `null`. */
export interface MlmodelSignatureBlock {
  readonly inputs: string | null;
  readonly outputs: string | null;
  readonly params: string | null;
}

/**
 * Read the `signature` block of an MLmodel file. MLflow stores `inputs`, `outputs` and `params` as JSON
 * strings; already-parsed arrays are accepted too, and null or missing parts read as empty.
 */
export function parseSignature(block: unknown): ModelSignature {
  if (!isRecord(block)) {
    throw invalidParameter(`a model signature must be a mapping with inputs and outputs, got ${describe(block)}`);
  }
  const inputs = parseSchema(block.inputs, "inputs");
  const outputs = parseSchema(block.outputs, "outputs");
  checkNotEmpty(inputs, outputs);
  const params = parseParams(block.params);
  return params === undefined ? { inputs, outputs } : { inputs, outputs, params };
}

/**
 * Write a signature as MLflow's `ModelSignature.to_dict()` does: each part is `json.dumps` of the spec list
 * (MLflow's key order: column `type, name, required`; tensor `name, type, tensor-spec`; param
 * `name, type, default, shape`), and an empty part is `null`.
 */
export function signatureToMlmodel(sig: ModelSignature): MlmodelSignatureBlock {
  checkNotEmpty(sig.inputs, sig.outputs);
  return {
    inputs: schemaToJson(sig.inputs, "inputs"),
    outputs: schemaToJson(sig.outputs, "outputs"),
    params: sig.params && sig.params.length > 0 ? pythonJsonDumps(sig.params.map(paramToDict)) : null,
  };
}

function parseSchema(value: unknown, part: string): SchemaItem[] {
  const list = parseJsonList(value, part);
  const items = list.map((item, i) => parseSchemaItem(item, `${part}[${i}]`));
  checkSchema(items, part);
  return items;
}

function parseJsonList(value: unknown, part: string): unknown[] {
  if (value === undefined || value === null) return [];
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch (err) {
      throw invalidParameter(`signature ${part} is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!Array.isArray(parsed)) {
    throw invalidParameter(`signature ${part} must be a JSON list of specs, got ${describe(parsed)}`);
  }
  return parsed;
}

function parseSchemaItem(item: unknown, where: string): SchemaItem {
  if (!isRecord(item)) throw invalidParameter(`signature ${where} must be an object, got ${describe(item)}`);
  const name = optionalString(item.name, `${where}.name`);
  if (typeof item.type !== "string" || item.type === "") {
    throw invalidParameter(`signature ${where} needs a "type" string (a column type or "tensor")`);
  }
  if (item.type === "tensor") return parseTensorSpec(item, name, where);
  // MLflow 2.6-2.9 wrote "optional": true where newer versions write "required": false.
  const required =
    typeof item.required === "boolean" ? item.required : typeof item.optional === "boolean" ? !item.optional : true;
  const scalar = (COLUMN_TYPES as readonly string[]).includes(item.type);
  const modelled = Object.keys(item).every((k) => k === "type" || k === "name" || k === "required");
  const base = { kind: "column" as const, type: item.type, required };
  const spec: ColumnSpec = name === undefined ? base : { ...base, name };
  return scalar && modelled ? spec : { ...spec, raw: { ...item } };
}

function parseTensorSpec(item: Record<string, unknown>, name: string | undefined, where: string): TensorSpec {
  const info = item["tensor-spec"];
  if (!isRecord(info) || typeof info.dtype !== "string" || !Array.isArray(info.shape)) {
    throw invalidParameter(
      `signature ${where} is a tensor but lacks "tensor-spec": {"dtype": ..., "shape": [...]} ` +
        '(e.g. {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}})',
    );
  }
  const shape = info.shape.map((d: unknown) => {
    if (typeof d !== "number" || !Number.isInteger(d) || d < -1) {
      throw invalidParameter(`signature ${where} shape holds ${describe(d)}; dimensions are integers, -1 for any size`);
    }
    return d;
  });
  const base = { kind: "tensor" as const, dtype: info.dtype, shape };
  return name === undefined ? base : { ...base, name };
}

/** MLflow's Schema refuses mixed column/tensor specs and mixed named/unnamed ones; so does Keel. */
function checkSchema(items: readonly SchemaItem[], part: string): void {
  if (items.length === 0) return;
  if (!items.every((i) => i.kind === items[0].kind)) {
    throw invalidParameter(`signature ${part} mixes column and tensor specs; MLflow allows one kind per schema`);
  }
  const named = items.filter((i) => i.name !== undefined).length;
  if (named !== 0 && named !== items.length) {
    throw invalidParameter(`signature ${part} mixes named and unnamed specs; name all of them or none`);
  }
}

/** MLflow's ModelSignature refuses to exist without inputs or outputs. */
function checkNotEmpty(inputs: readonly SchemaItem[], outputs: readonly SchemaItem[]): void {
  if (inputs.length === 0 && outputs.length === 0) {
    throw invalidParameter("a model signature needs inputs or outputs; leave the signature out instead");
  }
}

function parseParams(value: unknown): ParamSpec[] | undefined {
  const list = parseJsonList(value, "params");
  if (list.length === 0) return undefined;
  return list.map((item, i) => {
    const where = `params[${i}]`;
    if (!isRecord(item) || typeof item.name !== "string" || typeof item.type !== "string") {
      throw invalidParameter(`signature ${where} needs "name" and "type" strings, got ${describe(item)}`);
    }
    const shape = item.shape ?? null;
    if (shape !== null && !(Array.isArray(shape) && shape.every((d) => Number.isInteger(d)))) {
      throw invalidParameter(`signature ${where} shape must be null or a list of integers such as [-1]`);
    }
    return { name: item.name, type: item.type, default: item.default ?? null, shape };
  });
}

function schemaToJson(items: readonly SchemaItem[], part: string): string | null {
  if (items.length === 0) return null;
  checkSchema(items, part);
  return pythonJsonDumps(items.map((item) => itemToDict(item, part)));
}

function itemToDict(item: SchemaItem, part: string): Record<string, unknown> {
  if (item.kind === "tensor") {
    const tensorSpec = { dtype: item.dtype, shape: [...item.shape] };
    return item.name === undefined
      ? { type: "tensor", "tensor-spec": tensorSpec }
      : { name: item.name, type: "tensor", "tensor-spec": tensorSpec };
  }
  if (item.raw !== undefined) return { ...item.raw };
  if (!(COLUMN_TYPES as readonly string[]).includes(item.type)) {
    throw invalidParameter(
      `signature ${part} column type '${item.type}' needs its full MLflow definition in raw; ` +
        `plain columns use one of ${COLUMN_TYPES.join(", ")}`,
    );
  }
  return item.name === undefined
    ? { type: item.type, required: item.required }
    : { type: item.type, name: item.name, required: item.required };
}

function paramToDict(param: ParamSpec): Record<string, unknown> {
  // Python holds a float param's default as a float, so 1 is written 1.0 as MLflow would.
  const isFloat = param.type === "float" || param.type === "double";
  const toPy = (v: unknown): unknown => (isFloat && typeof v === "number" ? pythonFloat(v) : v);
  const value = Array.isArray(param.default) ? param.default.map(toPy) : toPy(param.default);
  return { name: param.name, type: param.type, default: value, shape: param.shape === null ? null : [...param.shape] };
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidParameter(`signature ${where} must be a string, got ${describe(value)}`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") {
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  }
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
