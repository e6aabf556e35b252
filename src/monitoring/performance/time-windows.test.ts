import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { groupByWindow, windowStart } from "./time-windows.js";

const HOUR = 3_600_000;

describe("windowStart", () => {
  it("aligns windows to multiples of windowMs from the epoch; a boundary opens the next window", () => {
    expect(windowStart(0, 1000)).toBe(0);
    expect(windowStart(999, 1000)).toBe(0);
    expect(windowStart(1000, 1000)).toBe(1000);
    expect(windowStart(-1, 1000)).toBe(-1000);
    expect(windowStart(Date.UTC(2024, 2, 10, 13, 59, 59, 999), HOUR)).toBe(Date.UTC(2024, 2, 10, 13));
    expect(windowStart(Date.UTC(2024, 2, 10, 14), HOUR)).toBe(Date.UTC(2024, 2, 10, 14));
    expect(windowStart(Date.UTC(2024, 2, 10, 23, 30), 24 * HOUR)).toBe(Date.UTC(2024, 2, 10));
  });

  it("stays on the right side of a boundary where the division rounds", () => {
    const t = 2 ** 52 - 1;
    const start = windowStart(t, 3);
    expect(start <= t && t < start + 3).toBe(true);
    const fine = windowStart(1e15 + 0.5, 0.1);
    expect(fine <= 1e15 + 0.5 && 1e15 + 0.5 < fine + 0.1).toBe(true);
  });
});

describe("groupByWindow", () => {
  it("groups rows in any order by window, oldest first, skipping empty windows", () => {
    const groups = groupByWindow(Float64Array.of(2500, 0, 999, 1000, 5000, 2000), 1000, 6);
    expect(groups.map((g) => [g.start, [...g.rows]])).toEqual([
      [0, [1, 2]],
      [1000, [3]],
      [2000, [0, 5]],
      [5000, [4]],
    ]);
  });

  it("refuses a bad window, a count mismatch and a non-finite timestamp", () => {
    expect(() => groupByWindow(Float64Array.of(0), 0, 1)).toThrowError(/windowMs must be a positive number/);
    expect(() => groupByWindow(Float64Array.of(0), 1000, 2)).toThrowError(/1 timestamps for 2 rows/);
    expect(() => groupByWindow(Float64Array.of(0, NaN), 1000, 2)).toThrowError(KeelError);
  });
});
