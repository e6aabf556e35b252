/** Runs side by side: each run's params and latest metrics as named columns ("param:lr", "metric:loss"). */
import { SERIES_COLORS } from "../components/metric-chart";

export interface CompareRun {
  readonly info: { readonly run_id: string; readonly run_name?: string; readonly experiment_id: string; readonly status?: string };
  readonly data: {
    readonly params?: readonly { readonly key: string; readonly value: string }[];
    readonly metrics?: readonly { readonly key: string; readonly value: number; readonly step?: number }[];
  };
}

export interface CompareColumn {
  /** "param:<key>" or "metric:<key>". */
  readonly id: string;
  readonly kind: "param" | "metric";
  readonly key: string;
}

export function runLabel(run: CompareRun): string {
  return run.info.run_name || run.info.run_id.slice(0, 8);
}

export function paramKeys(runs: readonly CompareRun[]): string[] {
  return [...new Set(runs.flatMap((r) => (r.data.params ?? []).map((p) => p.key)))].sort();
}

export function metricKeys(runs: readonly CompareRun[]): string[] {
  return [...new Set(runs.flatMap((r) => (r.data.metrics ?? []).map((m) => m.key)))].sort();
}

export function paramValue(run: CompareRun, key: string): string | undefined {
  return run.data.params?.find((p) => p.key === key)?.value;
}

/** The latest value of a metric, as `runs/get` reports it (one entry per key). */
export function metricValue(run: CompareRun, key: string): number | undefined {
  return run.data.metrics?.find((m) => m.key === key)?.value;
}

/** A column's value for a run as a number, or undefined when absent or not numeric (a param like "gini"). */
export function numericValue(run: CompareRun, column: CompareColumn): number | undefined {
  if (column.kind === "metric") {
    // The wire gives NaN and ±Infinity as strings; they have no place on an axis.
    const value: unknown = metricValue(run, column.key);
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  }
  const text = paramValue(run, column.key);
  if (text === undefined || text.trim() === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export function columnsOf(runs: readonly CompareRun[]): CompareColumn[] {
  return [
    ...paramKeys(runs).map((key) => ({ id: `param:${key}`, kind: "param" as const, key })),
    ...metricKeys(runs).map((key) => ({ id: `metric:${key}`, kind: "metric" as const, key })),
  ];
}

/** Columns with a number for at least two runs: the ones worth plotting. */
export function numericColumns(runs: readonly CompareRun[]): CompareColumn[] {
  return columnsOf(runs).filter((c) => runs.filter((r) => numericValue(r, c) !== undefined).length >= 2);
}

/** A linear scale from [min, max] onto [from, to]; a single value maps to the middle. */
export function scale(values: readonly number[], from: number, to: number): (v: number) => number {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return (v) => (max === min ? (from + to) / 2 : from + ((v - min) / (max - min)) * (to - from));
}

export function shortNumber(v: number): string {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

/** One colour per run, in order: the metric chart's series colours, so a run looks the same in every plot. */
export function runColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}
