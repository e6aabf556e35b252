/**
 * KServe's Open Inference Protocol (V2), JSON over HTTP (kserve docs/predict-api/v2/required_api.md):
 * `POST /v2/models/{name}[/versions/{v}]/infer` with named tensors `{name, shape, datatype, data}` whose
 * first dimension is the batch, answered with tensors of the same form; model metadata; and errors as
 * `{"error": "<message>"}` rather than MLflow's `{error_code, message}`.
 */
import { KeelError } from "../core/errors.js";
import { DEFAULT_MAX_ROWS, createTensor, describeValue, fillNested, formatShape, isFloatType, refuseRows } from "./decode-columns.js";
import type { FillState } from "./decode-columns.js";
import { parseJsonBody } from "./json-body.js";
import { jsonList, outputShape } from "./tensor-json.js";
import type { JsonScalar } from "./tensor-json.js";
import type { ElementType, ModelInterface, OutputBatch, RowBatch, TensorData, TensorInfo } from "./types.js";
import { rowSize } from "./types.js";

/** V2 datatype names of Keel's element types. */
export const V2_DATATYPE: Readonly<Record<ElementType, string>> = {
  bool: "BOOL",
  uint8: "UINT8",
  uint16: "UINT16",
  uint32: "UINT32",
  uint64: "UINT64",
  int8: "INT8",
  int16: "INT16",
  int32: "INT32",
  int64: "INT64",
  float32: "FP32",
  float64: "FP64",
  string: "BYTES",
};

const INTEGER_DATATYPES = ["INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"];
const ALL_DATATYPES = ["BOOL", ...INTEGER_DATATYPES, "FP16", "FP32", "FP64", "BYTES"];

/**
 * The datatypes a request may send for an input of this element type. Floats take any number (clients
 * send FP64 for float32 inputs, and integer data for float inputs); integers take any integer datatype,
 * each value checked against the input's range; bool and string take only their own.
 */
function acceptedDatatypes(type: ElementType): readonly string[] {
  if (isFloatType(type)) return ["FP32", "FP64", ...INTEGER_DATATYPES];
  if (type === "bool") return ["BOOL"];
  if (type === "string") return ["BYTES"];
  return INTEGER_DATATYPES;
}

export interface V2InferRequest {
  readonly batch: RowBatch;
  readonly id?: string;
  /** The outputs the request names in `outputs`, in its order; absent when it names none (all of them). */
  readonly requestedOutputs?: string[];
}

export interface V2DecodeOptions {
  readonly maxRows?: number;
}

const invalid = (message: string): KeelError => new KeelError("INVALID_PARAMETER_VALUE", message);
const EXPECTED = `a JSON object {"inputs": [{"name": ..., "shape": [...], "datatype": ..., "data": [...]}]}`;

