import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";
import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { describeOnnxModel, onnxOpsetAndIrVersion, signatureFromOnnx } from "./onnx-signature.js";

const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;

function tensorValue(name: string, elemType: number, dims?: (number | string | null)[]): OnnxTypes.IValueInfoProto {
  const shape =
    dims === undefined
      ? undefined
      : { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : typeof d === "string" ? { dimParam: d } : {})) };
  return { name, type: { tensorType: { elemType, shape } } };
}

/** A linear model Y = X·W + B as an exporter writes it: X is [N, 3], W [3, 2], B [2], Y [N, 2]. */
function linearModel(extra: Partial<OnnxTypes.IGraphProto> = {}): Uint8Array {
  const graph: OnnxTypes.IGraphProto = {
    name: "linear",
    node: [
      { opType: "MatMul", input: ["X", "W"], output: ["XW"] },
      { opType: "Add", input: ["XW", "B"], output: ["Y"] },
    ],
    initializer: [
      { name: "W", dataType: DataType.FLOAT, dims: [3, 2], floatData: [1, 2, 3, 4, 5, 6] },
      { name: "B", dataType: DataType.FLOAT, dims: [2], floatData: [0.5, -0.5] },
    ],
    input: [tensorValue("X", DataType.FLOAT, ["N", 3])],
    output: [tensorValue("Y", DataType.FLOAT, ["N", 2])],
    ...extra,
  };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "keel-test",
    producerVersion: "0.1.0",
    opsetImport: [{ domain: "", version: 17 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

describe("signatureFromOnnx", () => {
  it("gives a named tensor spec per graph input and output, symbolic dims as -1", () => {
    expect(signatureFromOnnx(linearModel())).toEqual({
      inputs: [{ kind: "tensor", name: "X", dtype: "float32", shape: [-1, 3] }],
      outputs: [{ kind: "tensor", name: "Y", dtype: "float32", shape: [-1, 2] }],
    });
  });

  it("skips initializers that older exporters also list as graph inputs", () => {
    const bytes = linearModel({
      input: [
        tensorValue("X", DataType.FLOAT, [null, 3]),
        tensorValue("W", DataType.FLOAT, [3, 2]),
        tensorValue("B", DataType.FLOAT, [2]),
      ],
    });
    expect(signatureFromOnnx(bytes).inputs).toEqual([{ kind: "tensor", name: "X", dtype: "float32", shape: [-1, 3] }]);
  });

  it("maps ONNX element types to numpy dtype names", () => {
    const types: [number, string][] = [
      [DataType.FLOAT, "float32"],
      [DataType.DOUBLE, "float64"],
      [DataType.INT64, "int64"],
      [DataType.INT32, "int32"],
      [DataType.BOOL, "bool"],
      [DataType.STRING, "str"],
      [DataType.UINT8, "uint8"],
      [DataType.FLOAT16, "float16"],
    ];
    const bytes = linearModel({ input: types.map(([t], i) => tensorValue(`in${i}`, t, [1])) });
    expect(signatureFromOnnx(bytes).inputs.map((s) => (s.kind === "tensor" ? s.dtype : s.type))).toEqual(
      types.map(([, name]) => name),
    );
  });

  it("leaves out a classifier's ZipMap output and says why, without failing", () => {
    const zipMap: OnnxTypes.IValueInfoProto = {
      name: "output_probability",
      type: {
        sequenceType: {
          elemType: { mapType: { keyType: DataType.INT64, valueType: { tensorType: { elemType: DataType.FLOAT } } } },
        },
      },
    };
    const bytes = linearModel({
      output: [tensorValue("output_label", DataType.INT64, ["N"]), zipMap],
      input: [tensorValue("X", DataType.FLOAT, ["N", 3]), tensorValue("mask", DataType.BOOL)],
    });
    const info = describeOnnxModel(bytes);
    expect(info.signature.outputs).toEqual([{ kind: "tensor", name: "output_label", dtype: "int64", shape: [-1] }]);
    expect(info.skipped).toEqual([
      { role: "input", name: "mask", type: "tensor(bool)", reason: "its rank is unknown, and a tensor spec needs one" },
      {
        role: "output",
        name: "output_probability",
        type: "seq(map(int64,tensor(float)))",
        reason: "not a tensor; MLflow tensor specs cannot describe it",
      },
    ]);
  });

  it("reports IR version, opsets and producer", () => {
    expect(onnxOpsetAndIrVersion(linearModel())).toEqual({
      irVersion: 8,
      opsetVersion: 17,
      opsets: [{ domain: "", version: 17 }],
    });
    const info = describeOnnxModel(linearModel());
    expect([info.producerName, info.producerVersion]).toEqual(["keel-test", "0.1.0"]);
  });

  it("refuses bytes that are not an ONNX model", () => {
    expect(refusal(() => signatureFromOnnx(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).message).toMatch(
      /^not a readable ONNX model: /,
    );
    expect(refusal(() => signatureFromOnnx(new Uint8Array())).message).toBe(
      "the ONNX model has no graph; is this a ModelProto file?",
    );
  });
});
