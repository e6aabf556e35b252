/**
 * The trees' seeded generator: xoshiro128** seeded through splitmix32, so that the same seed draws the same
 * features and bootstrap samples on every platform and in every worker.
 */

/** Uniform in [0, 1) with 32 bits of resolution. */
export type Random = () => number;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  if ((a | b | c | d) === 0) a = 1;
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result / 4294967296;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The seed of member `index` of an ensemble seeded with `seed`: independent of how members are scheduled. */
export function deriveSeed(seed: number, index: number): number {
  const mix = splitmix32((seed >>> 0) ^ Math.imul(index + 1, 0x27d4eb2f));
  mix();
  return mix();
}

/** An integer in [0, bound). */
export function randomBelow(random: Random, bound: number): number {
  return Math.floor(random() * bound);
}
