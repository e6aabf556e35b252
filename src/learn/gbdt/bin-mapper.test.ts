import { describe, expect, it } from "vitest";
import { binOf, binRows, fitBinMapper, float32Columns, roundDownToFloat32 } from "./bin-mapper.js";
import type { Matrix } from "../types.js";
import { loadFixture } from "./fixtures/load-fixture.js";
import { createRandom } from "./random.js";

/** The next float32 above a float32 value. */
function nextUp(f: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, f);
  const bits = view.getUint32(0);
  view.setUint32(0, f >= 0 ? bits + 1 : bits - 1);
  return view.getFloat32(0);
}

describe("roundDownToFloat32", () => {
  it("gives the largest float32 not above the value", () => {
    expect(roundDownToFloat32(0.1)).toBeLessThanOrEqual(0.1);
    expect(nextUp(roundDownToFloat32(0.1))).toBeGreaterThan(0.1);
    expect(roundDownToFloat32(-0.1)).toBeLessThanOrEqual(-0.1);
    expect(nextUp(roundDownToFloat32(-0.1))).toBeGreaterThan(-0.1);
    expect(roundDownToFloat32(Math.fround(1.7))).toBe(Math.fround(1.7));
    expect(roundDownToFloat32(1e300)).toBe(3.4028234663852886e38);
    expect(roundDownToFloat32(Number.POSITIVE_INFINITY)).toBe(3.4028234663852886e38);
  });
});

function mapperOf(x: Matrix, maxBins: number) {
  return fitBinMapper(float32Columns(x, null), x.rows, maxBins, createRandom(0));
}

describe("fitBinMapper", () => {
  const fixture = loadFixture("breast-cancer");

  it.each(["255", "16"])("finds scikit-learn's bin thresholds (max_bins %s), rounded down to float32", (maxBins) => {
    const mapper = mapperOf(fixture.xTrain, Number(maxBins));
    const expected = fixture.binThresholds?.[maxBins] ?? [];
    expect(mapper.edges.map((e) => e.length)).toEqual(expected.map((e) => e.length));
    expected.forEach((edges, f) =>
      edges.forEach((t, i) => {
        const edge = mapper.edges[f][i];
        expect(Math.fround(edge)).toBe(edge);
        // scikit-learn bins float64 values; Keel bins their float32 roundings, so edges agree to float32 precision.
        expect(Math.abs(edge - t)).toBeLessThanOrEqual(2.4e-7 * Math.abs(t));
      }),
    );
  });

  it("puts x in bin b or below exactly when fround(x) <= edge b, for values on and around every edge", () => {
    const values = [0.1, 0.1000001, 0.2, 0.30000001, 0.3, 1 / 3, 2 / 3, 1e-8, -5, 7, 7.0000001, 1e30];
    const x = { rows: values.length, cols: 1, data: Float64Array.from(values) };
    const mapper = mapperOf(x, 255);
    const edges = mapper.edges[0];
    const probes = [...values, ...Array.from(edges, (e) => [e, nextUp(e), e - 1e-12, e + 1e-12]).flat()];
    for (const v of probes) {
      const bin = binOf(mapper, 0, v);
      for (let b = 0; b < edges.length; b++) expect(bin <= b).toBe(Math.fround(v) <= edges[b]);
    }
  });

  it("gives missing values their own bin, max_bins, and leaves them out of the edges", () => {
    const x = { rows: 6, cols: 1, data: Float64Array.from([1, Number.NaN, 2, 3, Number.NaN, 2]) };
    const mapper = mapperOf(x, 255);
    expect(Array.from(mapper.edges[0])).toEqual([1.5, 2.5]);
    expect(Array.from(binRows(x, null, mapper))).toEqual([0, 255, 1, 2, 255, 1]);
  });

  it("uses quantiles when a feature has more distinct values than max_bins", () => {
    const data = Float64Array.from({ length: 1000 }, (_, i) => i);
    const mapper = mapperOf({ rows: 1000, cols: 1, data }, 4);
    expect(Array.from(mapper.edges[0])).toEqual([249.5, 499.5, 749.5]);
    const bins = binRows({ rows: 1000, cols: 1, data }, null, mapper);
    expect([0, 1, 2, 3].map((b) => bins.filter((v) => v === b).length)).toEqual([250, 250, 250, 250]);
  });
});
