import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import type { Column, Frame } from "../../core/frame.js";
import { checkDataQuality } from "./data-quality.js";
import type { ColumnQuality, DataQualityResult } from "./types.js";

const num = (name: string, values: ArrayLike<number>): Column => ({ kind: "number", name, values: Float64Array.from(values) });
const str = (name: string, values: (string | null)[]): Column => ({ kind: "string", name, values });
const frame = (...columns: Column[]): Frame => ({ columns, rowCount: columns[0]?.values.length ?? 0 });
const column = (result: DataQualityResult, name: string): ColumnQuality => {
  const found = result.columns.find((c) => c.column === name);
  if (!found) throw new Error(`no result for ${name}`);
  return found;
};
const checks = (result: DataQualityResult): string[] => result.issues.map((i) => `${i.column ?? "*"}:${i.check}`);

function refusal(run: () => unknown): KeelError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(KeelError);
    expect((e as KeelError).code).toBe("INVALID_PARAMETER_VALUE");
    return e as KeelError;
  }
  throw new Error("expected a refusal");
}

// price is numerical (fractions), city categorical text, plan a 0/1 integer column (categorical by Evidently's rule).
const reference = frame(
  num("price", [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5]),
  str("city", ["paris", "rome", "oslo", "paris", "rome", "oslo", "paris", "rome", "oslo", null]),
  num("plan", [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]),
);