/** Decodes a V2 inference request into the model's input tensors. */
export function decodeV2Infer(body: string | Buffer, model: ModelInterface, options: V2DecodeOptions = {}): V2InferRequest {
  const parsed = parseJsonBody(body, "MALFORMED_REQUEST", EXPECTED);
  if (!isObject(parsed) || !Array.isArray(parsed.inputs) || parsed.inputs.length === 0) {
    throw invalid(`An inference request must be ${EXPECTED} with one entry per model input; got ${describeValue(parsed)}.`);
  }
  if (parsed.id !== undefined && typeof parsed.id !== "string") throw invalid(`'id' must be a string; got ${describeValue(parsed.id)}.`);
  const byName = new Map(model.inputs.map((i) => [i.name, i]));
  const inputs: Record<string, TensorData> = {};
  let rows = -1;
  let first = "";
  for (const entry of parsed.inputs as unknown[]) {
    if (!isObject(entry) || typeof entry.name !== "string") {
      throw invalid(`Each entry of 'inputs' must be an object {"name", "shape", "datatype", "data"}; got ${describeValue(entry)}.`);
    }
    const input = byName.get(entry.name);
    if (input === undefined) throw invalid(`Unknown input '${entry.name}'; the model's inputs are ${describeTensors(model.inputs)}.`);
    if (inputs[input.name] !== undefined) throw invalid(`Input '${input.name}' appears twice in 'inputs'; send each input once.`);
    const shape = checkShape(entry.shape, input);
    if (rows < 0) {
      rows = shape[0];
      first = input.name;
      refuseRows(rows, options.maxRows ?? DEFAULT_MAX_ROWS);
    } else if (shape[0] !== rows) {
      throw invalid(`Input '${input.name}' has batch size ${shape[0]} but '${first}' has ${rows}; shape[0] is the batch dimension and must be the same for every input.`);
    }
    checkDatatype(entry.datatype, input);
    inputs[input.name] = readData(entry.data, input, shape);
  }
  const missing = model.inputs.filter((i) => inputs[i.name] === undefined);
  if (missing.length > 0) {
    throw invalid(`The request is missing the inputs ${missing.map((i) => `'${i.name}'`).join(", ")}; the model's inputs are ${describeTensors(model.inputs)}.`);
  }
  return { batch: { rows, inputs }, id: parsed.id, requestedOutputs: requestedOutputs(parsed.outputs, model) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeTensors(tensors: readonly TensorInfo[]): string {
  return tensors.map((t) => `${t.name} (${V2_DATATYPE[t.type]} ${formatShape([-1, ...t.rowShape])})`).join(", ");
}

/**
 * The request's shape, checked against the input's: a batch dimension, then the row shape (-1 takes any
 * size). `[N]` is also taken for a row shape of `[1]`. Keel batches rows of a fixed size, so an open row
 * dimension must come to the size rowSize() gives it.
 */
function checkShape(value: unknown, input: TensorInfo): number[] {
  const expected = formatShape([-1, ...input.rowShape]);
  if (!Array.isArray(value) || value.length === 0 || !value.every((d) => Number.isInteger(d) && d >= 0)) {
    throw invalid(`Input '${input.name}' needs 'shape', a list of non-negative integers such as ${expected}; got ${describeValue(value)}.`);
  }
  const shape = value as number[];
  const rowDims = shape.length === 1 && input.rowShape.length === 1 && input.rowShape[0] === 1 ? [1] : shape.slice(1);
  const fits = rowDims.length === input.rowShape.length && rowDims.every((d, i) => input.rowShape[i] < 0 || input.rowShape[i] === d);
  if (!fits) throw invalid(`Input '${input.name}' has shape ${formatShape(shape)}, but the model takes ${expected} (the first dimension is the batch).`);
  if (rowDims.reduce((a, b) => a * b, 1) !== rowSize(input.rowShape)) {
    throw invalid(`Input '${input.name}' has shape ${formatShape(shape)}; Keel batches rows of a fixed size and serves the open dimensions of ${expected} (after the batch) at size 1.`);
  }
  return shape;
}

function checkDatatype(datatype: unknown, input: TensorInfo): void {
  if (datatype === "FP16" || datatype === "BF16") {
    throw invalid(`Input '${input.name}': datatype ${datatype} is not supported; send the values as ${V2_DATATYPE[input.type]}.`);
  }
  if (typeof datatype !== "string" || !ALL_DATATYPES.includes(datatype)) {
    throw invalid(`Input '${input.name}' has datatype ${describeValue(datatype)}; V2 datatypes are ${ALL_DATATYPES.join(", ")}.`);
  }
  if (!acceptedDatatypes(input.type).includes(datatype)) {
    throw invalid(`Input '${input.name}' is ${V2_DATATYPE[input.type]}; datatype ${datatype} cannot feed it. Send ${acceptedDatatypes(input.type).join(" or ")}.`);
  }
}

function readData(data: unknown, input: TensorInfo, shape: readonly number[]): TensorData {
  const size = shape.reduce((a, b) => a * b, 1);
  if (!Array.isArray(data)) throw invalid(`Input '${input.name}' needs 'data', a flat or nested list of ${size} values; got ${describeValue(data)}.`);
  const out = createTensor(input.type, size);
  if (isFloatType(input.type) && data.length === size) {
    let i = 0;
    for (; i < size; i++) {
      const v: unknown = data[i];
      if (typeof v !== "number") break;
      (out as Float32Array)[i] = v;
    }
    if (i === size) return out;
  }
  const state: FillState = { pos: 0, end: size, error: undefined };
  fillNested(out, input.type, data, state);
  if (state.error !== undefined) throw invalid(`Input '${input.name}', value ${state.pos}: ${state.error}.`);
  if (state.pos !== size) {
    throw invalid(`Input '${input.name}' has ${state.pos} values, but its shape ${formatShape(shape)} needs ${size}.`);
  }
  return out;
}

function requestedOutputs(value: unknown, model: ModelInterface): string[] | undefined {
  if (value === undefined) return undefined;
  const names = model.outputs.map((o) => o.name);
  if (!Array.isArray(value) || !value.every((o) => isObject(o) && typeof o.name === "string")) {
    throw invalid(`'outputs' must be a list of objects {"name": ...} naming outputs among ${names.join(", ")}; got ${describeValue(value)}.`);
  }
  const requested = (value as { name: string }[]).map((o) => o.name);
  const unknown = requested.filter((n) => !names.includes(n));
  if (unknown.length > 0) throw invalid(`Unknown outputs ${unknown.map((n) => `'${n}'`).join(", ")}; the model's outputs are ${names.join(", ")}.`);
  return requested;
}

export interface V2EncodeOptions {
  readonly modelName: string;
  readonly modelVersion?: string;
  readonly id?: string;
  readonly requestedOutputs?: readonly string[];
}

export interface V2Tensor {
  readonly name: string;
  readonly datatype: string;
  readonly shape: number[];
  readonly data: JsonScalar[];
}

export interface V2InferResponse {
  readonly model_name: string;
  readonly model_version?: string;
  readonly id?: string;
  readonly outputs: V2Tensor[];
}

/** The V2 inference response: the requested outputs (all, in model order, by default), data flat row-major. */
export function encodeV2Infer(out: OutputBatch, model: ModelInterface, options: V2EncodeOptions): V2InferResponse {
  const wanted = options.requestedOutputs ?? model.outputs.map((o) => o.name);
  const outputs: V2Tensor[] = [];
  for (const name of wanted) {
    const info = model.outputs.find((o) => o.name === name);
    const data = out.outputs[name];
    if (info === undefined || data === undefined) continue;
    outputs.push({ name, datatype: V2_DATATYPE[info.type], shape: outputShape(info.rowShape, out.rows, data.length), data: jsonList(data, info.type) });
  }
  return {
    model_name: options.modelName,
    ...(options.modelVersion === undefined ? {} : { model_version: options.modelVersion }),
    ...(options.id === undefined ? {} : { id: options.id }),
    outputs,
  };
}

export interface V2TensorMetadata {
  readonly name: string;
  readonly datatype: string;
  readonly shape: number[];
}

export interface V2ModelMetadata {
  readonly name: string;
  readonly versions: string[];
  readonly platform: string;
  readonly inputs: V2TensorMetadata[];
  readonly outputs: V2TensorMetadata[];
}

/** `GET /v2/models/{name}[/versions/{v}]`: the model's tensors with -1 for the batch dimension. */
export function v2ModelMetadata(model: ModelInterface, options: { name: string; versions: readonly string[]; platform: string }): V2ModelMetadata {
  const tensor = (t: TensorInfo): V2TensorMetadata => ({ name: t.name, datatype: V2_DATATYPE[t.type], shape: [-1, ...t.rowShape] });
  return { name: options.name, versions: [...options.versions], platform: options.platform, inputs: model.inputs.map(tensor), outputs: model.outputs.map(tensor) };
}

/** The body of every V2 error answer. */
export function v2ErrorBody(message: string): { error: string } {
  return { error: message };
}
