import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import type { Tree } from "../trees/tree.js";
import { predictTree } from "../trees/tree.js";
import { createOnnxModelBuilder } from "./graph-builder.js";
import { treeEnsembleClassifierToOnnx, treeEnsembleRegressorToOnnx } from "./tree-ensemble-onnx.js";
import type { TreeEnsembleClassifierOnnxOptions } from "./tree-ensemble-onnx.js";

/** A stump on `feature` at `threshold` with the given left and right leaf values. */
function stump(feature: number, threshold: number, leftValue: readonly number[], rightValue: readonly number[], missingGoesLeft = 1): Tree {
  const outputs = leftValue.length;
  return {
    feature: Int32Array.from([feature, -1, -1]),
    threshold: Float64Array.from([Math.fround(threshold), 0, 0]),
    left: Int32Array.from([1, -1, -1]),
    right: Int32Array.from([2, -1, -1]),
    missingGoesLeft: Uint8Array.from([missingGoesLeft, 0, 0]),
    value: Float64Array.from([...new Array<number>(outputs).fill(0), ...leftValue, ...rightValue]),
    outputs,
  };
}

const ROWS = [
  [0.1, 5],
  [0.3, -2],
  [0.3000001, 1],
  [0.9, 0],
  [Number.NaN, 3],
  [2, Number.NaN],
];

async function run(bytes: Uint8Array, rows: readonly (readonly number[])[]): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  const data = Float32Array.from(rows.flat());
  const out = await session.run({ x: new ort.Tensor("float32", data, [rows.length, rows[0].length]) });
  await session.release();
  return out;
}

async function classify(trees: readonly Tree[], options: TreeEnsembleClassifierOnnxOptions): Promise<{ label: number[]; probabilities: number[][] }> {
  const graph = createOnnxModelBuilder("test");
  const { label, probabilities } = treeEnsembleClassifierToOnnx(graph, "x", trees, options);
  const bytes = graph.finish(
    [{ name: "x", type: "float", shape: ["N", 2] }],
    [
      { name: label, type: "int64", shape: ["N"] },
      { name: probabilities, type: "float", shape: ["N", options.classes] },
    ],
  );
  const out = await run(bytes, ROWS);
  const labels = Array.from(out[label].data as BigInt64Array, Number);
  const probs = Array.from(out[probabilities].data as Float32Array);
  return { label: labels, probabilities: ROWS.map((_, r) => probs.slice(r * options.classes, (r + 1) * options.classes)) };
}

