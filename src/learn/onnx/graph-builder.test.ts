import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { createOnnxModelBuilder } from "./graph-builder.js";

describe("createOnnxModelBuilder", () => {
  it("never hands out the same name twice", () => {
    const graph = createOnnxModelBuilder("g");
    const names = [graph.name("x"), graph.name("x"), graph.name("x_1"), graph.name("x")];
    expect(new Set(names).size).toBe(4);
  });

  it("builds a model onnxruntime runs, with ai.onnx.ml nodes and initializers", async () => {
    const graph = createOnnxModelBuilder("g");
    graph.node("Scaler", ["x"], ["s"], { offset: [1, 2], scale: [2, 0.5] }, "ai.onnx.ml");
    const w = graph.initializer("W", [2, 1], Float32Array.from([1, 1]));
    graph.node("MatMul", ["s", w], ["y"]);
    const session = await ort.InferenceSession.create(graph.finish([{ name: "x", type: "float", shape: ["N", 2] }], [{ name: "y", type: "float", shape: ["N", 1] }]));
    const out = await session.run({ x: new ort.Tensor("float32", Float32Array.from([3, 4]), [1, 2]) });
    expect(Array.from(out.y.data as Float32Array)).toEqual([5]);
    await session.release();
  });
});
