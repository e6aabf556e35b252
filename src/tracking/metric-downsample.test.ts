import { describe, expect, it } from "vitest";
import { downsampleMinMax } from "./metric-downsample.js";

function series(n: number, value: (i: number) => number): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i;
    y[i] = value(i);
  }
  return { x, y };
}

function bucketsUsed(x: Float64Array, kept: Uint32Array, xMin: number, xMax: number, buckets: number): number {
  const used = new Set<number>();
  for (const i of kept) used.add(Math.min(buckets - 1, Math.floor(((x[i] - xMin) * buckets) / (xMax - xMin))));
  return used.size;
}

describe("min/max downsampling per pixel bucket", () => {
  it("keeps a one-step spike and dip among a million points", () => {
    const { x, y } = series(1_000_000, (i) => (i === 654_321 ? 100 : i === 123_457 ? -100 : Math.sin(i / 1000)));
    const kept = downsampleMinMax(x, y, 0, 999_999, 1000);
    const values = [...kept].map((i) => y[i]);
    expect(values).toContain(100);
    expect(values).toContain(-100);
    expect([...kept]).toContain(654_321);
  });

  it("keeps the first and last points and answers in ascending x", () => {
    const { x, y } = series(10_000, (i) => i % 7);
    const kept = downsampleMinMax(x, y, 0, 9_999, 100);
    expect(kept[0]).toBe(0);
    expect(kept[kept.length - 1]).toBe(9_999);
    for (let k = 1; k < kept.length; k++) expect(x[kept[k]]).toBeGreaterThan(x[kept[k - 1]]);
  });

  it("uses no more buckets than asked and sends at most two points per bucket plus the ends", () => {
    const { x, y } = series(100_000, (i) => Math.cos(i));
    for (const buckets of [1, 7, 640, 1000]) {
      const kept = downsampleMinMax(x, y, 0, 99_999, buckets);
      expect(bucketsUsed(x, kept, 0, 99_999, buckets)).toBeLessThanOrEqual(buckets);
      expect(kept.length).toBeLessThanOrEqual(2 * buckets + 2);
    }
  });

  it("returns every point of a history shorter than the buckets", () => {
    const { x, y } = series(5, (i) => i);
    expect([...downsampleMinMax(x, y, 0, 4, 1000)]).toEqual([0, 1, 2, 3, 4]);
  });

  it("returns nothing for an empty history and one point for a single one", () => {
    expect(downsampleMinMax(new Float64Array(0), new Float64Array(0), 0, 0, 10)).toHaveLength(0);
    expect([...downsampleMinMax(Float64Array.of(5), Float64Array.of(1), 5, 5, 10)]).toEqual([0]);
  });

  it("never picks NaN as an extreme, yet keeps a NaN first point", () => {
    const { x, y } = series(1000, (i) => (i % 2 === 0 ? NaN : i));
    const kept = downsampleMinMax(x, y, 0, 999, 10);
    expect(kept[0]).toBe(0);
    expect([...kept].slice(1).every((i) => !Number.isNaN(y[i]))).toBe(true);
  });

  it("sorts by x when x is not in step order (wall-clock time going backwards)", () => {
    const x = Float64Array.from([30, 10, 20, 40, 0]);
    const y = Float64Array.from([1, 5, 2, 9, 3]);
    const kept = downsampleMinMax(x, y, 0, 40, 2);
    expect([...kept].map((i) => x[i])).toEqual([...kept].map((i) => x[i]).sort((a, b) => a - b));
    expect(kept[0]).toBe(4);
    expect(kept[kept.length - 1]).toBe(3);
    expect([...kept].map((i) => y[i])).toContain(5);
  });
});
