import { describe, expect, it } from "vitest";
import type { Column, Frame } from "../../core/frame.js";
import type { ColumnDriftResult, DriftResult } from "../drift/index.js";
import { barChart, driftCharts, histogramChart } from "./drift-charts.js";

const num = (name: string, values: readonly number[]): Column => ({ kind: "number", name, values: Float64Array.from(values) });
const str = (name: string, values: readonly (string | null)[]): Column => ({ kind: "string", name, values });
const frame = (...columns: Column[]): Frame => ({ columns, rowCount: columns[0].values.length });
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

function compared(...columns: [string, "numerical" | "categorical"][]): DriftResult {
  const results = columns.map(
    ([column, kind]): ColumnDriftResult => ({
      column, kind, stattest: "ks", threshold: 0.05, statistic: 0, pValue: 1, drifted: false,
      referenceRows: 0, currentRows: 0, missing: { reference: 0, current: 0 },
    }),
  );
  return { columns: results, driftedColumns: 0, share: 0, driftShare: 0.5, datasetDrift: false };
}

describe("histogramChart", () => {
  it("bins both samples on shared edges over the combined finite range, as shares of non-missing values", () => {
    const reference = Float64Array.from({ length: 100 }, (_, i) => i);
    const current = Float64Array.from([...Array.from({ length: 50 }, (_, i) => i + 100), NaN, Infinity]);
    const chart = histogramChart("x", reference, current);
    expect(chart.edges).toHaveLength(31);
    expect(chart.edges[0]).toBe(0);
    expect(chart.edges[30]).toBe(149);
    expect(sum(chart.reference)).toBeCloseTo(1, 12);
    expect(sum(chart.current)).toBeCloseTo(1, 12);
    expect(chart.current.slice(0, 20).every((s) => s === 0)).toBe(true);
    expect(chart.reference.slice(21).every((s) => s === 0)).toBe(true);
  });

  it("uses fewer bins when the column holds few distinct values, and one bin for a constant column", () => {
    const few = histogramChart("x", Float64Array.of(0, 1, 2, 2), Float64Array.of(2, 2, 1, 0));
    expect(few.edges).toHaveLength(4);
    expect(few.reference).toEqual([0.25, 0.25, 0.5]);
    const constant = histogramChart("x", Float64Array.of(7, 7), Float64Array.of(7));
    expect(constant.edges).toEqual([6.5, 7.5]);
    expect([constant.reference, constant.current]).toEqual([[1], [1]]);
  });

  it("stays fast on a million rows", () => {
    const big = Float64Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i) * 100);
    const chart = histogramChart("x", big, big.map((v) => v + 5));
    expect(chart.edges).toHaveLength(31);
    expect(sum(chart.current)).toBeCloseTo(1, 9);
  });
});

describe("barChart", () => {
  it("draws categories by frequency over both samples, ties by label, and drops missing values", () => {
    const chart = barChart("plan", str("plan", ["pro", "basic", "basic", null]), str("plan", ["max", "max", "pro", "pro"]));
    expect(chart.labels).toEqual(["pro", "basic", "max"]);
    expect(chart.reference).toEqual([1 / 3, 2 / 3, 0]);
    expect(chart.current).toEqual([0.5, 0, 0.5]);
    expect(chart.otherCategories).toBe(0);
  });

  it("folds categories beyond the top ones into one 'other' bar", () => {
    const values = Array.from({ length: 30 }, (_, i) => `c${String(i).padStart(2, "0")}`);
    const chart = barChart("c", str("c", [...values, "c00"]), str("c", values));
    expect(chart.labels).toHaveLength(21);
    expect(chart.labels[0]).toBe("c00");
    expect(chart.labels[20]).toBe("other");
    expect(chart.otherCategories).toBe(10);
    expect(chart.current[20]).toBeCloseTo(10 / 30, 12);
    expect(sum(chart.reference)).toBeCloseTo(1, 12);
  });

  it("labels integer-coded categories by their value", () => {
    const chart = barChart("k", num("k", [1, 1, 0, NaN]), num("k", [0, 2]));
    expect(chart.labels).toEqual(["0", "1", "2"]);
    expect(chart.reference).toEqual([1 / 3, 2 / 3, 0]);
  });
});

describe("driftCharts", () => {
  it("gives one chart per compared column, in the result's order, by the column's kind", () => {
    const reference = frame(num("age", [1.5, 2.5, 3.5]), str("plan", ["a", "b", "a"]), num("flag", [0, 1, 1]));
    const current = frame(num("flag", [1, 1, 1]), str("plan", ["b", "b", "a"]), num("age", [2.5, 4.5, 5]));
    const charts = driftCharts(reference, current, compared(["plan", "categorical"], ["age", "numerical"], ["flag", "categorical"]));
    expect(charts.map((c) => [c.column, c.type])).toEqual([["plan", "bars"], ["age", "histogram"], ["flag", "bars"]]);
  });

  it("names a compared column that a frame lacks", () => {
    expect(() => driftCharts(frame(num("a", [1])), frame(num("a", [1])), compared(["b", "numerical"]))).toThrow(/no column 'b' in the reference table/);
  });
});
