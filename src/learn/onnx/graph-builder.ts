/**
 * Builds an ONNX model with onnx-proto (never hand-encoded bytes): preprocessing steps and fitted models add
 * their nodes through the OnnxGraphBuilder interface, then `finish` encodes the ModelProto.
 */
import onnxProto from "onnx-proto";
import type { onnx as Onnx } from "onnx-proto";
import type { OnnxAttribute, OnnxGraphBuilder } from "../types.js";

const { onnx } = onnxProto;

/** ONNX opsets Keel's exports use: ai.onnx 17 and ai.onnx.ml 3 (TreeEnsemble* with double attributes need 3). */
export const ONNX_OPSET = 17;
export const ONNX_ML_OPSET = 3;
const IR_VERSION = 8;

const ELEMENT_TYPE = { float: 1, int64: 7, string: 8, double: 11 } as const;
export type OnnxElementType = keyof typeof ELEMENT_TYPE;

export interface OnnxValue {
  readonly name: string;
  readonly type: OnnxElementType;
  /** A number is a fixed size; a string is symbolic (e.g. "N" for the batch). */
  readonly shape: readonly (number | string)[];
}

function attribute(name: string, value: OnnxAttribute): Onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === "number") return { name, type: AttributeType.FLOAT, f: value };
  if (typeof value === "string") return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => typeof v === "string")) {
      return { name, type: AttributeType.STRINGS, strings: (value as readonly string[]).map((v) => new TextEncoder().encode(v)) };
    }
    return { name, type: AttributeType.FLOATS, floats: [...(value as readonly number[])] };
  }
  if ("int" in (value as object)) return { name, type: AttributeType.INT, i: (value as { int: number }).int };
  return { name, type: AttributeType.INTS, ints: [...(value as { ints: readonly number[] }).ints] };
}

function valueInfo(value: OnnxValue): Onnx.IValueInfoProto {
  return {
    name: value.name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPE[value.type],
        shape: { dim: value.shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface OnnxModelBuilder extends OnnxGraphBuilder {
  /** Encodes the model with the given graph inputs and outputs. */
  finish(inputs: readonly OnnxValue[], outputs: readonly OnnxValue[], docString?: string): Uint8Array;
}

/** A new, empty graph named `graphName`. */
export function createOnnxModelBuilder(graphName: string): OnnxModelBuilder {
  const nodes: Onnx.INodeProto[] = [];
  const initializers: Onnx.ITensorProto[] = [];
  // Every name handed out, so that `name("x_1")` after two `name("x")` calls does not repeat `x_1`.
  const taken = new Set<string>();
  let usesMl = false;
  const builder: OnnxModelBuilder = {
    name(prefix) {
      let candidate = prefix;
      for (let n = 1; taken.has(candidate); n += 1) candidate = `${prefix}_${n}`;
      taken.add(candidate);
      return candidate;
    },
    node(opType, inputs, outputs, attributes = {}, domain = "") {
      if (domain === "ai.onnx.ml") usesMl = true;
      nodes.push({
        opType,
        domain,
        input: [...inputs],
        output: [...outputs],
        name: builder.name(opType),
        attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
      });
    },
    initializer(prefix, dims, values, type = "float") {
      const name = builder.name(prefix);
      const tensor: Onnx.ITensorProto = { name, dims: [...dims], dataType: ELEMENT_TYPE[type] };
      if (type === "string") tensor.stringData = (values as readonly string[]).map((v) => new TextEncoder().encode(v));
      else if (type === "int64") tensor.int64Data = Array.from(values as BigInt64Array, (v) => Number(v));
      else if (type === "double") tensor.doubleData = Array.from(values as Float64Array);
      else tensor.floatData = Array.from(values as Float32Array | Float64Array);
      initializers.push(tensor);
      return name;
    },
    finish(inputs, outputs, docString) {
      const opsetImport: Onnx.IOperatorSetIdProto[] = [{ domain: "", version: ONNX_OPSET }];
      if (usesMl) opsetImport.push({ domain: "ai.onnx.ml", version: ONNX_ML_OPSET });
      const model = onnx.ModelProto.create({
        irVersion: IR_VERSION,
        opsetImport,
        producerName: "keel",
        ...(docString ? { docString } : {}),
        graph: { name: graphName, node: nodes, initializer: initializers, input: inputs.map(valueInfo), output: outputs.map(valueInfo) },
      });
      return onnx.ModelProto.encode(model).finish();
    },
  };
  return builder;
}
