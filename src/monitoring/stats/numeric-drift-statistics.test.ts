import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { ks2Samp } from "./ks-2samp.js";
import { numericDriftStatistics } from "./numeric-drift-statistics.js";
import { psi, psiSorted } from "./psi.js";
import { wassersteinNorm } from "./wasserstein.js";

function normalSample(n: number, seed: number, shift = 0, nanEvery = 0): Float64Array {
  let a = seed;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return Float64Array.from({ length: n }, (_, i) =>
    nanEvery > 0 && i % nanEvery === 0 ? Number.NaN : shift + Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
  );
}

describe("numericDriftStatistics", () => {
  for (const [n, m] of [
    [300, 200],
    [20_000, 15_000],
  ]) {
    it(`gives exactly what ks2Samp, psi and wassersteinNorm give alone (${n} vs ${m} values, with NaN)`, () => {
      const reference = normalSample(n, 1, 0, 17);
      const current = normalSample(m, 2, 0.1, 23);
      const all = numericDriftStatistics(reference, current, ["ks", "psi", "wasserstein"]);
      expect(all.ks).toEqual(ks2Samp(reference, current));
      expect(all.psi).toEqual(psi(reference, current));
      expect(all.wasserstein).toEqual(wassersteinNorm(reference, current));
    });
  }

  it("gives PSI equal to psiSorted on an unsorted current sample, for rounded values with many ties and ±0", () => {
    const reference = normalSample(12_000, 3).map((v) => Math.round(v * 4) / 4 || (v < 0 ? -0 : 0));
    const current = normalSample(9_000, 4, 0.3).map((v) => Math.round(v * 4) / 4);
    const { psi: both } = numericDriftStatistics(reference, current, ["psi"], { psiBins: 7 });
    expect(both).toEqual(psiSorted(reference.slice().sort(), current, 7));
  });

  it("returns only the tests asked for and leaves the inputs untouched", () => {
    const reference = normalSample(6_000, 5);
    const copy = reference.slice();
    const result = numericDriftStatistics(reference, normalSample(6_000, 6), ["psi"]);
    expect(Object.keys(result)).toEqual(["psi"]);
    expect(reference).toEqual(copy);
  });

  it("throws as the test alone does for an empty sample", () => {
    const call = (): unknown => numericDriftStatistics(Float64Array.of(Number.NaN), Float64Array.of(1, 2), ["ks", "psi"]);
    expect(call).toThrow(KeelError);
    expect(call).toThrow(/ks_2samp needs two non-empty samples/);
  });
});
