/**
 * Small, real ONNX models for tests, written with onnx-proto (never hand-encoded bytes) so that
 * onnxruntime-node loads them exactly as it loads a model exported by skl2onnx or Keel's learners.
 */
import onnxProto from "onnx-proto";
import type { onnx as Onnx } from "onnx-proto";

const { onnx } = onnxProto;

const OPSET = 17;
const IR_VERSION = 8;

/** ONNX TensorProto.DataType codes for the element types the tests use. */
export const ONNX_ELEMENT_TYPES = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  float64: 11,
} as const;

export type OnnxElementType = keyof typeof ONNX_ELEMENT_TYPES;

/** A dimension: a number is fixed, a string is symbolic (like "N" for the batch). */
export type OnnxDim = number | string;

export interface LinearModelOptions {
  readonly features: number;
  /** One weight per feature; default (i + 1) / 10 for feature i. */
  readonly weights?: readonly number[];
  /** Default 0. */
  readonly bias?: number;
  /** Apply a Sigmoid after the Add, as a logistic regression does; default true. */
  readonly sigmoid?: boolean;
}

export interface PerColumnModelOptions {
  /** One weight per column; default 1 each, so the output is the sum of the columns. */
  readonly weights?: readonly number[];
  /** Default 0. */
  readonly bias?: number;
}

export interface IdentityInput {
  readonly name: string;
  readonly type: OnnxElementType;
  readonly dims: readonly OnnxDim[];
}

function valueInfo(name: string, type: OnnxElementType, dims: readonly OnnxDim[]): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ONNX_ELEMENT_TYPES[type],
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function floatInitializer(name: string, dims: readonly number[], values: readonly number[]): Onnx.ITensorProto {
  return { name, dims: [...dims], dataType: ONNX_ELEMENT_TYPES.float32, floatData: [...values] };
}

function encodeModel(graph: Onnx.IGraphProto): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: "", version: OPSET }],
    producerName: "keel-tests",
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

function checkWeights(weights: readonly number[], expected: number): void {
  if (weights.length !== expected) {
    throw new Error(`expected ${expected} weights, got ${weights.length}`);
  }
}

/**
 * One float32 input `input` [N, features]; MatMul + Add (+ Sigmoid) → `probability` [N, 1].
 * @example linearModelOnnx({ features: 3, weights: [1, 2, 3], bias: 0.5 })
 */
export function linearModelOnnx(options: LinearModelOptions): Uint8Array {
  const { features, bias = 0, sigmoid = true } = options;
  const weights = options.weights ?? Array.from({ length: features }, (_, i) => (i + 1) / 10);
  checkWeights(weights, features);
  const sum = sigmoid ? "logit" : "probability";
  const nodes: Onnx.INodeProto[] = [
    { name: "matmul", opType: "MatMul", input: ["input", "W"], output: ["product"] },
    { name: "add", opType: "Add", input: ["product", "B"], output: [sum] },
  ];
  if (sigmoid) nodes.push({ name: "sigmoid", opType: "Sigmoid", input: ["logit"], output: ["probability"] });
  return encodeModel({
    name: "linear",
    node: nodes,
    initializer: [floatInitializer("W", [features, 1], weights), floatInitializer("B", [1], [bias])],
    input: [valueInfo("input", "float32", ["N", features])],
    output: [valueInfo("probability", "float32", ["N", 1])],
  });
}

/**
 * One float32 input per column, each [N, 1]; Concat (axis 1), MatMul + Add → `output` [N, 1].
 * @example perColumnModelOnnx(["age", "tenure"], { weights: [0.5, 2] })
 */
export function perColumnModelOnnx(columns: readonly string[], options: PerColumnModelOptions = {}): Uint8Array {
  const { bias = 0 } = options;
  const weights = options.weights ?? columns.map(() => 1);
  checkWeights(weights, columns.length);
  return encodeModel({
    name: "per_column",
    node: [
      {
        name: "concat",
        opType: "Concat",
        input: [...columns],
        output: ["features"],
        attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      },
      { name: "matmul", opType: "MatMul", input: ["features", "W"], output: ["product"] },
      { name: "add", opType: "Add", input: ["product", "B"], output: ["output"] },
    ],
    initializer: [floatInitializer("W", [columns.length, 1], weights), floatInitializer("B", [1], [bias])],
    input: columns.map((c) => valueInfo(c, "float32", ["N", 1])),
    output: [valueInfo("output", "float32", ["N", 1])],
  });
}

/**
 * One Identity node per input (any element type) → `<name>_out`; for testing how feeds are typed and shaped.
 * @example identityModelOnnx([{ name: "plan", type: "string", dims: ["N", 1] }])
 */
export function identityModelOnnx(inputs: readonly IdentityInput[]): Uint8Array {
  return encodeModel({
    name: "identity",
    node: inputs.map((i) => ({ name: `id_${i.name}`, opType: "Identity", input: [i.name], output: [`${i.name}_out`] })),
    input: inputs.map((i) => valueInfo(i.name, i.type, i.dims)),
    output: inputs.map((i) => valueInfo(`${i.name}_out`, i.type, i.dims)),
  });
}
