/**
 * A model signature read off an ONNX graph: one tensor spec per graph input and output, so that a model
 * logged by Keel carries the same `signature` block MLflow users would give it by hand.
 */
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";
import { KeelError, invalidParameter } from "./errors.js";
import type { ModelSignature, TensorSpec } from "./model-signature.js";

const { onnx } = onnxProto;

type ValueInfo = OnnxTypes.IValueInfoProto;
type TypeInfo = OnnxTypes.ITypeProto;
type Int64 = number | { toNumber(): number } | null | undefined;

/**
 * numpy dtype names for ONNX TensorProto.DataType codes (onnx.helper.tensor_dtype_to_np_dtype), which is what
 * MLflow's TensorSpec writes. STRING is "str" rather than onnx's "object" because MLflow's clean_tensor_type
 * turns the string arrays it is served into dtype "str"; types numpy lacks use onnx's ml_dtypes names.
 */
const NUMPY_DTYPES: Readonly<Record<number, string>> = {
  1: "float32",
  2: "uint8",
  3: "int8",
  4: "uint16",
  5: "int16",
  6: "int32",
  7: "int64",
  8: "str",
  9: "bool",
  10: "float16",
  11: "float64",
  12: "uint32",
  13: "uint64",
  14: "complex64",
  15: "complex128",
  16: "bfloat16",
  17: "float8_e4m3fn",
  18: "float8_e4m3fnuz",
  19: "float8_e5m2",
  20: "float8_e5m2fnuz",
  21: "uint4",
  22: "int4",
  23: "float4_e2m1fn",
};

/** ONNX's own names for the same codes, used to describe values that are not plain tensors. */
const ONNX_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: "float",
  2: "uint8",
  3: "int8",
  4: "uint16",
  5: "int16",
  6: "int32",
  7: "int64",
  8: "string",
  9: "bool",
  10: "float16",
  11: "double",
  12: "uint32",
  13: "uint64",
  14: "complex64",
  15: "complex128",
  16: "bfloat16",
};

/** A graph input or output that a TensorSpec cannot describe, such as a classifier's ZipMap output. */
export interface OnnxSkippedValue {
  readonly role: "input" | "output";
  readonly name: string;
  /** ONNX's notation, e.g. `seq(map(int64,tensor(float)))`. */
  readonly type: string;
  readonly reason: string;
}

export interface OnnxOpset {
  /** "" (or "ai.onnx") is the default operator set; "ai.onnx.ml" holds the classic ML operators. */
  readonly domain: string;
  readonly version: number;
}

export interface OnnxModelInfo {
  readonly irVersion: number;
  /** The version of the default ("" / "ai.onnx") operator set, or undefined when the model imports none. */
  readonly opsetVersion: number | undefined;
  readonly opsets: readonly OnnxOpset[];
  readonly producerName: string;
  readonly producerVersion: string;
  readonly signature: ModelSignature;
  readonly skipped: readonly OnnxSkippedValue[];
}

/**
 * Decode an ONNX ModelProto and describe it: IR and opset versions, and a tensor signature of its graph.
 * Initializers that old exporters also list as inputs are left out, as onnxruntime does.
 */
export function describeOnnxModel(bytes: Uint8Array): OnnxModelInfo {
  const model = decodeModel(bytes);
  const graph = model.graph;
  if (!graph) throw invalidParameter("the ONNX model has no graph; is this a ModelProto file?");
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ""));
  const skipped: OnnxSkippedValue[] = [];
  const realInputs = (graph.input ?? []).filter((v) => !initializers.has(v.name ?? ""));
  const inputs = toSpecs(realInputs, "input", skipped);
  const outputs = toSpecs(graph.output ?? [], "output", skipped);
  const opsets = (model.opsetImport ?? []).map((o) => ({ domain: o.domain ?? "", version: toNumber(o.version) }));
  return {
    irVersion: toNumber(model.irVersion),
    opsetVersion: opsets.find((o) => o.domain === "" || o.domain === "ai.onnx")?.version,
    opsets,
    producerName: model.producerName ?? "",
    producerVersion: model.producerVersion ?? "",
    signature: { inputs, outputs },
    skipped,
  };
}

/** The tensor signature of an ONNX model's graph; values that are not tensors are left out. */
export function signatureFromOnnx(bytes: Uint8Array): ModelSignature {
  return describeOnnxModel(bytes).signature;
}

export function onnxOpsetAndIrVersion(bytes: Uint8Array): {
  irVersion: number;
  opsetVersion: number | undefined;
  opsets: readonly OnnxOpset[];
} {
  const { irVersion, opsetVersion, opsets } = describeOnnxModel(bytes);
  return { irVersion, opsetVersion, opsets };
}

function decodeModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `not a readable ONNX model: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function toSpecs(values: readonly ValueInfo[], role: "input" | "output", skipped: OnnxSkippedValue[]): TensorSpec[] {
  const specs: TensorSpec[] = [];
  for (const value of values) {
    const name = value.name ?? "";
    const type = value.type ?? undefined;
    const skip = (reason: string): void => {
      skipped.push({ role, name, type: typeName(type), reason });
    };
    const tensor = type?.tensorType;
    if (!tensor) {
      skip("not a tensor; MLflow tensor specs cannot describe it");
      continue;
    }
    const dtype = NUMPY_DTYPES[tensor.elemType ?? 0];
    if (dtype === undefined) {
      skip(`element type ${tensor.elemType ?? 0} has no numpy name`);
      continue;
    }
    if (!tensor.shape) {
      skip("its rank is unknown, and a tensor spec needs one");
      continue;
    }
    const shape = (tensor.shape.dim ?? []).map(dimension);
    specs.push({ kind: "tensor", name, dtype, shape });
  }
  return specs;
}

/** A symbolic dimension (dim_param, e.g. "N") or a missing one can take any size: MLflow's -1. */
function dimension(dim: OnnxTypes.TensorShapeProto.IDimension): number {
  // Decoded messages name the member of the dim_value/dim_param oneof that was set.
  return (dim as { value?: string }).value === "dimValue" ? toNumber(dim.dimValue) : -1;
}

function typeName(type: TypeInfo | undefined): string {
  if (!type) return "unknown";
  if (type.tensorType) return `tensor(${ONNX_TYPE_NAMES[type.tensorType.elemType ?? 0] ?? type.tensorType.elemType})`;
  if (type.sequenceType) return `seq(${typeName(type.sequenceType.elemType ?? undefined)})`;
  if (type.mapType) {
    const key = ONNX_TYPE_NAMES[type.mapType.keyType ?? 0] ?? String(type.mapType.keyType);
    return `map(${key},${typeName(type.mapType.valueType ?? undefined)})`;
  }
  if (type.optionalType) return `optional(${typeName(type.optionalType.elemType ?? undefined)})`;
  if (type.sparseTensorType) {
    return `sparse_tensor(${ONNX_TYPE_NAMES[type.sparseTensorType.elemType ?? 0] ?? type.sparseTensorType.elemType})`;
  }
  return "unknown";
}

function toNumber(value: Int64): number {
  if (value === null || value === undefined) return 0;
  return typeof value === "number" ? value : value.toNumber();
}
