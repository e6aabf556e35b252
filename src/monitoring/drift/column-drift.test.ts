import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import type { Column } from "../../core/frame.js";
import { chiSquareTest, cramerVonMises2Samp, jensenShannon, ks2Samp, psi, wassersteinNorm, zTest } from "../stats/index.js";
import { categoricalPsi, columnDrift, driftSamples } from "./column-drift.js";
import type { ColumnDriftInput } from "./column-drift.js";
import type { ColumnKind } from "./types.js";

const num = (values: ArrayLike<number>, name = "x"): Column => ({
  kind: "number",
  name,
  values: Float64Array.from(values),
});
const str = (values: (string | null)[], name = "x"): Column => ({ kind: "string", name, values });

/** Deterministic normal sample (mulberry32 + Box–Muller). */
function normals(n: number, seed: number, mean = 0, sd = 1): Float64Array {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return Float64Array.from({ length: n }, () => mean + sd * gaussian());
}

const cycle = <T>(values: readonly T[], n: number): T[] =>
  Array.from({ length: n }, (_, i) => values[i % values.length]);

/** columnDrift with positional samples, so that cases read in one line. */
const drift = (reference: Column, current: Column, kind: ColumnKind, more: Partial<ColumnDriftInput> = {}) =>
  columnDrift({ reference, current, kind, ...more });

describe("driftSamples", () => {
  it("drops NaN and ±Infinity from numbers and counts them as missing", () => {
    const s = driftSamples(num([1, Number.NaN, Infinity, 2]), num([-Infinity, 3]));
    expect([...s.reference]).toEqual([1, 2]);
    expect([...s.current]).toEqual([3]);
    expect([s.missingReference, s.missingCurrent]).toEqual([2, 1]);
  });

  it("codes text by the sorted distinct strings of both samples", () => {
    const s = driftSamples(str(["b", null, "a"]), str(["c", "a"]));
    expect([...s.reference]).toEqual([1, 0]);
    expect([...s.current]).toEqual([2, 0]);
    expect(s.missingReference).toBe(1);
  });
});

describe("columnDrift picks Evidently's default test", () => {
  it("Cramér–von Mises when asked for, on numerical columns only, drifting at p <= threshold as Evidently does", () => {
    const ref = normals(400, 11);
    const cur = normals(300, 12, 0.4);
    const result = drift(num(ref), num(cur), "numerical", { stattest: "cramer_von_mises" });
    const expected = cramerVonMises2Samp(ref, cur);
    expect(result).toMatchObject({ stattest: "cramer_von_mises", threshold: 0.05, statistic: expected.statistic, pValue: expected.pValue });
    expect(result.drifted).toBe(expected.pValue <= 0.05);
    expect(() => drift(str(["a", "b"]), str(["a"]), "categorical", { stattest: "cramer_von_mises" })).toThrow(/does not apply to categorical/);
  });

  it("KS for a numerical column with up to 1000 reference rows", () => {
    const ref = normals(300, 1);
    const cur = normals(200, 2, 1);
    const r = columnDrift({ reference: num(ref), current: num(cur), kind: "numerical" });
    const expected = ks2Samp(ref, cur);
    expect(r).toMatchObject({ stattest: "ks", threshold: 0.05, statistic: expected.statistic });
    expect(r.pValue).toBe(expected.pValue);
    expect(r.drifted).toBe(true);
  });

  it("chi-square for a numerical column with 3 to 5 distinct values", () => {
    const ref = cycle([0.5, 1.5, 2.5, 3.5], 400);
    const cur = cycle([0.5, 1.5, 2.5, 3.5, 3.5], 400);
    const r = columnDrift({ reference: num(ref), current: num(cur), kind: "numerical" });
    expect(r.stattest).toBe("chisquare");
    expect(r.pValue).toBe(chiSquareTest(Float64Array.from(ref), Float64Array.from(cur)).pValue);
  });

  it("chi-square for a categorical column with more than 2 categories", () => {
    const r = drift(str(cycle(["a", "b", "c"], 300)), str(cycle(["a", "b", "c"], 90)), "categorical");
    expect(r).toMatchObject({ stattest: "chisquare", threshold: 0.05, statistic: 0, pValue: 1, drifted: false });
  });

  it("Z-test for a binary column, with the same p-value as on codes", () => {
    const ref = cycle(["no", "no", "yes"], 300);
    const cur = cycle(["no", "yes", "yes"], 300);
    const r = columnDrift({ reference: str(ref), current: str(cur), kind: "categorical" });
    const codes = (v: string[]): Float64Array => Float64Array.from(v, (s) => (s === "no" ? 0 : 1));
    const expected = zTest(codes(ref), codes(cur));
    expect(r).toMatchObject({ stattest: "z", statistic: expected.statistic, pValue: expected.pValue, drifted: true });
  });

  it("normed Wasserstein for a numerical column above 1000 reference rows", () => {
    const ref = normals(1500, 3);
    const stable = columnDrift({ reference: num(ref), current: num(normals(1200, 4)), kind: "numerical" });
    expect(stable.stattest).toBe("wasserstein");
    expect(stable.threshold).toBe(0.1);
    expect(stable.pValue).toBeUndefined();
    expect(stable.drifted).toBe(false);
    const shifted = normals(1200, 4, 0.5);
    const drifted = columnDrift({ reference: num(ref), current: num(shifted), kind: "numerical" });
    expect(drifted.statistic).toBe(wassersteinNorm(ref, shifted).statistic);
    expect(drifted.drifted).toBe(true);
  });

  it("Jensen–Shannon for a categorical column above 1000 reference rows", () => {
    const ref = cycle(["a", "b", "c", "d"], 2000);
    const cur = cycle(["a", "a", "a", "b", "c", "d"], 600);
    const r = columnDrift({ reference: str(ref), current: str(cur), kind: "categorical" });
    const codes = (v: string[]): Float64Array => Float64Array.from(v, (s) => s.charCodeAt(0) - 97);
    expect(r.stattest).toBe("jensenshannon");
    expect(r.statistic).toBe(jensenShannon(codes(ref), codes(cur), { categorical: true }).statistic);
    expect(r.drifted).toBe(r.statistic >= 0.1);
  });

  it("Jensen–Shannon for a numerical column with few values above 1000 reference rows", () => {
    const r = drift(num(cycle([0.1, 0.2, 0.3], 1200)), num(cycle([0.1, 0.2, 0.3], 30)), "numerical");
    expect(r).toMatchObject({ stattest: "jensenshannon", statistic: 0, drifted: false });
  });

  it("counts reference rows after dropping missing values, as Evidently does", () => {
    const ref = [...normals(1000, 5), Number.NaN, Number.NaN];
    const r = columnDrift({ reference: num(ref), current: num(normals(100, 6)), kind: "numerical" });
    expect(r).toMatchObject({ stattest: "ks", referenceRows: 1000, currentRows: 100 });
    expect(r.missing).toEqual({ reference: 2, current: 0 });
  });
});

