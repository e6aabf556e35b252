import type { Metric } from "./types.js";

/** The largest finite double; MLflow's SQL store keeps ±Infinity as ±this because SQL has no infinities. */
export const MAX_DOUBLE = 1.7976931348623157e308;

export interface StoredMetricValue {
  readonly value: number;
  readonly is_nan: number;
}

/** Metric value as MLflow's SQL store writes it: NaN as 0 with is_nan set, ±Infinity as ±MAX_DOUBLE. */
export function toStoredValue(value: number): StoredMetricValue {
  if (Number.isNaN(value)) return { value: 0, is_nan: 1 };
  if (value === Infinity) return { value: MAX_DOUBLE, is_nan: 0 };
  if (value === -Infinity) return { value: -MAX_DOUBLE, is_nan: 0 };
  return { value, is_nan: 0 };
}

export function fromStoredValue(row: StoredMetricValue): number {
  return row.is_nan ? NaN : row.value;
}

/**
 * True when `a` should replace `b` as a key's latest value: higher step, then later timestamp, then larger
 * value, as MLflow's SQL store orders them (NaN ranks above every number, as its is_nan column sorts last).
 */
export function isNewerMetric(a: Metric, b: Metric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return rankValue(a.value) >= rankValue(b.value);
}

function rankValue(value: number): number {
  return Number.isNaN(value) ? Infinity : value;
}
