import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { createTrafficRouter, stickyPoint } from "./traffic-router.js";
import type { VariantWeight } from "./traffic-router.js";
import { seededRandom } from "../../test/support/seeded-random.js";

const CANARY: readonly VariantWeight[] = [
  { name: "production", weight: 90 },
  { name: "candidate", weight: 10 },
];
const N = 100_000;

/** Seeded, so that the statistical tests give the same verdict on every run. */
const seeded = seededRandom;

function counts(picks: Iterable<string>): Map<string, number> {
  const seen = new Map<string, number>();
  for (const name of picks) seen.set(name, (seen.get(name) ?? 0) + 1);
  return seen;
}

/** Expects `count` of `n` draws to be within 4 standard deviations of a binomial(n, p). */
function expectBinomial(count: number, n: number, p: number): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p), `${count} of ${n}, expected ${n * p} ± ${4 * sd}`).toBeLessThanOrEqual(4 * sd);
}

function* times<T>(n: number, make: (i: number) => T): Generator<T> {
  for (let i = 0; i < n; i++) yield make(i);
}

describe("createTrafficRouter: random split", () => {
  it("splits 100,000 draws 90/10 within 4 standard deviations", () => {
    for (const seed of [1, 2, 3]) {
      const router = createTrafficRouter({ variants: CANARY }, seeded(seed));
      const seen = counts(times(N, () => router.pick()));
      expectBinomial(seen.get("candidate") ?? 0, N, 0.1);
      expect((seen.get("production") ?? 0) + (seen.get("candidate") ?? 0)).toBe(N);
    }
  });

  it("follows weights that do not sum to 100, over three variants", () => {
    const router = createTrafficRouter({ variants: [{ name: "a", weight: 5 }, { name: "b", weight: 3 }, { name: "c", weight: 2 }] }, seeded(7));
    const seen = counts(times(N, () => router.pick()));
    expectBinomial(seen.get("a") ?? 0, N, 0.5);
    expectBinomial(seen.get("b") ?? 0, N, 0.3);
    expectBinomial(seen.get("c") ?? 0, N, 0.2);
  });

  it("never picks a variant of weight 0, even at the ends of [0, 1)", () => {
    const variants = [{ name: "off-first", weight: 0 }, { name: "on", weight: 1 }, { name: "off-last", weight: 0 }];
    for (const point of [0, 1e-12, 0.5, 1 - 2 ** -53, 1]) {
      expect(createTrafficRouter({ variants }, () => point).pick(), String(point)).toBe("on");
    }
    const router = createTrafficRouter({ variants, sticky: true }, seeded(3));
    const seen = counts(times(10_000, (i) => router.pick(i % 2 === 0 ? `user-${i}` : undefined)));
    expect([...seen.keys()]).toEqual(["on"]);
  });

  it("ignores keys on a route that is not sticky", () => {
    let draws = 0;
    const router = createTrafficRouter({ variants: CANARY }, () => (draws++ % 2 === 0 ? 0.95 : 0.05));
    expect([router.pick("user-1"), router.pick("user-1")]).toEqual(["candidate", "production"]);
  });

  it("answers with the new split after setWeights, and refuses an invalid one keeping the old", () => {
    const router = createTrafficRouter({ variants: CANARY }, seeded(11));
    router.setWeights([{ name: "production", weight: 0 }, { name: "candidate", weight: 1 }]);
    expect(new Set(times(1000, () => router.pick()))).toEqual(new Set(["candidate"]));
    expect(refusal(() => router.setWeights([{ name: "production", weight: -1 }])).code).toBe("INVALID_PARAMETER_VALUE");
    expect(router.pick()).toBe("candidate");
  });
});

describe("createTrafficRouter: sticky keys", () => {
  it("sends the same key to the same variant on every call and in every router built alike", () => {
    const first = createTrafficRouter({ variants: CANARY, sticky: true }, seeded(1));
    const second = createTrafficRouter({ variants: CANARY, sticky: true }, seeded(2));
    for (let i = 0; i < 1000; i++) {
      const key = `user-${i}`;
      const chosen = first.pick(key);
      expect(first.pick(key)).toBe(chosen);
      expect(second.pick(key)).toBe(chosen);
    }
    expect(stickyPoint("user-42")).toBe(stickyPoint("user-42"));
    expect(stickyPoint("")).toBeGreaterThanOrEqual(0);
  });

  it("does not draw random numbers for a keyed request, and draws for one without a key", () => {
    let draws = 0;
    const router = createTrafficRouter({ variants: CANARY, sticky: true }, () => {
      draws++;
      return 0.5;
    });
    router.pick("user-1");
    router.pick("");
    expect(draws).toBe(0);
    expect(router.pick()).toBe("production");
    expect(draws).toBe(1);
  });

  it("splits 100,000 distinct keys 90/10 within 4 standard deviations", () => {
    const router = createTrafficRouter({ variants: CANARY, sticky: true });
    for (const key of [(i: number) => `user-${i}`, (i: number) => String(i), (i: number) => `${i}@example.com`]) {
      expectBinomial(counts(times(N, (i) => router.pick(key(i)))).get("candidate") ?? 0, N, 0.1);
    }
  });

  it("spreads points of similar keys over [0, 1) in ten even bins", () => {
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < N; i++) bins[Math.floor(stickyPoint(`user-${i}`) * 10)]++;
    for (const count of bins) expectBinomial(count, N, 0.1);
  });

  it("keeps every key already on the candidate there when the candidate's weight grows", () => {
    const router = createTrafficRouter({ variants: CANARY, sticky: true });
    const keys = [...times(10_000, (i) => `user-${i}`)];
    const before = keys.filter((k) => router.pick(k) === "candidate");
    router.setWeights([{ name: "production", weight: 50 }, { name: "candidate", weight: 50 }]);
    expect(before.every((k) => router.pick(k) === "candidate")).toBe(true);
    expectBinomial(keys.filter((k) => router.pick(k) === "candidate").length, keys.length, 0.5);
  });
});

describe("createTrafficRouter: invalid routes", () => {
  it("refuses no variants, repeated names, negative or non-finite weights and an all-zero split", () => {
    const cases: [VariantWeight[], RegExp][] = [
      [[], /needs at least one variant/],
      [[{ name: "a", weight: 1 }, { name: "a", weight: 2 }], /variant 'a' appears twice/],
      [[{ name: "a", weight: -1 }], /variant 'a' has weight -1; a weight is a finite number >= 0/],
      [[{ name: "a", weight: Number.NaN }], /variant 'a' has weight NaN/],
      [[{ name: "a", weight: Number.POSITIVE_INFINITY }], /variant 'a' has weight Infinity/],
      [[{ name: "a", weight: 0 }, { name: "b", weight: 0 }], /every variant of the traffic route has weight 0/],
    ];
    for (const [variants, message] of cases) {
      const error = refusal(() => createTrafficRouter({ variants }));
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      expect(error.message).toMatch(message);
    }
  });
});
