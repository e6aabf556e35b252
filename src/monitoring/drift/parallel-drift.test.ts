import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import type { Column, Frame } from "../../core/frame.js";
import { numericDriftStatistics } from "../stats/numeric-drift-statistics.js";
import { detectDrift } from "./dataset-drift.js";
import { createDriftPool } from "./drift-pool.js";
import { detectDriftParallel, numericDriftStatisticsParallel } from "./parallel-drift.js";

const num = (name: string, values: ArrayLike<number>): Column => ({ kind: "number", name, values: Float64Array.from(values) });
const str = (name: string, values: (string | null)[]): Column => ({ kind: "string", name, values });
const frame = (...columns: Column[]): Frame => ({ columns, rowCount: columns[0]?.values.length ?? 0 });
/** Deterministic values with ties, NaN and ±Infinity, large enough for the radix sort. */
const wave = (n: number, phase: number): number[] =>
  Array.from({ length: n }, (_, i) => (i % 97 === 0 ? Number.NaN : i % 211 === 0 ? -Infinity : Math.round(Math.sin(i * 0.37 + phase) * 1000) / 100));

const N = 8000;
const reference = frame(
  num("price", wave(N, 0)),
  str("city", Array.from({ length: N }, (_, i) => (i % 13 === 0 ? null : ["paris", "rome", "oslo"][i % 3]))),
  num("size", Array.from({ length: N }, (_, i) => (i % 4) + 0.5)),
  num("age", wave(N, 1)),
);
const current = frame(
  num("price", wave(N, 0.2).map((v) => v * 1.1)),
  str("city", Array.from({ length: N }, (_, i) => ["paris", "rome", "oslo", "oslo"][i % 4])),
  num("size", Array.from({ length: N }, (_, i) => (i % 3) + 0.5)),
  num("age", wave(N, 1)),
);

describe("detectDriftParallel", () => {
  it("gives detectDrift's result exactly, for numeric and text columns, default and chosen tests", async () => {
    expect(await detectDriftParallel(reference, current, { threads: 2 })).toEqual(detectDrift(reference, current));
    const options = { perColumn: { price: { stattest: "ks" as const }, age: { stattest: "psi" as const } }, driftShare: 0.25 };
    expect(await detectDriftParallel(reference, current, { ...options, threads: 2 })).toEqual(detectDrift(reference, current, options));
  });

  it("runs inline with one thread and gives the same result", async () => {
    expect(await detectDriftParallel(reference, current, { threads: 1 })).toEqual(detectDrift(reference, current));
  });

  it("fails with detectDrift's error for the first failing column", async () => {
    const options = { columns: ["price", "city", "missing"], perColumn: { city: { stattest: "ks" as const, kind: "numerical" as const } } };
    const expected = (() => {
      try {
        detectDrift(reference, current, options);
      } catch (e) {
        return e as KeelError;
      }
      throw new Error("detectDrift should refuse");
    })();
    const error = await detectDriftParallel(reference, current, { ...options, threads: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe(expected.code);
    expect((error as KeelError).message).toBe(expected.message);
  });

  it("leaves the caller's columns as they were", async () => {
    const before = [...(reference.columns[0].values as Float64Array)];
    await detectDriftParallel(reference, current, { threads: 2 });
    expect([...(reference.columns[0].values as Float64Array)]).toEqual(before);
  });
});

describe("numericDriftStatisticsParallel", () => {
  it("equals numericDriftStatistics on each pair, in pair order", async () => {
    const pairs = [0, 1, 2].map((k) => ({ reference: Float64Array.from(wave(N, k)), current: Float64Array.from(wave(N + k * 100, k + 0.5)) }));
    const tests = ["ks", "psi", "wasserstein"] as const;
    expect(await numericDriftStatisticsParallel(pairs, tests, { threads: 2 })).toEqual(
      pairs.map((p) => numericDriftStatistics(p.reference, p.current, tests)),
    );
  });
});

describe("createDriftPool", () => {
  it("rejects the jobs still pending when it is closed", async () => {
    const pool = createDriftPool(1);
    const big = Float64Array.from(wave(200_000, 0));
    const pending = pool.run({ type: "statistics", reference: big, current: big, tests: ["ks"] });
    const refusal = expect(pending).rejects.toThrow(/closed/);
    await pool.close();
    await refusal;
  });
});
