/** Parallel coordinates as inline SVG: one vertical axis per numeric param, the chosen metric last, one line per run. */
import { useState } from "react";
import type { CompareColumn, CompareRun } from "./compare-data";
import { runColor, numericValue, runLabel, scale, shortNumber } from "./compare-data";

const HEIGHT = 320;
const PAD = { top: 36, bottom: 30, side: 60 };
const AXIS_GAP = 150;

export function CompareParallel({ runs, columns }: { runs: readonly CompareRun[]; columns: readonly CompareColumn[] }) {
  const params = columns.filter((c) => c.kind === "param");
  const metrics = columns.filter((c) => c.kind === "metric");
  const [metricId, setMetricId] = useState(metrics[0]?.id ?? "");
  const metric = metrics.find((m) => m.id === metricId);
  if (params.length === 0 || !metric) return <p className="muted">Parallel coordinates need at least one numeric param and one metric logged by two runs or more.</p>;
  const axes = [...params, metric];
  const width = PAD.side * 2 + AXIS_GAP * (axes.length - 1);
  const scales = axes.map((axis) => {
    const values = runs.map((r) => numericValue(r, axis)).filter((v): v is number => v !== undefined);
    return { axis, values, y: scale(values, HEIGHT - PAD.bottom, PAD.top) };
  });
  const x = (i: number): number => PAD.side + i * AXIS_GAP;
  return (
    <div>
      <div className="toolbar">
        <label>
          Metric{" "}
          <select aria-label="Parallel coordinates metric" value={metricId} onChange={(e) => setMetricId(e.target.value)}>
            {metrics.map((m) => (
              <option key={m.id} value={m.id}>
                {m.key}
              </option>
            ))}
          </select>
        </label>
      </div>
      <svg className="compare-parallel" width={width} height={HEIGHT} role="img" aria-label={`Params against ${metric.key}`}>
        {scales.map((s, i) => (
          <g key={s.axis.id}>
            <line className="axis" x1={x(i)} y1={PAD.top} x2={x(i)} y2={HEIGHT - PAD.bottom} />
            <text x={x(i)} y={PAD.top - 18} textAnchor="middle" className={s.axis.kind === "metric" ? "axis-label metric" : "axis-label"}>
              {s.axis.key}
            </text>
            {s.values.length ? (
              <>
                <text x={x(i) + 4} y={PAD.top - 4}>{shortNumber(Math.max(...s.values))}</text>
                <text x={x(i) + 4} y={HEIGHT - PAD.bottom + 14}>{shortNumber(Math.min(...s.values))}</text>
              </>
            ) : null}
          </g>
        ))}
        {runs.map((run, r) => {
          // A run without a value on an axis skips that axis rather than inventing one.
          const points = scales.flatMap((s, i) => {
            const v = numericValue(run, s.axis);
            return v === undefined ? [] : [`${x(i).toFixed(1)},${s.y(v).toFixed(1)}`];
          });
          if (points.length < 2) return null;
          return (
            <polyline key={run.info.run_id} className="line" data-run-id={run.info.run_id} points={points.join(" ")} fill="none" stroke={runColor(r)} strokeWidth={2}>
              <title>{runLabel(run)}</title>
            </polyline>
          );
        })}
      </svg>
    </div>
  );
}
