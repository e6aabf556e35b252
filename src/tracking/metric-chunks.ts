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
  let largest = 0;
  for (const chunk of chunks) {
    total += pointCount(chunk);
    largest = Math.max(largest, chunk.byteLength);
  }
  const raw: MetricColumns = { steps: new Float64Array(total), timestamps: new Float64Array(total), values: new Float64Array(total), length: total };
  // Copy through an aligned scratch buffer: a driver's Buffer may sit at an offset that is not 8-byte aligned.
  const scratch = new Float64Array(largest / 8);
  const bytes = new Uint8Array(scratch.buffer);
  let k = 0;
  for (const chunk of chunks) {
    bytes.set(chunk);
    const n = pointCount(chunk);
    for (let j = 0; j < n; j++, k++) {
      raw.steps[k] = scratch[j * FIELDS];
      raw.timestamps[k] = scratch[j * FIELDS + 1];
      raw.values[k] = scratch[j * FIELDS + 2];
    }
  }
  const order = sortedOrder(raw);
  // In order, points are compacted in place (a write never overtakes the read); otherwise permuted into new columns.
  const out = order ? { steps: new Float64Array(total), timestamps: new Float64Array(total), values: new Float64Array(total) } : raw;
  let n = 0;
  for (let q = 0; q < total; q++) {
    const i = order ? order[q] : q;
    const s = raw.steps[i];
    const t = raw.timestamps[i];
    const v = raw.values[i];
    // An identical point logged twice is one point, as MLflow's primary key on the whole point makes it.
    if (n > 0 && out.steps[n - 1] === s && out.timestamps[n - 1] === t && Object.is(out.values[n - 1], v)) continue;
    out.steps[n] = s;
    out.timestamps[n] = t;
    out.values[n] = v;
    n++;
  }
  return { steps: out.steps.subarray(0, n), timestamps: out.timestamps.subarray(0, n), values: out.values.subarray(0, n), length: n };
}

/** NaN sorts after every number, as MLflow's is_nan column does. */
function compareValues(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a - b;
}

function comparePoints(c: MetricColumns, i: number, j: number): number {
  return c.steps[i] - c.steps[j] || c.timestamps[i] - c.timestamps[j] || compareValues(c.values[i], c.values[j]);
}

/** The sorting permutation, or undefined when the points are already in order (the usual case: training logs steps in order). */
function sortedOrder(columns: MetricColumns): Uint32Array | undefined {
  const { steps, length } = columns;
  let sorted = true;
  // Steps usually strictly increase; only equal steps need the full comparison.
  for (let i = 1; i < length && sorted; i++) {
    const d = steps[i] - steps[i - 1];
    sorted = d > 0 || (d === 0 && comparePoints(columns, i - 1, i) <= 0);
  }
  if (sorted) return undefined;
  const order = new Uint32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  return order.sort((i, j) => comparePoints(columns, i, j));
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
