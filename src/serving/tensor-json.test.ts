import { describe, expect, it } from "vitest";
import { jsonList, nestedList, outputShape } from "./tensor-json.js";

describe("tensor-json", () => {
  it("writes int64 as numbers, bool as booleans and float32 as the double it widens to, as numpy's tolist() does", () => {
    expect(jsonList(BigInt64Array.from([-3n, 2n ** 40n]), "int64")).toEqual([-3, 2 ** 40]);
    expect(jsonList(Uint8Array.from([1, 0]), "bool")).toEqual([true, false]);
    expect(JSON.stringify(jsonList(Float32Array.from([0.7, NaN]), "float32"))).toBe("[0.699999988079071,null]");
    expect(jsonList(["a", "b", "c"], "string", 1, 2)).toEqual(["b", "c"]);
  });

  it("nests a flat tensor by its full shape", () => {
    expect(nestedList(Int32Array.from([1, 2, 3, 4, 5, 6]), "int32", [2, 3])).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(nestedList(Int32Array.from([1, 2, 3, 4]), "int32", [2, 1, 2])).toEqual([[[1, 2]], [[3, 4]]]);
    expect(nestedList(Int32Array.from([1, 2]), "int32", [2])).toEqual([1, 2]);
  });

  it("resolves an output's open row dimension from its length", () => {
    expect(outputShape([], 3, 3)).toEqual([3]);
    expect(outputShape([2], 3, 6)).toEqual([3, 2]);
    expect(outputShape([-1, 2], 3, 12)).toEqual([3, 2, 2]);
  });
});
