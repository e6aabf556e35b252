import { toStoredValue } from "./metric-values.js";
import type { Metric } from "./types.js";

/**
 * Metric histories are stored as chunks: one row per (run, key, chunk) whose `data` holds up to
 * CHUNK_POINTS points as little-endian float64 triples [step, timestamp, value]. Ingest then writes a few
 * rows per key instead of one row per point, and a million-step history is read as ~1000 blobs decoded
 * straight into typed arrays. Steps and timestamps are safe integers, exact in a float64; a NaN value is
 * kept as NaN; ±Infinity is stored as ±MAX_DOUBLE, as MLflow's SQL store does.
 */
export const CHUNK_POINTS = 1024;
const FIELDS = 3;
const BYTES_PER_POINT = FIELDS * 8;

/** Points of one key as columns. */
export interface MetricColumns {
  readonly steps: Float64Array;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  readonly length: number;
}

export function encodePoints(points: readonly Metric[]): Buffer {
  const data = new Float64Array(points.length * FIELDS);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const stored = toStoredValue(p.value);
    data[i * FIELDS] = p.step;
    data[i * FIELDS + 1] = p.timestamp;
    data[i * FIELDS + 2] = stored.is_nan ? NaN : stored.value;
  }
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export function pointCount(data: Uint8Array): number {
  return data.byteLength / BYTES_PER_POINT;
}

/** Decodes chunks (in any order) into columns sorted by step, timestamp, value, without duplicates. */
export function decodeChunks(chunks: readonly Uint8Array[]): MetricColumns {
  let total = 0;
  for (const chunk of chunks) total += pointCount(chunk);
  const all = new Float64Array(total * FIELDS);
  let offset = 0;
  for (const chunk of chunks) {
    // Copy through a byte view: a driver's Buffer may sit at an offset that is not 8-byte aligned.
    new Uint8Array(all.buffer, offset * 8, chunk.byteLength).set(chunk);
    offset += chunk.byteLength / 8;
  }
  const order = sortedOrder(all, total);
  const steps = new Float64Array(total);
  const timestamps = new Float64Array(total);
  const values = new Float64Array(total);
  let n = 0;
  for (let k = 0; k < total; k++) {
    const i = order ? order[k] : k;
    const s = all[i * FIELDS];
    const t = all[i * FIELDS + 1];
    const v = all[i * FIELDS + 2];
    // An identical point logged twice is one point, as MLflow's primary key on the whole point makes it.
    if (n > 0 && steps[n - 1] === s && timestamps[n - 1] === t && Object.is(values[n - 1], v)) continue;
    steps[n] = s;
    timestamps[n] = t;
    values[n] = v;
    n++;
  }
  return { steps: steps.subarray(0, n), timestamps: timestamps.subarray(0, n), values: values.subarray(0, n), length: n };
}

/** NaN sorts after every number, as MLflow's is_nan column does. */
function compareValues(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a - b;
}

function comparePoints(all: Float64Array, i: number, j: number): number {
  return (
    all[i * FIELDS] - all[j * FIELDS] ||
    all[i * FIELDS + 1] - all[j * FIELDS + 1] ||
    compareValues(all[i * FIELDS + 2], all[j * FIELDS + 2])
  );
}

/** The sorting permutation, or undefined when the points are already in order (the usual case: training logs steps in order). */
function sortedOrder(all: Float64Array, total: number): Uint32Array | undefined {
  let sorted = true;
  for (let i = 1; i < total && sorted; i++) sorted = comparePoints(all, i - 1, i) <= 0;
  if (sorted) return undefined;
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  return order.sort((i, j) => comparePoints(all, i, j));
}

/** Position of the first point strictly after (step, timestamp, value) in sorted columns. */
export function indexAfter(columns: MetricColumns, step: number, timestamp: number, value: number): number {
  let lo = 0;
  let hi = columns.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c =
      columns.steps[mid] - step || columns.timestamps[mid] - timestamp || compareValues(columns.values[mid], value);
    if (c <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
