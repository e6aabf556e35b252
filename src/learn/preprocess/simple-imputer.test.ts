import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Matrix } from "../types.js";
import type { ImputeStrategy } from "./simple-imputer.js";
import { fitSimpleImputer, simpleImputerFromJson } from "./simple-imputer.js";

// scikit-learn 1.2.1's SimpleImputer(keep_empty_features=True) on the same data; see the fixture's madeBy.
interface FixtureMatrix {
  rows: number;
  cols: number;
  data: (number | null)[];
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/preprocess-sklearn.json", import.meta.url), "utf8")) as {
  X: FixtureMatrix;
  XNew: FixtureMatrix;
  imputers: Record<ImputeStrategy, { fillValue: number | null; statistics: number[]; transform: FixtureMatrix }>;
};

function matrix(m: FixtureMatrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: Float64Array.from(m.data, (v) => (v === null ? Number.NaN : v)) };
}

describe("fitSimpleImputer against scikit-learn", () => {
  for (const strategy of ["mean", "median", "most_frequent", "constant"] as const) {
    it(`${strategy}: same statistics, same filled values (to float32)`, () => {
      const expected = fixture.imputers[strategy];
      const imputer = fitSimpleImputer(matrix(fixture.X), { strategy, ...(expected.fillValue !== null ? { fillValue: expected.fillValue } : {}) });
      Array.from(imputer.statistics).forEach((v, i) => expect(v).toBeCloseTo(expected.statistics[i], 9));
      const out = imputer.transform(matrix(fixture.XNew));
      expect(Array.from(out.data)).toEqual(expected.transform.data.map((v) => Math.fround(v as number)));
    });
  }

  it("takes the middle two values' mean for an even count, and the smallest of tied modes", () => {
    const x: Matrix = { rows: 6, cols: 1, data: Float64Array.from([4, 1, Number.NaN, 2, 2, 1]) };
    expect(fitSimpleImputer(x, { strategy: "median" }).statistics[0]).toBe(2);
    expect(fitSimpleImputer(x, { strategy: "most_frequent" }).statistics[0]).toBe(1);
  });

  it("finds the median of long columns with many ties as sorting would", () => {
    let state = 12345;
    const next = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
    for (const rows of [1, 2, 3, 10, 1001, 4000]) {
      const data = Float64Array.from({ length: rows }, () => Math.floor(next() * 50) / 4);
      const sorted = Float64Array.from(data).sort();
      const mid = rows >> 1;
      const expected = rows % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
      expect(fitSimpleImputer({ rows, cols: 1, data }, { strategy: "median" }).statistics[0]).toBe(expected);
    }
  });

  it("fills an all-missing column with 0 instead of dropping it", () => {
    const x: Matrix = { rows: 2, cols: 1, data: Float64Array.from([Number.NaN, Number.NaN]) };
    expect(Array.from(fitSimpleImputer(x, { strategy: "median" }).transform(x).data)).toEqual([0, 0]);
  });

  it("survives a JSON round trip", () => {
    const imputer = fitSimpleImputer(matrix(fixture.X), { strategy: "median" });
    const again = simpleImputerFromJson(JSON.parse(JSON.stringify(imputer.toJson())));
    expect(again.transform(matrix(fixture.XNew))).toEqual(imputer.transform(matrix(fixture.XNew)));
  });

  it("refuses an unknown strategy", () => {
    expect(() => fitSimpleImputer(matrix(fixture.X), { strategy: "avg" as ImputeStrategy })).toThrow(/use one of mean, median/);
  });
});
