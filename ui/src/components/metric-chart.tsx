/**
 * Metric charts with uPlot: one or many metrics of one or many runs overlaid, against step, wall-clock time or
 * time since each run started; EMA smoothing, log scale, drag to zoom (double-click resets), a legend.
 *
 * Points come from Keel's downsampled endpoint, one request per metric key for all its runs: at most about
 * two points per pixel bucket per series, so a million-step metric costs the browser a few thousand points.
 * Zooming in on the step axis asks again for the zoomed range only, so detail appears down to single steps;
 * a double-click goes back to the whole history.
 * The container carries `data-series-count` (the series plotted) and `data-points` (points drawn) for tests.
 */
import { useEffect, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./metric-chart.css";
import { apiGet } from "../api/client";
import type { DownsampledResponse } from "../api/mlflow-types";
import { useApi } from "../api/use-api";
import { Empty, ErrorBox } from "./status";

export interface ChartSeries {
  readonly runId: string;
  readonly runName: string;
  readonly metricKey: string;
}

export type ChartXAxis = "step" | "wall" | "relative";

export interface MetricChartProps {
  readonly series: readonly ChartSeries[];
  readonly xAxis?: ChartXAxis;
  /** EMA weight of the previous smoothed value, 0 (raw) to 0.99. */
  readonly smoothing?: number;
  readonly logScale?: boolean;
  readonly height?: number;
}

export const SERIES_COLORS = ["#2458c6", "#d9480f", "#2b8a3e", "#9c36b5", "#c92a2a", "#0b7285", "#e67700", "#5c940d", "#364fc7", "#a61e4d"];

/** Buckets per series: about one per pixel of a wide chart, never more than the endpoint's comfortable 1000. */
const BUCKETS = 1000;

interface Table {
  readonly series: ChartSeries;
  readonly x: number[];
  readonly y: (number | null)[];
}

/** An inclusive step range to load instead of the whole history. */
interface StepRange {
  readonly start: number;
  readonly end: number;
}

async function loadTables(series: readonly ChartSeries[], xAxis: ChartXAxis, signal: AbortSignal, range?: StepRange): Promise<Table[]> {
  const keys = [...new Set(series.map((s) => s.metricKey))];
  const answers = await Promise.all(
    keys.map((key) =>
      apiGet<DownsampledResponse>(
        "/keel/metrics/downsampled",
        {
          run_id: [...new Set(series.filter((s) => s.metricKey === key).map((s) => s.runId))],
          metric_key: key,
          buckets: BUCKETS,
          x: xAxis,
          ...(range ? { start_step: range.start, end_step: range.end } : {}),
        },
        signal,
      ),
    ),
  );
  return series.map((s) => {
    const answer = answers[keys.indexOf(s.metricKey)];
    const found = answer.series.find((r) => r.run_id === s.runId);
    return { series: s, x: found?.x ?? [], y: found?.y ?? [] };
  });
}

/** TensorBoard's debiased exponential moving average; nulls (NaN) stay gaps and do not reset the average. */
export function smoothEma(y: readonly (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return [...y];
  let last = 0;
  let n = 0;
  return y.map((v) => {
    if (v === null || !Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}

function labelOf(s: ChartSeries, all: readonly ChartSeries[]): string {
  const oneRun = new Set(all.map((a) => a.runId)).size === 1;
  const oneKey = new Set(all.map((a) => a.metricKey)).size === 1;
  if (oneRun && !oneKey) return s.metricKey;
  if (oneKey && !oneRun) return s.runName;
  return `${s.runName} · ${s.metricKey}`;
}

/** The x range shown, on the container as data-x-min / data-x-max, so that a zoom can be checked from outside. */
function recordXRange(plot: uPlot): void {
  const { min, max } = plot.scales.x;
  const container = plot.root.parentElement?.parentElement;
  if (!container || min === undefined || max === undefined) return;
  container.dataset.xMin = String(min);
  container.dataset.xMax = String(max);
}

/** Points drawn, on the container as data-points. */
function recordPoints(plot: uPlot): void {
  const container = plot.root.parentElement?.parentElement;
  if (!container) return;
  let points = 0;
  for (let i = 1; i < plot.data.length; i++) for (const v of plot.data[i]) if (v !== null && v !== undefined) points++;
  container.dataset.points = String(points);
}

function chartOptions(tables: readonly Table[], props: Required<Omit<MetricChartProps, "series">>, width: number): uPlot.Options {
  const xLabel = props.xAxis === "step" ? "step" : props.xAxis === "wall" ? "time (UTC)" : "seconds since the run started";
  return {
    width,
    height: props.height,
    ms: 1,
    cursor: { drag: { x: true, y: false } },
    hooks: { setScale: [(plot, key) => key === "x" && recordXRange(plot)], ready: [recordXRange, recordPoints], setData: [recordPoints] },
    scales: { x: { time: props.xAxis === "wall" }, y: props.logScale ? { distr: 3 } : {} },
    axes: [{ label: xLabel }, { size: 70 }],
    series: [
      { label: xLabel },
      ...tables.map((t, i) => ({
        label: labelOf(t.series, tables.map((u) => u.series)),
        stroke: SERIES_COLORS[i % SERIES_COLORS.length],
        width: 1.5,
        spanGaps: true,
        points: { show: false },
      })),
    ],
  };
}

function alignedData(tables: readonly Table[], xAxis: ChartXAxis, smoothing: number, logScale: boolean): uPlot.AlignedData {
  const parts = tables.map((t): uPlot.AlignedData => {
    const x = xAxis === "relative" ? t.x.map((v) => v / 1000) : t.x;
    // A log axis cannot place zero or negative values; they are left out rather than drawn at -∞.
    const y = smoothEma(t.y, smoothing).map((v) => (v === null || (logScale && v <= 0) ? null : v));
    return [x, y];
  });
  return parts.length === 1 ? parts[0] : uPlot.join(parts);
}

export function MetricChart({ series, xAxis = "step", smoothing = 0, logScale = false, height = 320 }: MetricChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const key = series.map((s) => `${s.runId}/${s.metricKey}`).join("|");
  // The axis travels with its data: while another axis loads, the chart keeps drawing the previous one whole.
  // A step range zoomed into: loaded again in detail (null: the whole history).
  const [range, setRange] = useState<StepRange | null>(null);
  useEffect(() => setRange(null), [key, xAxis]);
  const data = useApi(
    async (signal) => ({ axis: xAxis, tables: series.length ? await loadTables(series, xAxis, signal, xAxis === "step" && range ? range : undefined) : [] }),
    [key, xAxis, range?.start, range?.end],
  );
  const axis = data.state === "ready" ? data.data.axis : xAxis;
  const tables = data.state === "ready" ? data.data.tables.filter((t) => t.x.length > 0) : [];

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = holder.current;
    if (!element || tables.length === 0 || width === 0) return;
    const shown = alignedData(tables, axis, smoothing, logScale);
    const first = shown[0][0] ?? 0;
    const last = shown[0][shown[0].length - 1] ?? 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // After a drag-zoom on the step axis, the zoomed steps are asked for again, in detail; a new chart draws them.
    // (A debounce lets a burst of scale changes settle; a scale that fits the data drawn is no zoom.)
    const onZoom = (min: number, max: number): void => {
      clearTimeout(timer);
      if (axis !== "step" || (Math.abs(min - first) < 1 && Math.abs(max - last) < 1)) return;
      timer = setTimeout(() => setRange({ start: Math.max(0, Math.floor(min)), end: Math.ceil(max) }), 150);
    };
    const options = chartOptions(tables, { xAxis: axis, smoothing, logScale, height }, width);
    const hooks = options.hooks ?? {};
    options.hooks = {
      ...hooks,
      setScale: [
        ...(hooks.setScale ?? []),
        (u, key) => {
          const { min, max } = u.scales.x;
          if (key === "x" && min !== undefined && max !== undefined) onZoom(min, max);
        },
      ],
    };
    const plot = new uPlot(options, shown, element);
    // A double-click shows the whole history again.
    const reset = (): void => {
      clearTimeout(timer);
      setRange(null);
    };
    plot.over.addEventListener("dblclick", reset);
    return () => {
      clearTimeout(timer);
      plot.over.removeEventListener("dblclick", reset);
      plot.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, smoothing, logScale, height, width]);

  return (
    <div className="metric-chart" data-series-count={tables.length} data-state={data.state}>
      {data.state === "error" ? <ErrorBox error={data.error} /> : null}
      {data.state === "loading" ? <div className="loading">Loading chart…</div> : null}
      {series.length === 0 ? <Empty>Choose one or more metrics to chart.</Empty> : null}
      {data.state === "ready" && series.length > 0 && tables.length === 0 ? <Empty>These runs logged no points for the chosen metrics.</Empty> : null}
      <div ref={holder} className="chart-canvas" />
    </div>
  );
}
