import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { closeTo, loadFixture, toFloat64 } from "./fixtures/load-fixture.js";
import { wassersteinDistance, wassersteinNorm } from "./wasserstein.js";

interface WCase {
  readonly name: string;
  readonly reference: readonly (number | null)[];
  readonly current: readonly (number | null)[];
  readonly statistic: number;
}

describe("wassersteinNorm against scipy.stats.wasserstein_distance / max(np.std(reference), 0.001)", () => {
  for (const c of loadFixture<WCase>("wasserstein.json").cases) {
    it(`${c.name}: statistic to 1e-12`, () => {
      const { statistic } = wassersteinNorm(toFloat64(c.reference), toFloat64(c.current));
      expect(closeTo(statistic, c.statistic, 1e-12), `${statistic} vs ${c.statistic}`).toBe(true);
    });
  }
});

describe("wasserstein details", () => {
  it("matches scipy's docstring example wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5", () => {
    expect(wassersteinDistance(Float64Array.of(0, 1, 3), Float64Array.of(5, 6, 8))).toBe(5);
  });

  it("rejects an empty sample", () => {
    expect(() => wassersteinNorm(Float64Array.of(1), new Float64Array(0))).toThrow(KeelError);
  });
});
