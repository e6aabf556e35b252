/** Any two columns (param or metric) against each other, one point per run, as inline SVG. */
import { useState } from "react";
import type { CompareColumn, CompareRun } from "./compare-data";
import { runColor, numericValue, runLabel, scale, shortNumber } from "./compare-data";

const WIDTH = 520;
const HEIGHT = 360;
const PAD = { left: 60, right: 20, top: 16, bottom: 44 };

function ColumnSelect({ label, columns, value, onChange }: { label: string; columns: readonly CompareColumn[]; value: string; onChange(id: string): void }) {
  return (
    <label>
      {label}{" "}
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        {columns.map((c) => (
          <option key={c.id} value={c.id}>
            {c.kind} {c.key}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CompareScatter({ runs, columns }: { runs: readonly CompareRun[]; columns: readonly CompareColumn[] }) {
  const [xId, setXId] = useState(columns[0]?.id ?? "");
  const [yId, setYId] = useState(columns.find((c) => c.kind === "metric")?.id ?? columns[1]?.id ?? "");
  const xColumn = columns.find((c) => c.id === xId);
  const yColumn = columns.find((c) => c.id === yId);
  if (!xColumn || !yColumn) return <p className="muted">The scatter needs numeric params or metrics shared by at least two runs.</p>;
  const points = runs.flatMap((run, i) => {
    const x = numericValue(run, xColumn);
    const y = numericValue(run, yColumn);
    return x === undefined || y === undefined ? [] : [{ run, x, y, color: runColor(i) }];
  });
  const sx = scale(points.map((p) => p.x), PAD.left + 10, WIDTH - PAD.right - 10);
  const sy = scale(points.map((p) => p.y), HEIGHT - PAD.bottom - 10, PAD.top + 10);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return (
    <div>
      <div className="toolbar">
        <ColumnSelect label="Scatter X" columns={columns} value={xId} onChange={setXId} />
        <ColumnSelect label="Scatter Y" columns={columns} value={yId} onChange={setYId} />
      </div>
      <svg className="compare-scatter" width={WIDTH} height={HEIGHT} role="img" aria-label={`${yColumn.key} against ${xColumn.key}`}>
        <line className="axis" x1={PAD.left} y1={HEIGHT - PAD.bottom} x2={WIDTH - PAD.right} y2={HEIGHT - PAD.bottom} />
        <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={HEIGHT - PAD.bottom} />
        {points.length ? (
          <>
            <text x={PAD.left} y={HEIGHT - PAD.bottom + 16}>{shortNumber(Math.min(...xs))}</text>
            <text x={WIDTH - PAD.right} y={HEIGHT - PAD.bottom + 16} textAnchor="end">{shortNumber(Math.max(...xs))}</text>
            <text x={PAD.left - 6} y={HEIGHT - PAD.bottom} textAnchor="end">{shortNumber(Math.min(...ys))}</text>
            <text x={PAD.left - 6} y={PAD.top + 10} textAnchor="end">{shortNumber(Math.max(...ys))}</text>
          </>
        ) : null}
        <text className="axis-label" x={(PAD.left + WIDTH - PAD.right) / 2} y={HEIGHT - 8} textAnchor="middle">
          {xColumn.kind} {xColumn.key}
        </text>
        <text className="axis-label" x={14} y={(PAD.top + HEIGHT - PAD.bottom) / 2} textAnchor="middle" transform={`rotate(-90 14 ${(PAD.top + HEIGHT - PAD.bottom) / 2})`}>
          {yColumn.kind} {yColumn.key}
        </text>
        {points.map((p) => (
          <circle key={p.run.info.run_id} className="point" data-run-id={p.run.info.run_id} cx={sx(p.x)} cy={sy(p.y)} r={6} fill={p.color}>
            <title>{`${runLabel(p.run)}: ${xColumn.key} ${p.x}, ${yColumn.key} ${p.y}`}</title>
          </circle>
        ))}
      </svg>
      {points.length < runs.length ? <p className="muted">{runs.length - points.length} runs lack a number for one of the two columns and are not shown.</p> : null}
    </div>
  );
}
