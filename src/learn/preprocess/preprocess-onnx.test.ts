import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { createOnnxModelBuilder } from "../onnx/graph-builder.js";
import type { Matrix } from "../types.js";
import { createColumnSelector } from "./column-selector.js";
import { fitOneHotEncoder } from "./one-hot-encoder.js";
import { fitSimpleImputer } from "./simple-imputer.js";
import { fitStandardScaler } from "./standard-scaler.js";
import { frameFromColumns, numberColumn } from "../data/frame-columns.js";

// Each step's in-process transform must be what onnxruntime computes from its exported nodes, bit for bit,
// so that a pipeline's in-process and ONNX predictions agree.

async function run(model: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  const result = await session.run(feeds);
  return result.out.data as Float32Array;
}

describe("preprocessing steps in onnxruntime", () => {
  it("imputer then scaler give exactly the in-process float32 values", async () => {
    const values = [
      [1.1, 1e6 + 0.37, -2.5],
      [Number.NaN, 3.3e-7, 12.25],
      [7.7, Number.NaN, Number.NaN],
      [0.3, 1e6 - 12.1, 4.75],
      [-4.4, 5.55, 1 / 3],
    ];
    const frame = frameFromColumns(["a", "b", "c"].map((name, c) => numberColumn(name, values.map((row) => row[c]))));
    const selector = createColumnSelector(["a", "b", "c"], "number");
    const x: Matrix = selector.toMatrix(frame);
    const imputer = fitSimpleImputer(x, { strategy: "mean" });
    const scaler = fitStandardScaler(imputer.transform(x));
    const expected = scaler.transform(imputer.transform(x));

    const graph = createOnnxModelBuilder("steps");
    const joined = selector.toOnnx(graph, ["a", "b", "c"]);
    graph.node("Identity", [scaler.toOnnx(graph, imputer.toOnnx(graph, joined))], ["out"]);
    const model = graph.finish(
      ["a", "b", "c"].map((name) => ({ name, type: "float" as const, shape: ["N", 1] })),
      [{ name: "out", type: "float", shape: ["N", 3] }],
    );
    const feeds = Object.fromEntries(
      ["a", "b", "c"].map((name, c) => [name, new ort.Tensor("float32", Float32Array.from(values, (row) => row[c]), [values.length, 1])]),
    );
    expect(Array.from(await run(model, feeds))).toEqual(Array.from(expected.data));
  });

  it("one-hot encoding matches, unknown categories and the empty string (missing) included", async () => {
    const encoder = fitOneHotEncoder("plan", ["basic", "premium", null, "basic", "Gold"]);
    const graph = createOnnxModelBuilder("one_hot");
    graph.node("Identity", [encoder.toOnnx(graph, "plan")], ["out"]);
    const model = graph.finish([{ name: "plan", type: "string", shape: ["N", 1] }], [{ name: "out", type: "float", shape: ["N", encoder.categories.length] }]);
    const rows: (string | null)[] = ["premium", "platinum", null, "Gold", "basic"];
    const out = await run(model, { plan: new ort.Tensor("string", rows.map((v) => v ?? ""), [rows.length, 1]) });
    expect(Array.from(out)).toEqual(Array.from(encoder.transform(rows).data));
  });
});
