/**
 * A small seeded generator (xoshiro128**, seeded through splitmix32) for the boosting's random choices:
 * the validation split, the binning subsample and row subsampling. Seeded, so the same seed gives the same
 * model bit for bit on every platform.
 */
export interface Random {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
}

export function createRandom(seed: number): Random {
  let x = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const splitmix = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return {
    next: () => nextUint32() / 4294967296,
    nextInt: (n) => Math.floor((nextUint32() / 4294967296) * n),
  };
}

function rotl(v: number, k: number): number {
  return (v << k) | (v >>> (32 - k));
}

/**
 * `count` distinct indices of [0, n), in increasing order (Knuth's selection sampling: one pass, no sort).
 */
export function sampleSorted(n: number, count: number, random: Random): Uint32Array {
  const out = new Uint32Array(count);
  let needed = count;
  let filled = 0;
  for (let i = 0; i < n && needed > 0; i++) {
    if (random.next() * (n - i) < needed) {
      out[filled++] = i;
      needed--;
    }
  }
  return out;
}

/** Fisher–Yates shuffle of `values` in place. */
export function shuffle(values: Uint32Array, random: Random): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
}
