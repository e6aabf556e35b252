/** The run page's chart: which of the run's metrics to plot, the x axis, smoothing and log scale. */
import { useState } from "react";
import type { ChartXAxis } from "./metric-chart";
import { MetricChart } from "./metric-chart";

export interface MetricChartPanelProps {
  readonly runId: string;
  readonly runName: string;
  readonly metricKeys: readonly string[];
}

export function MetricChartPanel({ runId, runName, metricKeys }: MetricChartPanelProps) {
  const [chosen, setChosen] = useState<readonly string[]>(metricKeys.slice(0, 1));
  const [xAxis, setXAxis] = useState<ChartXAxis>("step");
  const [smoothing, setSmoothing] = useState(0);
  const [logScale, setLogScale] = useState(false);
  if (metricKeys.length === 0) return null;
  const toggle = (key: string): void => setChosen((c) => (c.includes(key) ? c.filter((k) => k !== key) : [...c, key]));
  return (
    <section className="chart-panel">
      <h2>Charts</h2>
      <div className="toolbar chart-controls">
        <span className="metric-choices" role="group" aria-label="Metrics to chart">
          {metricKeys.map((key) => (
            <label key={key}>
              <input type="checkbox" checked={chosen.includes(key)} onChange={() => toggle(key)} /> {key}
            </label>
          ))}
        </span>
        <label>
          x axis{" "}
          <select aria-label="x axis" value={xAxis} onChange={(e) => setXAxis(e.target.value as ChartXAxis)}>
            <option value="step">Step</option>
            <option value="wall">Wall time</option>
            <option value="relative">Time since start</option>
          </select>
        </label>
        <label>
          Smoothing{" "}
          <input type="range" aria-label="Smoothing" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} />{" "}
          <span className="muted">{smoothing.toFixed(2)}</span>
        </label>
        <label>
          <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> Log scale
        </label>
        <span className="muted">Drag to zoom, double-click to reset.</span>
      </div>
      <MetricChart series={chosen.map((metricKey) => ({ runId, runName, metricKey }))} xAxis={xAxis} smoothing={smoothing} logScale={logScale} />
    </section>
  );
}
