import { describe, expect, it } from "vitest";
import { STATTESTS, STATTEST_NAMES, defaultStatTest, isDrifted, isStatTestName } from "./default-stattest.js";

describe("defaultStatTest follows Evidently's _get_default_stattest", () => {
  const cases = [
    { kind: "numerical", referenceRows: 1000, uniqueValues: 6, expected: "ks" },
    { kind: "numerical", referenceRows: 1000, uniqueValues: 5, expected: "chisquare" },
    { kind: "numerical", referenceRows: 50, uniqueValues: 3, expected: "chisquare" },
    { kind: "numerical", referenceRows: 50, uniqueValues: 2, expected: "z" },
    { kind: "categorical", referenceRows: 1000, uniqueValues: 40, expected: "chisquare" },
    { kind: "categorical", referenceRows: 1000, uniqueValues: 3, expected: "chisquare" },
    { kind: "categorical", referenceRows: 10, uniqueValues: 2, expected: "z" },
    { kind: "categorical", referenceRows: 10, uniqueValues: 1, expected: "z" },
    { kind: "numerical", referenceRows: 1001, uniqueValues: 6, expected: "wasserstein" },
    { kind: "numerical", referenceRows: 1001, uniqueValues: 5, expected: "jensenshannon" },
    { kind: "categorical", referenceRows: 1001, uniqueValues: 2, expected: "jensenshannon" },
    { kind: "categorical", referenceRows: 5000, uniqueValues: 300, expected: "jensenshannon" },
  ] as const;
  for (const c of cases) {
    it(`${c.kind}, ${c.referenceRows} reference rows, ${c.uniqueValues} distinct → ${c.expected}`, () => {
      expect(defaultStatTest(c)).toBe(c.expected);
    });
  }
});

describe("STATTESTS carry Evidently's default thresholds and kinds", () => {
  it("p-value tests default to 0.05, distances to 0.1", () => {
    expect(STATTESTS.ks.defaultThreshold).toBe(0.05);
    expect(STATTESTS.chisquare.defaultThreshold).toBe(0.05);
    expect(STATTESTS.z.defaultThreshold).toBe(0.05);
    expect(STATTESTS.wasserstein.defaultThreshold).toBe(0.1);
    expect(STATTESTS.jensenshannon.defaultThreshold).toBe(0.1);
    expect(STATTESTS.psi.defaultThreshold).toBe(0.1);
  });

  it("lets ks and wasserstein test numbers only, chisquare and z categories only", () => {
    expect(STATTESTS.ks.kinds).toEqual(["numerical"]);
    expect(STATTESTS.wasserstein.kinds).toEqual(["numerical"]);
    expect(STATTESTS.chisquare.kinds).toEqual(["categorical"]);
    expect(STATTESTS.z.kinds).toEqual(["categorical"]);
    expect([...STATTESTS.psi.kinds].sort()).toEqual(["categorical", "numerical"]);
    expect([...STATTESTS.jensenshannon.kinds].sort()).toEqual(["categorical", "numerical"]);
  });

  it("knows exactly the Evidently names Keel implements", () => {
    expect([...STATTEST_NAMES].sort()).toEqual(["chisquare", "cramer_von_mises", "jensenshannon", "ks", "psi", "wasserstein", "z"]);
    expect(isStatTestName("psi")).toBe(true);
    expect(isStatTestName("ztest")).toBe(false);
    expect(isStatTestName("toString")).toBe(false);
  });
});

describe("isDrifted compares as Evidently does", () => {
  it("ks: p-value at or below the threshold", () => {
    expect(isDrifted("ks", 0.05, 0.05)).toBe(true);
    expect(isDrifted("ks", 0.0501, 0.05)).toBe(false);
  });

  it("chisquare and z: p-value strictly below the threshold", () => {
    expect(isDrifted("chisquare", 0.05, 0.05)).toBe(false);
    expect(isDrifted("chisquare", 0.049, 0.05)).toBe(true);
    expect(isDrifted("z", 0.05, 0.05)).toBe(false);
    expect(isDrifted("z", 0.001, 0.05)).toBe(true);
  });

  it("distances: at or above the threshold", () => {
    for (const name of ["wasserstein", "jensenshannon", "psi"] as const) {
      expect(isDrifted(name, 0.1, 0.1)).toBe(true);
      expect(isDrifted(name, 0.0999, 0.1)).toBe(false);
      expect(isDrifted(name, 0.3, 0.1)).toBe(true);
    }
  });
});
