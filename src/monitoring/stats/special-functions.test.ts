import { describe, expect, it } from "vitest";
import type { FixtureNumber } from "./fixtures/load-fixture.js";
import { closeTo, fixtureNumber, loadFixture } from "./fixtures/load-fixture.js";
import { kolmogorovSf } from "./kolmogorov.js";
import { chiSquareSf, normalCdf, normalSf } from "./special-functions.js";

interface SpecialGrids {
  readonly kstwo: readonly { readonly n: number; readonly x: number; readonly sf: FixtureNumber }[];
  readonly chi2: readonly { readonly x: number; readonly df: number; readonly sf: FixtureNumber }[];
  readonly norm: readonly { readonly z: number; readonly sf: FixtureNumber; readonly cdf: FixtureNumber }[];
}

const grids = loadFixture<SpecialGrids>("special.json").cases[0];

describe("distribution functions against scipy.stats", () => {
  it("kolmogorovSf(n, x) equals kstwo.sf(x, n) to 1e-8 relative in every branch", () => {
    for (const { n, x, sf } of grids.kstwo) {
      const actual = kolmogorovSf(n, x);
      expect(closeTo(actual, fixtureNumber(sf), 1e-8), `n=${n} x=${x}: ${actual} vs ${sf}`).toBe(true);
    }
  });

  it("chiSquareSf(x, df) equals chi2.sf to 1e-10 relative (scipy flushes results below ~1e-300 to 0)", () => {
    for (const { x, df, sf } of grids.chi2) {
      const actual = chiSquareSf(x, df);
      expect(closeTo(actual, fixtureNumber(sf), 1e-10, 1e-300), `x=${x} df=${df}: ${actual} vs ${sf}`).toBe(true);
    }
  });

  it("normalSf and normalCdf equal norm.sf and norm.cdf to 1e-12 relative, tails included", () => {
    for (const { z, sf, cdf } of grids.norm) {
      expect(closeTo(normalSf(z), fixtureNumber(sf), 1e-12), `sf(${z}) = ${normalSf(z)} vs ${sf}`).toBe(true);
      expect(closeTo(normalCdf(z), fixtureNumber(cdf), 1e-12), `cdf(${z}) = ${normalCdf(z)} vs ${cdf}`).toBe(true);
    }
  });
});
