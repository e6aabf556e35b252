/**
 * Maps feature values to small integer bins, as scikit-learn's _BinMapper does: the midpoints between
 * distinct values when a feature has at most `maxBins` of them, its quantiles otherwise (on a subsample of
 * 200,000 rows), and one extra bin, index `maxBins`, for missing values.
 *
 * Unlike scikit-learn, values are rounded to float32 first and every bin edge is rounded DOWN to a float32,
 * so that "bin(x) <= b" holds exactly when fround(x) <= edge[b]: the edge is the threshold an ONNX
 * TreeEnsemble (which compares in float32) needs to route every row as the fitted model does.
 */
import type { Matrix } from "../types.js";
import { sampleSorted } from "./random.js";
import type { Random } from "./random.js";

/** Rows scikit-learn's BinMapper looks at to find the quantiles. */
export const BINNING_SUBSAMPLE = 200_000;

export interface BinMapper {
  /** Bins for non-missing values at most; the missing-value bin's index is `maxBins`. */
  readonly maxBins: number;
  /** Per feature, the increasing float32-exact upper edges of bins 0..n-2 (the last bin is unbounded). */
  readonly edges: readonly Float64Array[];
  /** Per feature, the number of bins non-missing values use (edges.length + 1). */
  readonly binCounts: Int32Array;
}

const FLOAT32_MAX = 3.4028234663852886e38;
const scratch = new DataView(new ArrayBuffer(4));

/** The largest float32 value that is <= `value` (FLOAT32_MAX for anything finite above it). */
export function roundDownToFloat32(value: number): number {
  if (value > FLOAT32_MAX) return FLOAT32_MAX;
  const f = Math.fround(value);
  if (f <= value) return f;
  // f is the float32 just above value: step one float32 toward -infinity.
  if (f === 0) return -1.401298464324817e-45;
  scratch.setFloat32(0, f);
  const bits = scratch.getUint32(0);
  scratch.setUint32(0, f > 0 ? bits - 1 : bits + 1);
  return scratch.getFloat32(0);
}

/**
 * numpy's percentile with method "midpoint" on sorted values, at the `maxBins - 1` inner points of
 * linspace(0, 100, maxBins + 1): the same floating-point steps, so the same positions are taken.
 */
function quantileEdges(sorted: Float32Array, count: number, maxBins: number): Float64Array {
  const edges = new Float64Array(maxBins - 1);
  const step = 100 / maxBins;
  for (let i = 1; i < maxBins; i++) {
    const position = (count - 1) * ((i * step) / 100);
    const below = Math.floor(position);
    const a = sorted[below];
    if (position === below) {
      edges[i - 1] = a;
    } else {
      const b = sorted[Math.min(below + 1, count - 1)];
      edges[i - 1] = b - (b - a) * 0.5;
    }
  }
  return edges;
}

/**
 * Sorts float32 values (no NaN) ascending in place, by LSD radix sort on their bits: about four times
 * faster than TypedArray#sort, and binning sorts every feature's column.
 */
export function sortFloat32(values: Float32Array, scratch: Uint32Array): void {
  const n = values.length;
  const keys = new Uint32Array(values.buffer, values.byteOffset, n);
  // Order-preserving unsigned keys: flip every bit of negatives, only the sign bit of the rest.
  for (let i = 0; i < n; i++) keys[i] = keys[i] & 0x80000000 ? ~keys[i] >>> 0 : (keys[i] | 0x80000000) >>> 0;
  let from = keys;
  let to = scratch.subarray(0, n);
  const counts = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(from[i] >>> shift) & 2047]++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) to[counts[(from[i] >>> shift) & 2047]++] = from[i];
    const t = from;
    from = to;
    to = t;
  }
  if (from !== keys) keys.set(from);
  for (let i = 0; i < n; i++) keys[i] = keys[i] & 0x80000000 ? (keys[i] & 0x7fffffff) >>> 0 : ~keys[i] >>> 0;
}

