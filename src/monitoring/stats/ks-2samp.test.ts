import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { closeTo, loadFixture, toFloat64 } from "./fixtures/load-fixture.js";
import { ks2Samp } from "./ks-2samp.js";

interface KsCase {
  readonly name: string;
  readonly reference: readonly (number | null)[];
  readonly current: readonly (number | null)[];
  readonly statistic: number;
  readonly pvalue: number;
  readonly method: "exact" | "asymp";
}

const fixture = loadFixture<KsCase>("ks.json");

describe("ks2Samp against scipy.stats.ks_2samp", () => {
  for (const c of fixture.cases) {
    it(`${c.name}: statistic to 1e-12, p-value to 1e-8 relative`, () => {
      const result = ks2Samp(toFloat64(c.reference), toFloat64(c.current));
      expect(result.method).toBe(c.method);
      expect(Math.abs(result.statistic - c.statistic)).toBeLessThanOrEqual(1e-12);
      expect(closeTo(result.pValue, c.pvalue, 1e-8), `p ${result.pValue} vs scipy ${c.pvalue}`).toBe(true);
    });
  }
});

describe("ks2Samp inputs", () => {
  it("rejects a sample that is empty once NaN are dropped", () => {
    const call = (): unknown => ks2Samp(Float64Array.of(Number.NaN), Float64Array.of(1, 2));
    expect(call).toThrow(KeelError);
    expect(call).toThrow(/non-empty/);
  });

  it("leaves the caller's arrays unsorted", () => {
    const reference = Float64Array.of(3, 1, 2);
    ks2Samp(reference, Float64Array.of(0.5, 4));
    expect([...reference]).toEqual([3, 1, 2]);
  });

  it("uses the asymptotic p-value on request", () => {
    const result = ks2Samp(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7), { method: "asymp" });
    expect(result.method).toBe("asymp");
  });
});