describe("checkDataQuality", () => {
  it("passes a current table that looks like the reference", () => {
    const result = checkDataQuality(reference, reference);
    expect(result.passed).toBe(true);
    expect(result.issues).toEqual([]);
    expect(result.rows).toEqual({ reference: 10, current: 10 });
    expect(result.columns.map((c) => [c.column, c.kind])).toEqual([
      ["price", "numerical"],
      ["city", "categorical"],
      ["plan", "categorical"],
    ]);
    expect(column(result, "city").missing).toEqual({ reference: 0.1, current: 0.1 });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("flags a missing share that rose by more than maxMissingShareIncrease", () => {
    const current = frame(num("price", [1.5, NaN, NaN, 4.5, 5.5]), str("city", ["paris", null, "rome", "oslo", "rome"]), num("plan", [0, 1, 0, 1, 0]));
    const result = checkDataQuality(reference, current);
    expect(column(result, "price").missing).toEqual({ reference: 0, current: 0.4 });
    // city: 20% missing against 10%: a rise of exactly 0.1 is allowed.
    expect(column(result, "city").missing).toEqual({ reference: 0.1, current: 0.2 });
    expect(checks(result)).toEqual(["price:missing"]);
    expect(result.issues[0].message).toMatch(/40\.0% missing against 0\.0% in the reference.*maxMissingShareIncrease/);
    expect(checkDataQuality(reference, current, { maxMissingShareIncrease: 0.5 }).passed).toBe(true);
  });

  it("counts text that is not a number as a type mismatch when the reference holds numbers", () => {
    const current = frame(str("price", ["2.5", " 3e0 ", "n/a", null, "abc", "-1"]));
    const result = checkDataQuality(reference, current, { columns: ["price"] });
    const price = column(result, "price");
    expect(price.types).toEqual({ reference: "number", current: "string" });
    expect(price.typeMismatch).toBe(2);
    expect(price.missing.current).toBeCloseTo(1 / 6, 12);
    // The parsed values are range-checked: -1 of the 3 numbers is below the reference min 1.5.
    expect(price.outOfRange).toEqual({ count: 1, share: 1 / 3, referenceMin: 1.5, referenceMax: 10.5 });
    expect(checks(result)).toEqual(["price:missing", "price:type", "price:out_of_range"]);
  });

  it("compares numbers with a text reference as their decimal text, with no type mismatch", () => {
    const result = checkDataQuality(frame(str("zip", ["75001", "00100", null])), frame(num("zip", [75001, 100, NaN])));
    const zip = column(result, "zip");
    expect(zip.typeMismatch).toBe(0);
    expect(zip.newCategories).toEqual({ values: ["100"], distinct: 1, count: 1, share: 0.5 });
  });

  it("lists new categories, sorted, with their count and share of current values", () => {
    const current = frame(str("city", ["paris", "lima", "lima", "bern", null, "rome"]), num("plan", [0, 1, 2, 1, 0, 1]));
    const result = checkDataQuality(reference, current, { columns: ["city", "plan"] });
    expect(column(result, "city").newCategories).toEqual({ values: ["bern", "lima"], distinct: 2, count: 3, share: 3 / 5 });
    expect(column(result, "plan").newCategories).toEqual({ values: [2], distinct: 1, count: 1, share: 1 / 6 });
    expect(column(result, "city").outOfRange).toBeNull();
    expect(checks(result)).toEqual(["city:new_categories", "plan:new_categories"]);
    expect(result.issues[0].message).toContain("('bern', 'lima')");
    expect(checkDataQuality(reference, current, { columns: ["city", "plan"], maxNewCategoryShare: 0.6 }).passed).toBe(true);
  });

  it("lists the first 20 new categories and the total", () => {
    const many = Array.from({ length: 25 }, (_, i) => `c${String(i).padStart(2, "0")}`);
    const result = checkDataQuality(reference, frame(str("city", many)), { columns: ["city"] });
    const nc = column(result, "city").newCategories;
    expect(nc?.values).toEqual(many.slice(0, 20));
    expect(nc?.distinct).toBe(25);
    expect(result.issues[0].message).toContain("and 5 more");
  });

  it("counts values outside the reference range and flags them above maxOutOfRangeShare", () => {
    const current = frame(num("price", [1.5, 10.5, 0, 11, Infinity, NaN, 5, 6, 7, 8, 9]));
    const price = column(checkDataQuality(reference, current, { columns: ["price"] }), "price");
    // The bounds themselves are in range; 0, 11 and Infinity are not; NaN is missing, not out of range.
    expect(price.outOfRange).toEqual({ count: 3, share: 0.3, referenceMin: 1.5, referenceMax: 10.5 });
    expect(price.newCategories).toBeNull();
    expect(checkDataQuality(reference, current, { columns: ["price"], maxOutOfRangeShare: 0.3 }).passed).toBe(true);
  });

  it("flags a column that became constant, but not one that always was", () => {
    const ref = frame(num("a", [1.5, 2.5, 3.5]), str("b", ["x", "x", "x"]));
    const current = frame(num("a", [2.5, NaN, 2.5]), str("b", ["x", "x", null]));
    const result = checkDataQuality(ref, current, { maxMissingShareIncrease: 0.5 });
    expect(column(result, "a")).toMatchObject({ constant: true, referenceConstant: false });
    expect(column(result, "b")).toMatchObject({ constant: true, referenceConstant: true });
    expect(checks(result)).toEqual(["a:constant"]);
  });

  it("counts duplicate rows over the compared columns, against the reference's own share", () => {
    const ref = frame(num("a", [1.5, 2.5, 3.5, 4.5]), str("b", ["x", "y", "z", "w"]));
    const current = frame(num("a", [1.5, 1.5, NaN, NaN, 2.5, 1.5, -0, 0]), str("b", ["x", "x", null, null, "x", "y", "x", "x"]));
    const result = checkDataQuality(ref, current);
    // Row 1 repeats row 0; row 3 repeats row 2 (missing equals missing); row 7 repeats row 6 (-0 equals 0).
    expect(result.duplicateRows).toEqual({ count: 3, share: 3 / 8, referenceCount: 0, referenceShare: 0 });
    expect(checks(result)).toContain("*:duplicates");
    // Over column a alone, rows 1, 3, 5 and 7 repeat earlier rows.
    expect(checkDataQuality(ref, current, { columns: ["a"] }).duplicateRows.count).toBe(4);
  });

  it("does not flag duplicates the reference already had", () => {
    const ref = frame(str("b", ["x", "x", "y", "y"]));
    const result = checkDataQuality(ref, frame(str("b", ["x", "x", "y", "y"])));
    expect(result.duplicateRows).toMatchObject({ share: 0.5, referenceShare: 0.5 });
    expect(result.passed).toBe(true);
  });

  it("reports missing and extra columns", () => {
    const current = frame(num("price", [2.5]), str("extra", ["e"]));
    const result = checkDataQuality(reference, current);
    expect(result.missingColumns).toEqual(["city", "plan"]);
    expect(result.extraColumns).toEqual(["extra"]);
    expect(result.columns.map((c) => c.column)).toEqual(["price"]);
    expect(checks(result).filter((c) => c.endsWith("missing_column"))).toEqual(["city:missing_column", "plan:missing_column"]);
  });

  it("handles an empty current table without dividing by zero", () => {
    const current = frame(num("price", []), str("city", []), num("plan", []));
    const result = checkDataQuality(reference, current);
    expect(result.rows.current).toBe(0);
    expect(result.duplicateRows).toMatchObject({ count: 0, share: 0 });
    expect(column(result, "price")).toMatchObject({ missing: { reference: 0, current: 0 }, outOfRange: { count: 0, share: 0 }, constant: true });
    expect(column(result, "city").newCategories).toEqual({ values: [], distinct: 0, count: 0, share: 0 });
    // An empty batch carries no values at all: every varying column is flagged as constant.
    expect(checks(result)).toEqual(["price:constant", "city:constant", "plan:constant"]);
  });

  it("reports an all-missing column as missing and constant, and an all-missing reference as having no range", () => {
    const current = frame(num("price", [NaN, NaN]), str("city", [null, null]));
    const result = checkDataQuality(reference, current, { columns: ["price", "city"] });
    expect(column(result, "price").missing.current).toBe(1);
    expect(column(result, "city").missing.current).toBe(1);
    // The two all-missing rows are also the same row twice.
    expect(checks(result)).toEqual(["price:missing", "price:constant", "city:missing", "city:constant", "*:duplicates"]);

    const noRange = checkDataQuality(frame(num("x", [NaN, NaN])), frame(num("x", [1, 2])));
    expect(column(noRange, "x").outOfRange).toEqual({ count: 0, share: 0, referenceMin: null, referenceMax: null });
    expect(JSON.parse(JSON.stringify(noRange))).toEqual(noRange);
  });

  it("treats NaN in a number column and null in a text column as missing, but the text 'NaN' as a value", () => {
    const ref = frame(num("n", [1.5, 2.5]), str("s", ["a", "b"]));
    const current = frame(num("n", [NaN, 1.5, 2.5, 2]), str("s", [null, "NaN", "a", "b"]));
    const result = checkDataQuality(ref, current);
    expect(column(result, "n").missing.current).toBe(0.25);
    expect(column(result, "s").missing.current).toBe(0.25);
    expect(column(result, "s").newCategories).toMatchObject({ values: ["NaN"], count: 1 });
  });

  it("takes kind overrides and refuses bad input with what to do next", () => {
    const result = checkDataQuality(reference, reference, { kinds: { plan: "numerical" } });
    expect(column(result, "plan")).toMatchObject({ kind: "numerical", newCategories: null, outOfRange: { referenceMin: 0, referenceMax: 1 } });
    expect(refusal(() => checkDataQuality(reference, reference, { kinds: { city: "numerical" } })).message).toMatch(/check it as categorical/);
    expect(refusal(() => checkDataQuality(reference, reference, { columns: ["nope"] })).message).toMatch(/no column 'nope' in the reference table; its columns are 'price', 'city', 'plan'/);
    expect(refusal(() => checkDataQuality(reference, reference, { maxOutOfRangeShare: 2 })).message).toMatch(/between 0 and 1/);
    expect(refusal(() => checkDataQuality(frame(num("a", [])), reference)).message).toMatch(/reference table has no rows/);
  });
});
