import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { besselK, cramerVonMises2Samp } from "./cramer-von-mises.js";
import { closeTo, loadFixture, toFloat64 } from "./fixtures/load-fixture.js";

interface CvmCase {
  readonly name: string;
  readonly reference: readonly (number | null)[];
  readonly current: readonly (number | null)[];
  readonly statistic: number;
  readonly pvalue: number;
  readonly method: "exact" | "asymptotic";
}

const fixture = loadFixture<CvmCase>("cvm.json");

describe("cramerVonMises2Samp against scipy.stats.cramervonmises_2samp", () => {
  for (const c of fixture.cases) {
    it(`${c.name}: statistic to 1e-12, p-value to 1e-8 relative`, () => {
      const result = cramerVonMises2Samp(toFloat64(c.reference), toFloat64(c.current));
      expect(result.method).toBe(c.method);
      expect(Math.abs(result.statistic - c.statistic)).toBeLessThanOrEqual(1e-12);
      // A p-value below 1e-8 is 1 − cdf with cdf within 1e-8 of 1: scipy's own value is only determined to a few
      // ulps of 1 (~1e-15 absolute), so it is compared absolutely there.
      const same = c.pvalue < 1e-8 ? Math.abs(result.pValue - c.pvalue) <= 5e-15 : closeTo(result.pValue, c.pvalue, 1e-8);
      expect(same, `p ${result.pValue} vs scipy ${c.pvalue}`).toBe(true);
    });
  }
});

describe("the Cramér–von Mises test's pieces and inputs", () => {
  it("computes K_1/4 as scipy.special.kv does", () => {
    // scipy.special.kv(0.25, q) for q = 0.01, 0.5, 3, 20.
    expect(closeTo(besselK(0.25, 0.01), 6.165741264139234, 1e-12)).toBe(true);
    expect(closeTo(besselK(0.25, 0.5), 0.9603163249318826, 1e-12)).toBe(true);
    expect(closeTo(besselK(0.25, 3), 0.03505705608941314, 1e-12)).toBe(true);
    expect(closeTo(besselK(0.25, 20), 5.750002072403683e-10, 1e-12)).toBe(true);
  });

  it("drops NaN and refuses a sample with fewer than two values", () => {
    const withNaN = cramerVonMises2Samp(Float64Array.of(1, Number.NaN, 2, 3), Float64Array.of(2, 4, 5));
    expect(withNaN).toEqual(cramerVonMises2Samp(Float64Array.of(1, 2, 3), Float64Array.of(2, 4, 5)));
    expect(() => cramerVonMises2Samp(Float64Array.of(1), Float64Array.of(1, 2))).toThrow(KeelError);
  });
});