function leafSums(trees: readonly Tree[], row: readonly number[]): number[] {
  const sums = new Array<number>(trees[0].outputs).fill(0);
  for (const tree of trees) {
    const leaf = predictTree(tree, Float64Array.from(row));
    for (let k = 0; k < tree.outputs; k++) sums[k] += tree.value[leaf * tree.outputs + k];
  }
  return sums;
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

describe("treeEnsembleClassifierToOnnx", () => {
  it("gives [1 - p, p] for a binary raw score with LOGISTIC, and the label score > 0", async () => {
    // All-positive leaf weights: onnxruntime's own binary path would skip the logistic here.
    const trees = [stump(0, 0.3, [0.2], [1.5]), stump(1, 0.5, [0.1], [0.4], 0)];
    const base = -1;
    const out = await classify(trees, { classes: 2, aggregate: "sum", baseValues: [base], postTransform: "LOGISTIC", binaryScore: true });
    ROWS.forEach((row, r) => {
      const score = leafSums(trees, row)[0] + base;
      const p = 1 / (1 + Math.exp(-score));
      expect(out.probabilities[r][1]).toBeCloseTo(p, 6);
      expect(out.probabilities[r][0]).toBeCloseTo(1 - p, 6);
      expect(out.label[r]).toBe(score > 0 ? 1 : 0);
    });
    expect(new Set(out.label)).toEqual(new Set([0, 1]));
  });

  it("sends NaN the way missingGoesLeft says", async () => {
    const left = await classify([stump(0, 0.5, [-3], [3], 1)], { classes: 2, aggregate: "sum", postTransform: "LOGISTIC", binaryScore: true });
    const right = await classify([stump(0, 0.5, [-3], [3], 0)], { classes: 2, aggregate: "sum", postTransform: "LOGISTIC", binaryScore: true });
    expect(left.label[4]).toBe(0);
    expect(right.label[4]).toBe(1);
  });

  it("applies SOFTMAX over 3 classes with base values and labels the argmax", async () => {
    const trees = [stump(0, 0.3, [1, 0, -1], [-0.5, 0.5, 2]), stump(1, 1, [0, 0.3, 0.1], [0.2, -0.2, 0])];
    const base = [0.1, 0.2, -0.3];
    const out = await classify(trees, { classes: 3, aggregate: "sum", baseValues: base, postTransform: "SOFTMAX" });
    ROWS.forEach((row, r) => {
      const scores = leafSums(trees, row).map((s, k) => s + base[k]);
      const max = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - max));
      const total = exps.reduce((a, b) => a + b, 0);
      exps.forEach((e, k) => expect(out.probabilities[r][k]).toBeCloseTo(e / total, 6));
      expect(out.label[r]).toBe(argmax(scores));
    });
  });

  it("averages the trees' leaf probabilities, with ties going to the lower class as in numpy", async () => {
    const trees = [stump(0, 0.3, [1, 0], [0, 1]), stump(1, 0.5, [0.25, 0.75], [0, 1]), stump(0, 0.9, [0.5, 0.5], [0, 1])];
    const out = await classify(trees, { classes: 2, aggregate: "average", postTransform: "NONE" });
    ROWS.forEach((row, r) => {
      const mean = leafSums(trees, row).map((s) => s / trees.length);
      expect(out.probabilities[r][0]).toBeCloseTo(mean[0], 6);
      expect(out.probabilities[r][1]).toBeCloseTo(mean[1], 6);
      expect(out.label[r]).toBe(argmax(mean));
    });
    // Row 0 reaches [1,0], [0,1] and [0.5,0.5]: an exact tie.
    expect(out.probabilities[0]).toEqual([0.5, 0.5]);
    expect(out.label[0]).toBe(0);
  });

  it("averages 3-class probability trees", async () => {
    const trees = [stump(0, 0.3, [1, 0, 0], [0, 0.5, 0.5]), stump(1, 0.5, [0, 0, 1], [0.2, 0.8, 0])];
    const out = await classify(trees, { classes: 3, aggregate: "average", postTransform: "NONE" });
    ROWS.forEach((row, r) => {
      const mean = leafSums(trees, row).map((s) => s / trees.length);
      mean.forEach((m, k) => expect(out.probabilities[r][k]).toBeCloseTo(m, 6));
      expect(out.label[r]).toBe(argmax(mean));
    });
  });

  it("rejects base values for two classes without binaryScore", () => {
    const graph = createOnnxModelBuilder("test");
    expect(() => treeEnsembleClassifierToOnnx(graph, "x", [stump(0, 0, [1, 0], [0, 1])], { classes: 2, aggregate: "sum", baseValues: [0, 0], postTransform: "NONE" })).toThrow(/binaryScore/);
  });
});

describe("treeEnsembleRegressorToOnnx", () => {
  it("sums or averages leaf values and adds the base value", async () => {
    const trees = [stump(0, 0.3, [1.5], [-2]), stump(1, 0.5, [10], [20])];
    for (const aggregate of ["sum", "average"] as const) {
      const graph = createOnnxModelBuilder("test");
      const { prediction } = treeEnsembleRegressorToOnnx(graph, "x", trees, { aggregate, baseValues: [0.5] });
      const bytes = graph.finish([{ name: "x", type: "float", shape: ["N", 2] }], [{ name: prediction, type: "float", shape: ["N", 1] }]);
      const out = await run(bytes, ROWS);
      const values = Array.from(out[prediction].data as Float32Array);
      ROWS.forEach((row, r) => {
        const sum = leafSums(trees, row)[0];
        expect(values[r]).toBeCloseTo((aggregate === "sum" ? sum : sum / 2) + 0.5, 5);
      });
    }
  });
});
