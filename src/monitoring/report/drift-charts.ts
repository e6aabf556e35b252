/**
 * Chart data for a drift report: for each compared column, the reference and current distributions on a
 * common axis (shared bin edges, or the same categories), as shares of each sample's non-missing values so
 * samples of different sizes compare at a glance.
 */
import { KeelError } from "../../core/errors.js";
import type { Column, Frame } from "../../core/frame.js";
import { compareCodePoints } from "../../core/compare-code-points.js";
import type { ColumnDriftResult, DriftResult } from "../drift/index.js";

/** Bins of a histogram at most; fewer when the column holds fewer distinct values. */
export const MAX_HISTOGRAM_BINS = 30;
/** Categories drawn one by one; the rest share one "other" bar. */
export const MAX_CATEGORIES = 20;

/** A numerical column: bin i spans [edges[i], edges[i + 1]), the last bin includes its right edge. */
export interface HistogramChart {
  readonly type: "histogram";
  readonly column: string;
  /** bins + 1 increasing edges. */
  readonly edges: readonly number[];
  /** Share of the sample's non-missing values in each bin; sums to 1 (0 everywhere for an empty sample). */
  readonly reference: readonly number[];
  readonly current: readonly number[];
}

/** A categorical column: the most frequent categories over both samples, most frequent first. */
export interface BarChart {
  readonly type: "bars";
  readonly column: string;
  /** Category labels; when `otherCategories` > 0 the last one is the "other" bar. */
  readonly labels: readonly string[];
  readonly reference: readonly number[];
  readonly current: readonly number[];
  /** How many categories the last bar folds together (0 when every category has its own bar). */
  readonly otherCategories: number;
}

export type ColumnChart = HistogramChart | BarChart;

export interface DriftChartsOptions {
  readonly maxBins?: number;
  readonly maxCategories?: number;
}

function findColumn(frame: Frame, name: string, table: string): Column {
  const column = frame.columns.find((c) => c.name === name);
  if (!column) throw new KeelError("INVALID_PARAMETER_VALUE", `no column '${name}' in the ${table} table, which the drift result compares`);
  return column;
}

/** Finite values only: the drift tests drop NaN and ±Infinity, so the charts show what was tested. */
function finiteRange(samples: readonly Float64Array[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const sample of samples) {
    for (let i = 0; i < sample.length; i++) {
      const v = sample[i];
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max };
}

/** Distinct finite values over both samples, counted only up to `cap` so a 1M-row column stops early. */
function countDistinctFinite(samples: readonly Float64Array[], cap: number): number {
  const seen = new Set<number>();
  for (const sample of samples) {
    for (let i = 0; i < sample.length; i++) {
      const v = sample[i];
      if (!Number.isFinite(v)) continue;
      seen.add(v);
      if (seen.size >= cap) return cap;
    }
  }
  return seen.size;
}

function binShares(values: Float64Array, edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const min = edges[0];
  const width = (edges[bins] - min) / bins;
  const counts = new Float64Array(bins);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const at = Math.floor((v - min) / width);
    counts[at < 0 ? 0 : at >= bins ? bins - 1 : at]++;
    n++;
  }
  return Array.from(counts, (c) => (n === 0 ? 0 : c / n));
}

/**
 * Shared edges over the combined finite range. A constant column gets one bin of width 1 around its value
 * so that it still draws; a column with fewer distinct values than `maxBins` gets one bin per value's worth.
 */
export function histogramChart(column: string, reference: Float64Array, current: Float64Array, maxBins = MAX_HISTOGRAM_BINS): HistogramChart {
  const { min, max } = finiteRange([reference, current]);
  if (!Number.isFinite(min)) return { type: "histogram", column, edges: [0, 1], reference: [0], current: [0] };
  const bins = min === max ? 1 : Math.max(1, Math.min(maxBins, countDistinctFinite([reference, current], maxBins)));
  const [lo, hi] = min === max ? [min - 0.5, max + 0.5] : [min, max];
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
  return { type: "histogram", column, edges, reference: binShares(reference, edges), current: binShares(current, edges) };
}

type Key = string | number;

function countKeys(column: Column): { counts: Map<Key, number>; n: number } {
  const counts = new Map<Key, number>();
  let n = 0;
  if (column.kind === "number") {
    const values = column.values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      counts.set(v, (counts.get(v) ?? 0) + 1);
      n++;
    }
  } else {
    for (const v of column.values) {
      if (v === null) continue;
      counts.set(v, (counts.get(v) ?? 0) + 1);
      n++;
    }
  }
  return { counts, n };
}

/** Ties in frequency go by label in code-point order, so the same data always draws the same bars. */
export function barChart(column: string, reference: Column, current: Column, maxCategories = MAX_CATEGORIES): BarChart {
  const ref = countKeys(reference);
  const cur = countKeys(current);
  const keys = new Set<Key>([...ref.counts.keys(), ...cur.counts.keys()]);
  const total = (k: Key): number => (ref.counts.get(k) ?? 0) + (cur.counts.get(k) ?? 0);
  const ranked = [...keys]
    .map((key) => ({ key, label: String(key), total: total(key) }))
    .sort((a, b) => b.total - a.total || compareCodePoints(a.label, b.label));
  const shown = ranked.slice(0, maxCategories);
  const rest = ranked.slice(maxCategories);
  const share = (counts: Map<Key, number>, n: number, key: Key): number => (n === 0 ? 0 : (counts.get(key) ?? 0) / n);
  const restShare = (counts: Map<Key, number>, n: number): number => rest.reduce((sum, r) => sum + share(counts, n, r.key), 0);
  const withRest = (values: number[], counts: Map<Key, number>, n: number): number[] =>
    rest.length > 0 ? [...values, restShare(counts, n)] : values;
  return {
    type: "bars",
    column,
    labels: rest.length > 0 ? [...shown.map((s) => s.label), "other"] : shown.map((s) => s.label),
    reference: withRest(shown.map((s) => share(ref.counts, ref.n, s.key)), ref.counts, ref.n),
    current: withRest(shown.map((s) => share(cur.counts, cur.n, s.key)), cur.counts, cur.n),
    otherCategories: rest.length,
  };
}

function columnChart(reference: Frame, current: Frame, result: ColumnDriftResult, options: DriftChartsOptions): ColumnChart {
  const ref = findColumn(reference, result.column, "reference");
  const cur = findColumn(current, result.column, "current");
  if (result.kind === "numerical" && ref.kind === "number" && cur.kind === "number") {
    return histogramChart(result.column, ref.values, cur.values, options.maxBins);
  }
  return barChart(result.column, ref, cur, options.maxCategories);
}

/**
 * One chart per column the drift result compares, in its order: a histogram for numerical columns, bars of
 * the top categories for categorical ones.
 * @throws KeelError INVALID_PARAMETER_VALUE when a compared column is missing from either frame.
 * @example
 * const result = detectDrift(train, today);
 * const charts = driftCharts(train, today, result);
 */
export function driftCharts(reference: Frame, current: Frame, result: DriftResult, options: DriftChartsOptions = {}): ColumnChart[] {
  return result.columns.map((c) => columnChart(reference, current, c, options));
}
