import { describe, expect, it } from "vitest";
import type { Tree } from "./tree.js";
import { leafCount, predictTree, treeDepth, treeFromJson, treeToJson } from "./tree.js";

// Root splits feature 1 at float32(0.1); its right child splits feature 0 at -2 with NaN going right.
const TREE: Tree = {
  feature: Int32Array.from([1, -1, 0, -1, -1]),
  threshold: Float64Array.from([Math.fround(0.1), 0, -2, 0, 0]),
  left: Int32Array.from([1, -1, 3, -1, -1]),
  right: Int32Array.from([2, -1, 4, -1, -1]),
  missingGoesLeft: Uint8Array.from([1, 0, 0, 0, 0]),
  value: Float64Array.from([0.5, 0.5, 1, 0, 0.2, 0.8, 0.6, 0.4, 0, 1]),
  outputs: 2,
};

describe("predictTree", () => {
  it("compares in float32, as ONNX runtimes do", () => {
    // Above the threshold in float64, equal to it once rounded to float32: goes left.
    const justAbove = Math.fround(0.1) + 1e-12;
    expect(justAbove).toBeGreaterThan(TREE.threshold[0]);
    expect(predictTree(TREE, Float64Array.from([0, justAbove]))).toBe(1);
    expect(predictTree(TREE, Float64Array.from([0, 0.2]))).toBe(4);
    expect(predictTree(TREE, Float64Array.from([-3, 0.2]))).toBe(3);
  });

  it("sends NaN the way missingGoesLeft says", () => {
    expect(predictTree(TREE, Float64Array.from([0, Number.NaN]))).toBe(1);
    expect(predictTree(TREE, Float64Array.from([Number.NaN, 5]))).toBe(4);
  });

  it("reads a row at an offset of a matrix's data", () => {
    const data = Float64Array.from([9, 9, -3, 0.2]);
    expect(predictTree(TREE, data, 2)).toBe(3);
  });
});

describe("tree JSON", () => {
  it("round-trips every value exactly", () => {
    const back = treeFromJson(JSON.parse(JSON.stringify(treeToJson(TREE))));
    expect(back).toEqual(TREE);
    expect(leafCount(back)).toBe(3);
    expect(treeDepth(back)).toBe(2);
  });

  it("rejects node arrays of different lengths", () => {
    const json = { ...treeToJson(TREE), left: [1, -1] };
    expect(() => treeFromJson(json)).toThrow(/malformed/);
  });
});
