import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { closeTo, loadFixture, toFloat64 } from "./fixtures/load-fixture.js";
import { fillEmptyShares, psi, psiSorted } from "./psi.js";

interface PsiCase {
  readonly name: string;
  readonly bins: number;
  readonly reference: readonly (number | null)[];
  readonly current: readonly (number | null)[];
  readonly statistic: number;
}

describe("psi against the numpy reference (Evidently's formula and empty-bin rule)", () => {
  for (const c of loadFixture<PsiCase>("psi.json").cases) {
    it(`${c.name}: statistic to 1e-12`, () => {
      const { statistic } = psi(toFloat64(c.reference), toFloat64(c.current), { bins: c.bins });
      expect(closeTo(statistic, c.statistic, 1e-12, 1e-15), `${statistic} vs ${c.statistic}`).toBe(true);
    });
  }
});

describe("psi details", () => {
  it("fills empty bins with 0.0001, or the smallest share / 1e6 when that is already tiny", () => {
    expect([...fillEmptyShares(Float64Array.of(0, 0.5, 0.5))]).toEqual([0.0001, 0.5, 0.5]);
    expect([...fillEmptyShares(Float64Array.of(0, 0.00005, 0.99995))]).toEqual([5e-11, 0.00005, 0.99995]);
  });

  it("is 0 for a constant reference and the same constant current", () => {
    expect(psi(Float64Array.of(1, 1, 1), Float64Array.of(1, 1)).statistic).toBe(0);
  });

  it("rejects empty samples and bad bin counts", () => {
    expect(() => psi(new Float64Array(0), Float64Array.of(1))).toThrow(KeelError);
    expect(() => psi(Float64Array.of(1), Float64Array.of(1), { bins: 0 })).toThrow(/positive integer/);
  });
});

describe("psiSorted", () => {
  it("gives psi()'s value from a pre-sorted reference and an unsorted current with NaN", () => {
    const reference = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i) * 3);
    const current = Float64Array.from({ length: 150 }, (_, i) => (i % 17 === 0 ? Number.NaN : Math.cos(i) * 3 + 0.4));
    const sorted = Float64Array.from(reference).sort();
    expect(psiSorted(sorted, current).statistic).toBe(psi(reference, current).statistic);
  });
});
