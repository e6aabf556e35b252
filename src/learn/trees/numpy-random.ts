/**
 * The random numbers scikit-learn's trees and forests draw, reproduced so that a Keel tree or forest with
 * seed s is scikit-learn's with random_state=s, split for split:
 * - numpy's legacy RandomState (MT19937 seeded by init_genrand), of which scikit-learn uses only `randint`,
 *   drawn by numpy's masked rejection method (mask the 32-bit output to the range's bit width, retry if
 *   above it);
 * - the 32-bit xorshift (`our_rand_r`) a tree's splitter draws features with, seeded from the first of those.
 */

const N = 624;
const M = 397;

/** numpy.random.RandomState(seed), as far as scikit-learn's trees use it. */
export interface NumpyRandomState {
  /** An integer in [low, high), as RandomState.randint(low, high) draws it; high − low ≤ 2^32. */
  randint(low: number, high: number): number;
}

function mt19937(seed: number): () => number {
  const mt = new Uint32Array(N);
  mt[0] = seed >>> 0;
  for (let i = 1; i < N; i++) {
    const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
    // 1812433253 × prev + i in 32 bits, split so the product stays exact in float64.
    mt[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
  }
  let index = N;
  const twist = (): void => {
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
      mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    index = 0;
  };
  return () => {
    if (index >= N) twist();
    let y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
}

/** The smallest all-ones mask covering `range`. */
function maskFor(range: number): number {
  let mask = range >>> 0;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}

/**
 * numpy's legacy generator for an integer seed in [0, 2^32).
 *
 * @example
 * numpyRandomState(0).randint(0, 2 ** 31 - 1); // 209652396, as numpy.random.RandomState(0).randint(0, 2**31 - 1)
 */
export function numpyRandomState(seed: number): NumpyRandomState {
  const next = mt19937(seed);
  return {
    randint(low, high) {
      const range = high - low - 1;
      if (range <= 0) return low;
      if (range === 0xffffffff) return low + next();
      const mask = maskFor(range);
      let value: number;
      do value = (next() & mask) >>> 0;
      while (value > range);
      return low + value;
    },
  };
}

/** scikit-learn's RAND_R_MAX and the bound of the seeds its ensembles hand their members (int32 max). */
export const RAND_R_MAX = 0x7fffffff;

/** An integer in [low, high), scikit-learn's `rand_int` of the splitter. */
export type RandInt = (low: number, high: number) => number;

/** The splitter's generator of a tree fitted with random_state=`seed` (Splitter.init's randint, then rand_r). */
export function splitterRandInt(seed: number): RandInt {
  let state = numpyRandomState(seed).randint(0, RAND_R_MAX) >>> 0;
  return (low, high) => {
    if (state === 0) state = 1;
    state = (state ^ (state << 13)) >>> 0;
    state = (state ^ (state >>> 17)) >>> 0;
    state = (state ^ (state << 5)) >>> 0;
    return low + ((state % 0x80000000) % (high - low));
  };
}
