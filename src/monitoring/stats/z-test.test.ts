import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { closeTo, loadFixture, toFloat64 } from "./fixtures/load-fixture.js";
import { zTest } from "./z-test.js";

interface ZCase {
  readonly name: string;
  readonly reference: readonly (number | null)[];
  readonly current: readonly (number | null)[];
  readonly statistic: number;
  readonly pvalue: number;
}

describe("zTest against Evidently's z_stat_test with scipy.stats.norm", () => {
  for (const c of loadFixture<ZCase>("ztest.json").cases) {
    it(`${c.name}: statistic to 1e-12, p-value to 1e-8 relative`, () => {
      const result = zTest(toFloat64(c.reference), toFloat64(c.current));
      expect(closeTo(result.statistic, c.statistic, 1e-12), `${result.statistic} vs ${c.statistic}`).toBe(true);
      // Past |z| ≈ 38.5 the p-value underflows to 0 in both.
      expect(closeTo(result.pValue, c.pvalue, 1e-8, 1e-300), `${result.pValue} vs ${c.pvalue}`).toBe(true);
    });
  }
});

describe("zTest inputs", () => {
  it("refuses more than two distinct values", () => {
    expect(() => zTest(Float64Array.of(0, 1, 2), Float64Array.of(0))).toThrow(/chi-square/);
  });

  it("rejects an empty sample", () => {
    expect(() => zTest(new Float64Array(0), Float64Array.of(1))).toThrow(KeelError);
  });
});