describe("columnDrift with a chosen test and threshold", () => {
  const ref = normals(400, 7);
  const cur = normals(400, 8, 0.18);

  it("turns a drifted KS verdict (p ≈ 0.0006) stable with a lower threshold", () => {
    const { pValue } = ks2Samp(ref, cur);
    expect(pValue).toBeGreaterThan(0.0001);
    expect(pValue).toBeLessThan(0.05);
    expect(columnDrift({ reference: num(ref), current: num(cur), kind: "numerical" }).drifted).toBe(true);
    const strict = columnDrift({ reference: num(ref), current: num(cur), kind: "numerical", threshold: 0.0001 });
    expect(strict).toMatchObject({ threshold: 0.0001, drifted: false });
  });

  it("runs PSI on numbers with Keel's reference-quantile bins", () => {
    const r = columnDrift({ reference: num(ref), current: num(cur), kind: "numerical", stattest: "psi" });
    expect(r).toMatchObject({ stattest: "psi", threshold: 0.1, statistic: psi(ref, cur).statistic });
    expect(r.drifted).toBe(r.statistic >= 0.1);
  });

  it("runs PSI on categories with one bin per category and Evidently's empty-bin share", () => {
    const r = drift(str(["a", "a", "b"]), str(["a", "b", "b", "c"]), "categorical", { stattest: "psi" });
    const refShares = [2 / 3, 1 / 3, 0.0001];
    const curShares = [1 / 4, 1 / 2, 1 / 4];
    const expected = refShares.reduce((sum, p, i) => sum + (p - curShares[i]) * Math.log(p / curShares[i]), 0);
    expect(r.statistic).toBeCloseTo(expected, 12);
    expect(r.drifted).toBe(true);
    expect(categoricalPsi(Float64Array.of(0, 1), Float64Array.of(1, 0)).statistic).toBe(0);
  });

  it("tests whole numbers as categories when asked", () => {
    const r = drift(num(cycle([1, 2, 3], 90)), num(cycle([1, 2, 3], 60)), "categorical");
    expect(r).toMatchObject({ kind: "categorical", stattest: "chisquare", drifted: false });
  });
});

describe("columnDrift refusals", () => {
  const refuse = (run: () => unknown, message: RegExp): void => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe("INVALID_PARAMETER_VALUE");
    expect((error as KeelError).message).toMatch(message);
  };

  it("a test that does not fit the kind, naming the ones that do", () => {
    refuse(
      () => drift(str(["a"], "city"), str(["b"], "city"), "categorical", { stattest: "ks" }),
      /stattest 'ks' does not apply to categorical column 'city'; use one of chisquare, z, jensenshannon, psi/,
    );
    refuse(
      () => columnDrift({ reference: num([1.5]), current: num([2.5]), kind: "numerical", stattest: "chisquare" }),
      /does not apply to numerical column 'x'; use one of ks, wasserstein, jensenshannon, psi, cramer_von_mises/,
    );
  });

  it("text declared numerical", () => {
    refuse(() => drift(str(["a"]), str(["b"]), "numerical"), /holds text.*set its kind to categorical/);
  });

  it("a column that is empty once missing values are dropped", () => {
    refuse(
      () => drift(num([Number.NaN, Number.NaN], "age"), num([1, 2], "age"), "numerical"),
      /column 'age' has no non-missing value in the reference table/,
    );
    refuse(() => drift(str(["a"]), str([null]), "categorical"), /in the current table/);
  });

  it("numbers in one table and text in the other", () => {
    refuse(() => drift(num([1]), str(["1"]), "categorical"), /numbers in the reference table but text/);
  });

  it("the Z-test on more than two categories", () => {
    refuse(
      () => columnDrift({ reference: str(["a", "b", "c"]), current: str(["a"]), kind: "categorical", stattest: "z" }),
      /needs a binary column.*use chisquare/,
    );
  });

  it("a negative or non-finite threshold", () => {
    refuse(() => drift(num([1.5]), num([1.5]), "numerical", { threshold: -1 }), /finite number >= 0/);
    refuse(() => drift(num([1.5]), num([1.5]), "numerical", { threshold: Number.NaN }), /finite/);
  });
});
