/**
 * Which variant of a served model answers a request: a weighted random draw (a canary taking 10% of traffic),
 * or, on a sticky route given a key, a point fixed by a hash of the key (an A/B test, where a user must stay
 * on one variant). Draws and hashes are points in [0, 1) that land in the variants' cumulative weight
 * intervals, in the order the variants are listed. So moving weight from the first variant to the last moves
 * keys only that way: ramping a canary up never sends back a user who was already on it.
 */
import { invalidParameter } from "../core/errors.js";

export interface VariantWeight {
  readonly name: string;
  /** Relative share of the traffic, >= 0; the weights of a route need not sum to 100. */
  readonly weight: number;
}

export interface TrafficRoute {
  readonly variants: readonly VariantWeight[];
  /** When true, a request's sticky key (not a random draw) chooses its variant. */
  readonly sticky?: boolean;
}

export interface TrafficRouter {
  /**
   * The name of the variant that answers. On a sticky route, a given key always gets the same variant while
   * the weights do not change, in every process (replicas agree); without a key, or on a route that is not
   * sticky, the choice is random by weight. A variant of weight 0 is never picked.
   */
  pick(stickyKey?: string): string;
  /** Replaces the split; refused (the old split stays) unless it would be a valid route. */
  setWeights(variants: readonly VariantWeight[]): void;
}

interface SplitTable {
  readonly names: readonly string[];
  /** bounds[i]: the end of variant i's interval in [0, 1]; a variant of weight 0 has an empty interval. */
  readonly bounds: readonly number[];
  /** Where a point at (or, by rounding, past) 1 goes. */
  readonly lastPicked: string;
}

/**
 * A router over `route`'s variants; `random` (default Math.random) returns points in [0, 1).
 * @example createTrafficRouter({ variants: [{ name: "production", weight: 90 }, { name: "candidate", weight: 10 }] }).pick()
 */
export function createTrafficRouter(route: TrafficRoute, random: () => number = Math.random): TrafficRouter {
  let table = splitTable(route.variants);
  const sticky = route.sticky === true;
  return {
    pick(stickyKey) {
      return choose(table, sticky && stickyKey !== undefined ? stickyPoint(stickyKey) : random());
    },
    setWeights(variants) {
      table = splitTable(variants);
    },
  };
}

function splitTable(variants: readonly VariantWeight[]): SplitTable {
  if (variants.length === 0) throw invalidParameter("a traffic route needs at least one variant");
  const names = variants.map((v) => v.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw invalidParameter(`variant '${duplicate}' appears twice in a traffic route; variant names must be unique`);
  }
  for (const { name, weight } of variants) {
    if (!Number.isFinite(weight) || weight < 0) {
      throw invalidParameter(`variant '${name}' has weight ${weight}; a weight is a finite number >= 0`);
    }
  }
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  if (!(total > 0)) throw invalidParameter("every variant of the traffic route has weight 0; give at least one a weight above 0");
  let running = 0;
  const bounds = variants.map((v) => {
    running += v.weight;
    return running / total;
  });
  const lastPicked = [...variants].reverse().find((v) => v.weight > 0)?.name ?? names[0];
  return { names, bounds, lastPicked };
}

function choose(table: SplitTable, point: number): string {
  // A point lies at or past the end of every interval before its own, so an empty interval is never chosen.
  for (let i = 0; i < table.bounds.length; i++) {
    if (point < table.bounds[i]) return table.names[i];
  }
  return table.lastPicked;
}

const ENCODER = new TextEncoder();

/**
 * A key's point in [0, 1): FNV-1a (32-bit) of its UTF-8 bytes, then murmur3's finaliser. The same in every
 * process and release, so that replicas behind a load balancer send a user to the same variant.
 * @example stickyPoint("user-42") // the same number on every call
 */
export function stickyPoint(key: string): number {
  let hash = 0x811c9dc5;
  for (const byte of ENCODER.encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  // FNV-1a alone leaves keys that differ only in their last character (user-1, user-2) close together in the
  // high bits, which decide the point; the finaliser spreads every input bit over all of them.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}
