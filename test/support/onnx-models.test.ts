import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { identityModelOnnx, linearModelOnnx, perColumnModelOnnx } from "./onnx-models.js";

async function withSession<T>(bytes: Uint8Array, use: (s: ort.InferenceSession) => Promise<T>): Promise<T> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await use(session);
  } finally {
    await session.release();
  }
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe("linearModelOnnx", () => {
  it("computes sigmoid(x·w + b) for a batch of rows", async () => {
    const bytes = linearModelOnnx({ features: 3, weights: [1, 2, 3], bias: 0.5 });
    await withSession(bytes, async (session) => {
      expect(session.inputNames).toEqual(["input"]);
      expect(session.outputNames).toEqual(["probability"]);
      const input = new ort.Tensor("float32", Float32Array.from([1, 0, 0, 0, 1, 1]), [2, 3]);
      const out = (await session.run({ input })).probability;
      expect(out.dims).toEqual([2, 1]);
      const values = Array.from(out.data as Float32Array);
      expect(values[0]).toBeCloseTo(sigmoid(1.5), 5);
      expect(values[1]).toBeCloseTo(sigmoid(5.5), 5);
    });
  });

  it("can leave out the sigmoid and declares a symbolic batch dimension", async () => {
    await withSession(linearModelOnnx({ features: 2, sigmoid: false }), async (session) => {
      const meta = session.inputMetadata[0];
      expect(meta.isTensor && meta.type).toBe("float32");
      expect(meta.isTensor && meta.shape).toEqual(["N", 2]);
      const input = new ort.Tensor("float32", Float32Array.from([10, 20]), [1, 2]);
      const out = await session.run({ input });
      // default weights are 0.1 and 0.2
      expect((out.probability.data as Float32Array)[0]).toBeCloseTo(5, 5);
    });
  });
});

describe("perColumnModelOnnx", () => {
  it("takes one [N, 1] input per column and sums them with the weights", async () => {
    const bytes = perColumnModelOnnx(["age", "tenure"], { weights: [0.5, 2], bias: 1 });
    await withSession(bytes, async (session) => {
      expect(session.inputNames).toEqual(["age", "tenure"]);
      const age = new ort.Tensor("float32", Float32Array.from([40, 20]), [2, 1]);
      const tenure = new ort.Tensor("float32", Float32Array.from([3, 1]), [2, 1]);
      const out = (await session.run({ age, tenure })).output;
      expect(out.dims).toEqual([2, 1]);
      expect(Array.from(out.data as Float32Array)).toEqual([27, 13]);
    });
  });
});

describe("identityModelOnnx", () => {
  it("passes string, int64 and bool tensors through unchanged", async () => {
    const bytes = identityModelOnnx([
      { name: "plan", type: "string", dims: ["N", 1] },
      { name: "count", type: "int64", dims: ["N", 1] },
      { name: "flag", type: "bool", dims: ["N"] },
    ]);
    await withSession(bytes, async (session) => {
      const out = await session.run({
        plan: new ort.Tensor("string", ["basic", "pro"], [2, 1]),
        count: new ort.Tensor("int64", BigInt64Array.from([1n, 2n]), [2, 1]),
        flag: new ort.Tensor("bool", Uint8Array.from([1, 0]), [2]),
      });
      expect(out.plan_out.data).toEqual(["basic", "pro"]);
      expect(Array.from(out.count_out.data as BigInt64Array)).toEqual([1n, 2n]);
      expect(Array.from(out.flag_out.data as Uint8Array)).toEqual([1, 0]);
    });
  });
});
