import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { ModelSignature } from "../core/model-signature.js";
import { KeelError } from "../core/errors.js";
import { linearModelOnnx, perColumnModelOnnx } from "../../test/support/onnx-models.js";
import { describeOnnxInputs, prepareFeeds } from "./onnx-feeds.js";

describe("prepareFeeds on real models", () => {
  it("builds a [batch, C] tensor from rows in column order, cycling rows as asked", async () => {
    const session = await ort.InferenceSession.create(linearModelOnnx({ features: 2, weights: [1, 10], sigmoid: false }));
    try {
      const rows = { columns: ["a", "b"], rows: [[1, 2], ["3", "4"]] };
      const feeds = prepareFeeds(describeOnnxInputs(session), rows, { batchSize: 3, maxRows: 100 });
      const feed = feeds.batch([0, 1, 0]);
      expect(feed.input.dims).toEqual([3, 2]);
      const out = await session.run(feed);
      expect(Array.from(out.probability.data as Float32Array)).toEqual([21, 43, 21]);
    } finally {
      await session.release();
    }
  });

  it("builds one [batch, 1] tensor per column, matched by name", async () => {
    const session = await ort.InferenceSession.create(perColumnModelOnnx(["age", "tenure"], { weights: [1, 100] }));
    try {
      const rows = { columns: ["tenure", "age"], rows: [[2, 30], [5, 60]] };
      const feed = prepareFeeds(describeOnnxInputs(session), rows, { batchSize: 2, maxRows: 100 }).batch([0, 1]);
      expect(feed.age.dims).toEqual([2, 1]);
      const out = await session.run(feed);
      expect(Array.from(out.output.data as Float32Array)).toEqual([230, 560]);
    } finally {
      await session.release();
    }
  });
});

describe("describeOnnxInputs without metadata", () => {
  const names = (inputNames: string[]) => ({ inputNames });

  it("takes the element type and shape from the signature's tensor spec", () => {
    const signature: ModelSignature = { inputs: [{ kind: "tensor", dtype: "float64", shape: [-1, 4] }], outputs: [] };
    expect(describeOnnxInputs(names(["x"]), signature)).toEqual([{ name: "x", type: "float64", dims: [-1, 4] }]);
  });

  it("maps MLflow column types to element types", () => {
    const signature: ModelSignature = {
      inputs: ["double", "float", "long", "integer", "string", "boolean"].map((type) => ({
        kind: "column" as const,
        name: `c_${type}`,
        type,
        required: true,
      })),
      outputs: [],
    };
    const inputs = describeOnnxInputs(names(signature.inputs.map((i) => i.name ?? "")), signature);
    expect(inputs.map((i) => i.type)).toEqual(["float64", "float32", "int64", "int32", "string", "bool"]);
  });

  it("uses the columns' common type for a single input, and float32 when nothing says", () => {
    const signature: ModelSignature = {
      inputs: [
        { kind: "column", name: "a", type: "double", required: true },
        { kind: "column", name: "b", type: "double", required: true },
      ],
      outputs: [],
    };
    expect(describeOnnxInputs(names(["input"]), signature)[0].type).toBe("float64");
    expect(describeOnnxInputs(names(["input"]))[0]).toEqual({ name: "input", type: "float32", dims: null });
  });

  it("converts values by that type and refuses what does not fit", () => {
    const inputs = [{ name: "n", type: "int32", dims: null }];
    const feed = prepareFeeds(inputs, { columns: ["n"], rows: [["7"], [true]] }, { batchSize: 2, maxRows: 10 }).batch([0, 1]);
    expect(Array.from(feed.n.data as Int32Array)).toEqual([7, 1]);
    expect(feed.n.dims).toEqual([2, 1]);
    const refuse = () => prepareFeeds(inputs, { columns: ["n"], rows: [[null]] }, { batchSize: 1, maxRows: 10 });
    expect(refuse).toThrow(KeelError);
    expect(refuse).toThrow("input 'n' is int32, but row 0 column 'n' of the sample data has null");
    const floats = [{ name: "x", type: "float64", dims: null }];
    const nan = prepareFeeds(floats, { columns: ["x"], rows: [[null], ["NaN"]] }, { batchSize: 2, maxRows: 10 }).batch([0, 1]);
    expect(Array.from(nan.x.data as Float64Array).every(Number.isNaN)).toBe(true);
  });

  it("refuses element types it cannot feed", () => {
    const inputs = [{ name: "h", type: "float16", dims: null }];
    expect(() => prepareFeeds(inputs, { columns: ["h"], rows: [[1]] }, { batchSize: 1, maxRows: 1 })).toThrow(
      /input 'h' is of element type float16; the latency check feeds tensors of float32, float64/,
    );
  });
});
