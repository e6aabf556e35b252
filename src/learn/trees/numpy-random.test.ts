import { describe, expect, it } from "vitest";
import { numpyRandomState, splitterRandInt } from "./numpy-random.js";

// Expected values printed by Debian's numpy 1.24 (python3-numpy):
//   r = np.random.RandomState(0); [r.randint(0, 2**31 - 1) for _ in range(3)]
//   x = np.random.RandomState(209652396).randint(0, 455, 700); x[:5], x[695:]
describe("numpyRandomState", () => {
  it("draws numpy's legacy RandomState.randint for an integer seed", () => {
    const random = numpyRandomState(0);
    expect([random.randint(0, 2 ** 31 - 1), random.randint(0, 2 ** 31 - 1), random.randint(0, 2 ** 31 - 1)]).toEqual([209652396, 398764591, 924231285]);
  });

  it("keeps numpy's sequence past the first 624 outputs, with masked rejection for small ranges", () => {
    const random = numpyRandomState(209652396);
    const draws = Array.from({ length: 700 }, () => random.randint(0, 455));
    expect(draws.slice(0, 5)).toEqual([236, 227, 434, 32, 64]);
    expect(draws.slice(695)).toEqual([315, 425, 68, 203, 440]);
    expect(draws.every((d) => d >= 0 && d < 455)).toBe(true);
  });
});

describe("splitterRandInt", () => {
  it("stays within [low, high) and repeats for the same seed", () => {
    const a = splitterRandInt(7);
    const b = splitterRandInt(7);
    const drawsA = Array.from({ length: 1000 }, (_, i) => a(i % 5, 64));
    const drawsB = Array.from({ length: 1000 }, (_, i) => b(i % 5, 64));
    expect(drawsA).toEqual(drawsB);
    expect(drawsA.every((d, i) => d >= i % 5 && d < 64)).toBe(true);
  });
});
