import { describe, expect, it } from "vitest";
import { frameFromColumns, numberColumn, stringColumn } from "../data/frame-columns.js";
import { createColumnSelector } from "./column-selector.js";

const frame = frameFromColumns([
  numberColumn("age", [30, Number.NaN]),
  stringColumn("plan", ["basic", null]),
  numberColumn("income", [0.1, 2]),
]);

describe("createColumnSelector", () => {
  it("picks columns by name in its own order, whatever the table's order", () => {
    const selector = createColumnSelector(["income", "age"], "number");
    expect(selector.select(frame).map((c) => c.name)).toEqual(["income", "age"]);
    expect(Array.from(selector.toMatrix(frame).data)).toEqual([Math.fround(0.1), 30, 2, Number.NaN]);
  });

  it("names a missing column and the columns there are", () => {
    expect(() => createColumnSelector(["tenure"], "number").select(frame)).toThrow("no column 'tenure' in the table; its columns are 'age', 'plan', 'income'");
  });

  it("says how to fix a column whose kind changed since training", () => {
    expect(() => createColumnSelector(["plan"], "number").select(frame)).toThrow(/holds text here; read it with types: \{ "plan": "number" \}/);
    expect(() => createColumnSelector(["age"], "string").select(frame)).toThrow(/holds numbers here/);
  });
});
