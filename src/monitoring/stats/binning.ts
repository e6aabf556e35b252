/**
 * numpy-compatible building blocks for the binned tests: linear quantiles, linspace, histogram counts on
 * explicit edges, category counts and compensated sums. Each follows numpy 1.24's arithmetic order so that the
 * edges, and therefore the counts, come out bit-identical.
 */

/** Neumaier-compensated sum: within an ulp or two of numpy's pairwise sum for any length. */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** numpy.linspace(start, stop, num) with endpoint: start + i·step, the last value exactly `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/** numpy.quantile(sorted, q) with the default "linear" method (Hyndman–Fan type 7); `sorted` ascending. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const virtualIndex = (n - 1) * q;
  if (virtualIndex >= n - 1) return sorted[n - 1];
  if (virtualIndex < 0) return sorted[0];
  const below = Math.floor(virtualIndex);
  const t = virtualIndex - below;
  const a = sorted[below];
  const b = sorted[below + 1];
  const diff = b - a;
  // numpy's _lerp switches form at t = 0.5 so the result is monotone and exact at both ends.
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Index of the first element of ascending `sorted` that is >= x (side "left") or > x (side "right"). */
export function searchSorted(sorted: Float64Array, x: number, side: "left" | "right"): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const goRight = side === "left" ? sorted[mid] < x : sorted[mid] <= x;
    if (goRight) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * numpy.histogram(values, edges) counts for explicit ascending edges: bin i holds edges[i] <= x < edges[i+1],
 * the last bin also holds x == edges[last]; values outside the edges are not counted.
 */
export function histogramCounts(sortedValues: Float64Array, edges: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length - 1);
  let previous = searchSorted(sortedValues, edges[0], "left");
  for (let i = 1; i < edges.length; i++) {
    const side = i === edges.length - 1 ? "right" : "left";
    const next = searchSorted(sortedValues, edges[i], side);
    counts[i - 1] = next - previous;
    previous = next;
  }
  return counts;
}

/** The same counts as histogramCounts for values in any order (NaN ignored), without sorting them. */
export function histogramCountsUnsorted(values: Float64Array, edges: Float64Array): Float64Array {
  const last = edges.length - 1;
  const counts = new Float64Array(last);
  const lo = edges[0];
  const hi = edges[last];
  for (const x of values) {
    if (!(x >= lo && x <= hi)) continue;
    const bin = x === hi ? last - 1 : searchSorted(edges, x, "right") - 1;
    counts[bin]++;
  }
  return counts;
}

/** Occurrences of each distinct non-NaN value. */
export function countValues(values: Float64Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

/** Sorted union of the keys of two count maps (the categories seen in either sample). */
export function unionKeys(a: Map<number, number>, b: Map<number, number>): number[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
}
