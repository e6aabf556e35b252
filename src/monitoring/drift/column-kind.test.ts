import { describe, expect, it } from "vitest";
import type { Column } from "../../core/frame.js";
import { inferColumnKind } from "./column-kind.js";

const num = (values: number[]): Column => ({ kind: "number", name: "x", values: Float64Array.from(values) });
const str = (values: (string | null)[]): Column => ({ kind: "string", name: "x", values });

describe("inferColumnKind follows Evidently's infer_column_type", () => {
  it("calls fractional numbers numerical, however few distinct values", () => {
    expect(inferColumnKind(num([0.5, 1.5, 0.5, 1.5]))).toBe("numerical");
  });

  it("calls whole numbers with at most 10 distinct values categorical", () => {
    expect(inferColumnKind(num([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2]))).toBe("categorical");
  });

  it("calls whole numbers with 11 distinct values numerical", () => {
    expect(inferColumnKind(num([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]))).toBe("numerical");
  });

  it("calls whole numbers with a missing value numerical, as pandas reads them as float64", () => {
    expect(inferColumnKind(num([1, 2, Number.NaN]))).toBe("numerical");
  });

  it("calls booleans (read as 0/1) categorical", () => {
    expect(inferColumnKind(num([0, 1, 1, 0]))).toBe("categorical");
  });

  it("calls text categorical, even nearly unique text", () => {
    expect(inferColumnKind(str(["a", "b", null]))).toBe("categorical");
    expect(inferColumnKind(str(["id-1", "id-2", "id-3"]))).toBe("categorical");
  });
});
