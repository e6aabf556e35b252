import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Matrix } from "../types.js";
import { fitStandardScaler, standardScalerFromJson } from "./standard-scaler.js";

// scikit-learn 1.2.1's StandardScaler on the same data; see the fixture's madeBy.
interface FixtureMatrix {
  rows: number;
  cols: number;
  data: (number | null)[];
}
interface ScalerCase {
  options: { with_mean?: boolean; with_std?: boolean };
  fit: FixtureMatrix;
  mean: number[];
  /** null where scikit-learn keeps none (with_std=False). */
  variance: number[] | null;
  scale: number[] | null;
  input: FixtureMatrix;
  transform: FixtureMatrix;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/preprocess-sklearn.json", import.meta.url), "utf8")) as {
  scalers: Record<string, ScalerCase>;
};

function matrix(m: FixtureMatrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: Float64Array.from(m.data, (v) => (v === null ? Number.NaN : v)) };
}

/** One unit in the last place of `v` as a float32. */
function ulp32(v: number): number {
  return v === 0 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(v))) - 23);
}

function expectRelative(actual: Float64Array, expected: readonly number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i]))));
}

describe("fitStandardScaler against scikit-learn", () => {
  for (const [name, c] of Object.entries(fixture.scalers)) {
    it(`${name}: same mean, variance and scale; transform within float32 rounding`, () => {
      const scaler = fitStandardScaler(matrix(c.fit), { withMean: c.options.with_mean ?? true, withStd: c.options.with_std ?? true });
      expectRelative(scaler.mean, c.mean, 1e-12);
      if (c.variance) expectRelative(scaler.variance, c.variance, 1e-12);
      if (c.scale) expectRelative(scaler.scale, c.scale, 1e-12);
      const input = matrix(c.input);
      const out = scaler.transform(input);
      out.data.forEach((v, i) => {
        const expected = c.transform.data[i];
        if (expected === null) return expect(v).toBeNaN();
        const col = i % input.cols;
        const x = input.data[i];
        const divisor = scaler.withStd ? scaler.scale[col] : 1;
        const offset = scaler.withMean ? scaler.mean[col] : 0;
        // The ONNX Scaler works in float32: x and the mean are rounded before subtracting, then the result.
        const bound = (2 * (ulp32(x) + ulp32(offset))) / divisor + 2 * ulp32(expected);
        expect(Math.abs(v - expected)).toBeLessThanOrEqual(bound);
      });
    });
  }

  it("leaves a constant column unscaled and NaN as NaN", () => {
    const x: Matrix = { rows: 3, cols: 2, data: Float64Array.from([7, 1, 7, Number.NaN, 7, 3]) };
    const scaler = fitStandardScaler(x);
    expect(Array.from(scaler.scale)).toEqual([1, 1]);
    expect(Array.from(scaler.mean)).toEqual([7, 2]);
    expect(Array.from(scaler.transform(x).data)).toEqual([0, -1, 0, Number.NaN, 0, 1]);
  });

  it("survives a JSON round trip", () => {
    const c = fixture.scalers.wide;
    const scaler = fitStandardScaler(matrix(c.fit));
    const again = standardScalerFromJson(JSON.parse(JSON.stringify(scaler.toJson())));
    expect(again.transform(matrix(c.input))).toEqual(scaler.transform(matrix(c.input)));
  });
});
