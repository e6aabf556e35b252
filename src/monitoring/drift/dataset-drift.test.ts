import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import type { Column, Frame } from "../../core/frame.js";
import { detectDrift } from "./dataset-drift.js";

const num = (name: string, values: ArrayLike<number>): Column => ({
  kind: "number",
  name,
  values: Float64Array.from(values),
});
const str = (name: string, values: (string | null)[]): Column => ({ kind: "string", name, values });
const frame = (...columns: Column[]): Frame => ({ columns, rowCount: columns[0]?.values.length ?? 0 });
const cycle = <T>(values: readonly T[], n: number): T[] =>
  Array.from({ length: n }, (_, i) => values[i % values.length]);
const ramp = (n: number, shift = 0): number[] => Array.from({ length: n }, (_, i) => i / n + 0.001 + shift);

// 200 rows: price drifts (shifted ramp), city and size do not, plan drifts (binary share changes).
const reference = frame(
  num("price", ramp(200)),
  str("city", cycle(["paris", "rome", "oslo"], 200)),
  num("size", cycle([1.5, 2.5, 3.5], 200)),
  str("plan", cycle(["free", "free", "free", "paid"], 200)),
);
const current = frame(
  num("price", ramp(200, 0.5)),
  str("city", cycle(["oslo", "paris", "rome"], 200)),
  num("size", cycle([1.5, 2.5, 3.5], 200)),
  str("plan", cycle(["free", "paid"], 200)),
);

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

describe("detectDrift", () => {
  it("tests every column with its default test and reports the share of drifted columns", () => {
    const result = detectDrift(reference, current);
    const byName = Object.fromEntries(result.columns.map((c) => [c.column, c]));
    expect(result.columns.map((c) => c.column)).toEqual(["price", "city", "size", "plan"]);
    expect(byName.price).toMatchObject({ kind: "numerical", stattest: "ks", threshold: 0.05, drifted: true });
    expect(byName.city).toMatchObject({ kind: "categorical", stattest: "chisquare", drifted: false });
    expect(byName.size).toMatchObject({ kind: "numerical", stattest: "chisquare", drifted: false });
    expect(byName.plan).toMatchObject({ kind: "categorical", stattest: "z", drifted: true });
    expect(result).toMatchObject({ driftedColumns: 2, share: 0.5, driftShare: 0.5 });
    // Evidently's rule is share >= drift_share: exactly half drifted is dataset drift.
    expect(result.datasetDrift).toBe(true);
  });

  it("is not dataset drift when the share is below driftShare", () => {
    expect(detectDrift(reference, current, { driftShare: 0.75 })).toMatchObject({ share: 0.5, datasetDrift: false });
  });

  it("compares only the columns asked for", () => {
    const result = detectDrift(reference, current, { columns: ["city", "size"] });
    expect(result).toMatchObject({ driftedColumns: 0, share: 0, datasetDrift: false });
    expect(result.columns).toHaveLength(2);
  });

  it("applies a test and threshold to every column, and per-column settings over them", () => {
    const result = detectDrift(reference, current, {
      columns: ["price", "size", "city"],
      stattest: "psi",
      stattestThreshold: 0.2,
      perColumn: { city: { stattest: "jensenshannon" }, size: { threshold: 0.05 } },
    });
    expect(result.columns.map((c) => [c.column, c.stattest, c.threshold])).toEqual([
      ["price", "psi", 0.2],
      ["size", "psi", 0.05],
      ["city", "jensenshannon", 0.2],
    ]);
    expect(result.columns[0].drifted).toBe(true);
    expect(result.columns[0].pValue).toBeUndefined();
  });

  it("overrides a column's kind", () => {
    const result = detectDrift(reference, current, { columns: ["size"], perColumn: { size: { kind: "categorical" } } });
    expect(result.columns[0]).toMatchObject({ kind: "categorical", stattest: "chisquare" });
  });

  it("returns plain JSON: a distance test has no pValue key", () => {
    const result = detectDrift(reference, current, { stattest: "jensenshannon" });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(Object.keys(result.columns[0])).not.toContain("pValue");
    expect(result.columns[0].missing).toEqual({ reference: 0, current: 0 });
  });
});

describe("detectDrift refusals", () => {
  it("a column missing from a table, naming the available ones", () => {
    const e = refusal(() => detectDrift(frame(num("price", [1])), current, { columns: ["price", "city"] }));
    expect(e.message).toBe("no column 'city' in the reference table; its columns are 'price'");
    const e2 = refusal(() => detectDrift(reference, current, { columns: ["prize"] }));
    expect(e2.message).toBe(
      "no column 'prize' in the reference table; its columns are 'price', 'city', 'size', 'plan'",
    );
  });

  it("an unknown test, listing the known ones", () => {
    const e = refusal(() => detectDrift(reference, current, { stattest: "ztest" as never }));
    expect(e.message).toBe(
      "unknown stattest 'ztest' in `stattest`; known stattests are ks, chisquare, z, wasserstein, jensenshannon, psi, cramer_von_mises",
    );
    const e2 = refusal(() => detectDrift(reference, current, { perColumn: { city: { stattest: "t" as never } } }));
    expect(e2.message).toMatch(/unknown stattest 't' for column 'city'; known stattests are ks, /);
  });

  it("a test that does not fit a column's kind", () => {
    const e = refusal(() => detectDrift(reference, current, { stattest: "ks" }));
    expect(e.message).toMatch(/stattest 'ks' does not apply to categorical column 'city'/);
  });

  it("an empty column", () => {
    const empty = frame(str("note", [null, null]));
    const e = refusal(() => detectDrift(empty, frame(str("note", ["a"]))));
    expect(e.message).toMatch(/column 'note' has no non-missing value in the reference table/);
  });

  it("nothing to compare, a perColumn entry for a column not compared, a driftShare outside [0, 1]", () => {
    expect(refusal(() => detectDrift(reference, frame())).message).toMatch(/no column to compare/);
    const stray = refusal(() => detectDrift(reference, current, { columns: ["city"], perColumn: { price: {} } }));
    expect(stray.message).toMatch(/perColumn names column 'price', which is not among the columns compared: city/);
    const share = refusal(() => detectDrift(reference, current, { driftShare: 1.5 }));
    expect(share.message).toMatch(/driftShare must be between 0 and 1/);
  });
});
