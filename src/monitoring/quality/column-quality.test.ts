import { describe, expect, it } from "vitest";
import type { Column } from "../../core/frame.js";
import { columnQuality, isConstant, parseDecimal } from "./column-quality.js";

const num = (name: string, values: ArrayLike<number>): Column => ({ kind: "number", name, values: Float64Array.from(values) });
const str = (name: string, values: (string | null)[]): Column => ({ kind: "string", name, values });

describe("parseDecimal", () => {
  it("reads decimal numbers as a CSV writes them and nothing else", () => {
    expect([" 12 ", "-1.5", "+.5", "3.", "1e-3", "2E+2"].map(parseDecimal)).toEqual([12, -1.5, 0.5, 3, 0.001, 200]);
    expect(["", " ", "0x10", "1_000", "Infinity", "NaN", "1,5", "abc"].map(parseDecimal)).toEqual(Array(8).fill(undefined));
  });
});

describe("isConstant", () => {
  it("ignores missing values and treats an empty or all-missing column as constant", () => {
    expect(isConstant(num("a", [NaN, 2, 2, NaN]))).toBe(true);
    expect(isConstant(num("a", [2, 3]))).toBe(false);
    expect(isConstant(num("a", [NaN, NaN]))).toBe(true);
    expect(isConstant(str("s", []))).toBe(true);
    expect(isConstant(str("s", [null, "x", "y"]))).toBe(false);
  });
});

describe("columnQuality", () => {
  it("compares a number reference with a number current as a categorical column by value", () => {
    const q = columnQuality(num("plan", [0, 1, 1]), num("plan", [1, 3, 2, 3, NaN]), "categorical");
    expect(q.newCategories).toEqual({ values: [2, 3], distinct: 2, count: 3, share: 0.75 });
    expect(q.outOfRange).toBeNull();
    expect(q.missing).toEqual({ reference: 0, current: 0.2 });
  });
});
