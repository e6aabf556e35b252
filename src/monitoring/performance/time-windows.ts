/** Assignment of timestamped rows to fixed, epoch-aligned time windows. */
import { KeelError } from "../../core/errors.js";

function invalid(message: string): KeelError {
  return new KeelError("INVALID_PARAMETER_VALUE", message);
}

/**
 * The start of the window holding `timestamp` (UTC ms): the largest multiple of windowMs not after it, so
 * windows of a day start at UTC midnight. A timestamp on a boundary opens the next window.
 * @example
 * windowStart(Date.UTC(2024, 0, 1, 10, 30), 3_600_000) === Date.UTC(2024, 0, 1, 10); // true
 */
export function windowStart(timestamp: number, windowMs: number): number {
  let start = Math.floor(timestamp / windowMs) * windowMs;
  // The division can round across a boundary for huge timestamps or tiny windows; step back onto the right side.
  if (start > timestamp) start -= windowMs;
  else if (start + windowMs <= timestamp) start += windowMs;
  return start;
}

export interface WindowRows {
  /** Inclusive start, UTC ms. */
  readonly start: number;
  /** Indices of the rows in this window, ascending. */
  readonly rows: Int32Array;
}

/**
 * Groups row indices by window, oldest window first; windows without rows are not listed.
 * @throws KeelError INVALID_PARAMETER_VALUE for a non-positive windowMs, a count of timestamps other than
 * `rowCount`, or a timestamp that is not finite.
 * @example
 * groupByWindow(Float64Array.of(0, 999, 1000), 1000, 3); // [{ start: 0, rows: [0, 1] }, { start: 1000, rows: [2] }]
 */
export function groupByWindow(timestamps: Float64Array, windowMs: number, rowCount: number): WindowRows[] {
  if (!(Number.isFinite(windowMs) && windowMs > 0)) {
    throw invalid(`windowMs must be a positive number of milliseconds (3600000 for hourly windows), got ${windowMs}`);
  }
  if (timestamps.length !== rowCount) {
    throw invalid(`there are ${timestamps.length} timestamps for ${rowCount} rows; pass one prediction time per row`);
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rowCount; i++) {
    const t = timestamps[i];
    if (!Number.isFinite(t)) throw invalid(`timestamps[${i}] is ${t}; pass UTC milliseconds since the epoch`);
    const start = windowStart(t, windowMs);
    const group = groups.get(start);
    if (group === undefined) groups.set(start, [i]);
    else group.push(i);
  }
  return [...groups.entries()].sort((x, y) => x[0] - y[0]).map(([start, rows]) => ({ start, rows: Int32Array.from(rows) }));
}
