import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { closeTo, loadFixture, toFloat64 } from "./fixtures/load-fixture.js";
import { jensenShannon, jensenShannonFromShares } from "./jensen-shannon.js";

interface JsCase {
  readonly name: string;
  readonly categorical: boolean;
  readonly reference: readonly (number | null)[];
  readonly current: readonly (number | null)[];
  readonly statistic: number;
}

describe("jensenShannon against Evidently's binning + scipy.spatial.distance.jensenshannon", () => {
  for (const c of loadFixture<JsCase>("jensenshannon.json").cases) {
    it(`${c.name}: statistic to 1e-12`, () => {
      const { statistic } = jensenShannon(toFloat64(c.reference), toFloat64(c.current), {
        categorical: c.categorical,
      });
      expect(closeTo(statistic, c.statistic, 1e-12, 1e-15), `${statistic} vs ${c.statistic}`).toBe(true);
    });
  }
});

describe("jensen-shannon details", () => {
  it("matches scipy's docstring example jensenshannon([1, 0, 0], [0, 1, 0]) = sqrt(ln 2)", () => {
    const d = jensenShannonFromShares(Float64Array.of(1, 0, 0), Float64Array.of(0, 1, 0));
    expect(closeTo(d, Math.sqrt(Math.LN2), 1e-15)).toBe(true);
  });

  it("rejects an empty sample", () => {
    expect(() => jensenShannon(Float64Array.of(Number.NaN), Float64Array.of(1))).toThrow(KeelError);
  });
});