/** Bin edges of one feature's sorted float32 non-missing values. */
function featureEdges(values: Float32Array, maxBins: number): Float64Array {
  let distinct = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[i - 1]) distinct++;
  let edges: Float64Array;
  if (distinct <= maxBins) {
    edges = new Float64Array(Math.max(distinct - 1, 0));
    let e = 0;
    for (let i = 1; i < values.length; i++) {
      if (values[i] !== values[i - 1]) edges[e++] = (values[i - 1] + values[i]) * 0.5;
    }
  } else {
    edges = quantileEdges(values, values.length, maxBins);
  }
  for (let i = 0; i < edges.length; i++) edges[i] = roundDownToFloat32(edges[i]);
  return edges;
}

/**
 * The rows `rows` of `x` (all rows when null) rounded to float32, column-major: (row i, feature f) at
 * [f * rowCount + i]. Reading `x` row by row once makes the per-feature passes that follow sequential.
 */
export function float32Columns(x: Matrix, rows: Uint32Array | null): Float32Array {
  const n = rows ? rows.length : x.rows;
  const { data, cols } = x;
  const out = new Float32Array(n * cols);
  for (let i = 0; i < n; i++) {
    const offset = (rows ? rows[i] : i) * cols;
    for (let f = 0; f < cols; f++) out[f * n + i] = data[offset + f];
  }
  return out;
}

/**
 * Finds the bin edges of every feature from float32 columns (see float32Columns), looking at a seeded
 * subsample of 200,000 rows when there are more.
 */
export function fitBinMapper(columns: Float32Array, rowCount: number, maxBins: number, random: Random): BinMapper {
  const featureCount = columns.length / rowCount;
  const sample = rowCount > BINNING_SUBSAMPLE ? sampleSorted(rowCount, BINNING_SUBSAMPLE, random) : null;
  const m = sample ? sample.length : rowCount;
  const values = new Float32Array(m);
  const scratch = new Uint32Array(m);
  const edges: Float64Array[] = [];
  const binCounts = new Int32Array(featureCount);
  for (let f = 0; f < featureCount; f++) {
    const column = columns.subarray(f * rowCount, (f + 1) * rowCount);
    let filled = 0;
    for (let i = 0; i < m; i++) {
      const v = column[sample ? sample[i] : i];
      if (v === v) values[filled++] = v;
    }
    const present = values.subarray(0, filled);
    sortFloat32(present, scratch);
    const featureEdgesF = featureEdges(present, maxBins);
    edges.push(featureEdgesF);
    binCounts[f] = featureEdgesF.length + 1;
  }
  return { maxBins, edges, binCounts };
}

/** The bin of a value: the first edge it does not exceed (after rounding to float32), `maxBins` for NaN. */
export function binOf(mapper: BinMapper, feature: number, value: number): number {
  const v = Math.fround(value);
  if (v !== v) return mapper.maxBins;
  const edges = mapper.edges[feature];
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Bins float32 columns (see float32Columns) into a column-major Uint8Array of the same layout, so that
 * building a histogram reads one feature's bins contiguously. `shared` puts it in a SharedArrayBuffer
 * for histogram workers.
 */
export function binColumns(columns: Float32Array, rowCount: number, mapper: BinMapper, shared = false): Uint8Array {
  const out = new Uint8Array(shared ? new SharedArrayBuffer(columns.length) : new ArrayBuffer(columns.length));
  const missingBin = mapper.maxBins;
  mapper.edges.forEach((edges, f) => {
    // Edges padded with +Infinity to 2^p - 1 entries allow a search of fixed steps, without the
    // unpredictable branches of a binary search (measured 1.5 times faster).
    let size = 1;
    while (size < edges.length + 1) size *= 2;
    const padded = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
    padded.set(edges);
    const base = f * rowCount;
    for (let i = 0; i < rowCount; i++) {
      const v = columns[base + i];
      if (v !== v) {
        out[base + i] = missingBin;
        continue;
      }
      // The number of edges below v: the first edge v does not exceed.
      let bin = 0;
      for (let step = size >> 1; step > 0; step >>= 1) bin += padded[bin + step - 1] < v ? step : 0;
      out[base + i] = bin;
    }
  });
  return out;
}

/** The binned rows `rows` of `x` (all rows when null): binColumns of float32Columns. */
export function binRows(x: Matrix, rows: Uint32Array | null, mapper: BinMapper): Uint8Array {
  return binColumns(float32Columns(x, rows), rows ? rows.length : x.rows, mapper);
}
