import { describe, expect, it } from "vitest";
import { RADIX_SORT_MIN_LENGTH, radixSortFloat64, sortedWithoutNaN } from "./radix-sort.js";

/** A deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIALS = [0, -0, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1];

/** Values of every kind the drift tests meet: wide and narrow ranges, many duplicates, signed zeros, infinities. */
function mixed(n: number, seed: number, nanShare = 0): Float64Array {
  const next = random(seed);
  return Float64Array.from({ length: n }, () => {
    const u = next();
    if (u < nanShare) return Number.NaN;
    if (u < 0.1) return SPECIALS[Math.floor(next() * SPECIALS.length)];
    if (u < 0.4) return Math.round((next() - 0.5) * 20);
    if (u < 0.7) return (next() - 0.5) * 1e-300;
    return (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
  });
}

function expectSameBits(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`index ${i}: ${actual[i]} vs built-in ${expected[i]}`);
  }
}

describe("radixSortFloat64", () => {
  for (const n of [0, 1, 100, RADIX_SORT_MIN_LENGTH + 1, 100_000]) {
    it(`orders ${n} values exactly as Float64Array.prototype.sort (-0 before +0, NaN last)`, () => {
      const values = mixed(n, n + 7, 0.05);
      const expected = values.slice().sort();
      expectSameBits(radixSortFloat64(values), expected);
      expectSameBits(values, expected);
    });
  }

  it("sorts a sub-array view without touching the rest of its buffer", () => {
    const whole = mixed(3 * RADIX_SORT_MIN_LENGTH, 11);
    const before = whole.slice();
    const view = whole.subarray(RADIX_SORT_MIN_LENGTH, 2 * RADIX_SORT_MIN_LENGTH);
    const expected = view.slice().sort();
    radixSortFloat64(view);
    expectSameBits(view, expected);
    expectSameBits(whole.subarray(0, RADIX_SORT_MIN_LENGTH), before.subarray(0, RADIX_SORT_MIN_LENGTH));
    expectSameBits(whole.subarray(2 * RADIX_SORT_MIN_LENGTH), before.subarray(2 * RADIX_SORT_MIN_LENGTH));
  });
});

describe("sortedWithoutNaN", () => {
  it("equals dropping NaN and sorting with the built-in sort, leaving the input as it was", () => {
    const values = mixed(50_000, 3, 0.2);
    const copy = values.slice();
    expectSameBits(sortedWithoutNaN(values), values.filter((v) => !Number.isNaN(v)).sort());
    expectSameBits(values, copy);
  });

  it("handles a column of one repeated value and a column of NaN only", () => {
    const constant = new Float64Array(RADIX_SORT_MIN_LENGTH * 2).fill(-0);
    constant[5] = Number.NaN;
    expectSameBits(sortedWithoutNaN(constant), new Float64Array(constant.length - 1).fill(-0));
    expect(sortedWithoutNaN(new Float64Array(RADIX_SORT_MIN_LENGTH * 2).fill(Number.NaN))).toHaveLength(0);
  });

  it("keeps -0 and +0 apart and ordered like the built-in sort", () => {
    const zeros = Float64Array.from({ length: RADIX_SORT_MIN_LENGTH * 2 }, (_, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : -1e-320));
    expectSameBits(sortedWithoutNaN(zeros), zeros.slice().sort());
  });
});
