import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { chiSquareFromCounts, chiSquareTest } from "./chi-square.js";
import type { FixtureNumber } from "./fixtures/load-fixture.js";
import { closeTo, fixtureNumber, loadFixture, toFloat64 } from "./fixtures/load-fixture.js";

interface ChiCase {
  readonly name: string;
  readonly reference: readonly (number | null)[];
  readonly current: readonly (number | null)[];
  readonly statistic: FixtureNumber;
  readonly pvalue: FixtureNumber;
}

describe("chiSquareTest against Evidently's chisquare stattest (scipy.stats.chisquare)", () => {
  for (const c of loadFixture<ChiCase>("chisquare.json").cases) {
    it(`${c.name}: statistic to 1e-12, p-value to 1e-8 relative`, () => {
      const result = chiSquareTest(toFloat64(c.reference), toFloat64(c.current));
      const statistic = fixtureNumber(c.statistic);
      const pvalue = fixtureNumber(c.pvalue);
      expect(closeTo(result.statistic, statistic, 1e-12), `${result.statistic} vs ${statistic}`).toBe(true);
      expect(closeTo(result.pValue, pvalue, 1e-8), `${result.pValue} vs ${pvalue}`).toBe(true);
    });
  }
});

describe("chi-square details", () => {
  it("matches scipy's docstring: chisquare([16, 18, 16, 14, 12, 12], f_exp=[16, 16, 16, 16, 16, 8])", () => {
    const result = chiSquareFromCounts([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
    expect(result.statistic).toBe(3.5);
    expect(closeTo(result.pValue, 0.62338762774958223, 1e-12)).toBe(true);
  });

  it("gives p = 1 for a single category (scipy answers NaN with 0 degrees of freedom)", () => {
    expect(chiSquareTest(Float64Array.of(1, 1), Float64Array.of(1)).pValue).toBe(1);
  });

  it("rejects an all-missing sample", () => {
    expect(() => chiSquareTest(Float64Array.of(Number.NaN), Float64Array.of(1))).toThrow(KeelError);
  });
});
