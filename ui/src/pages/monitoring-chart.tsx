/** A monitor's runs over time as inline SVG: drift share per run, each point coloured by the run's status. */
import { href } from "../router";
import type { MonitorRun } from "./monitoring-types";
import { formatTime, percent } from "./monitoring-types";

const WIDTH = 760;
const HEIGHT = 180;
const PAD = { left: 44, right: 16, top: 12, bottom: 28 };

export function MonitoringChart({ runs, selected }: { runs: readonly MonitorRun[]; selected: number | undefined }) {
  const ordered = [...runs].sort((a, b) => a.startedAt - b.startedAt);
  const t0 = ordered[0]?.startedAt ?? 0;
  const t1 = ordered[ordered.length - 1]?.startedAt ?? 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number): number => PAD.left + (t1 === t0 ? plotW / 2 : ((t - t0) / (t1 - t0)) * plotW);
  // Errored runs have no drift share; they sit on the axis so that the gap in monitoring stays visible.
  const y = (share: number | null): number => PAD.top + plotH - (share ?? 0) * plotH;
  const line = ordered
    .filter((r) => r.driftShare !== null)
    .map((r) => `${x(r.startedAt).toFixed(1)},${y(r.driftShare).toFixed(1)}`)
    .join(" ");
  return (
    <svg className="monitor-chart" width={WIDTH} height={HEIGHT} role="img" aria-label="Drift share per run">
      <line className="axis" x1={PAD.left} y1={PAD.top + plotH} x2={WIDTH - PAD.right} y2={PAD.top + plotH} />
      <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + plotH} />
      {[0, 0.5, 1].map((v) => (
        <text key={v} x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
          {v * 100}%
        </text>
      ))}
      <text x={PAD.left} y={HEIGHT - 8}>
        {ordered.length ? formatTime(t0) : ""}
      </text>
      <text x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end">
        {ordered.length > 1 ? formatTime(t1) : ""}
      </text>
      <polyline points={line} fill="none" stroke="#2458c6" strokeWidth={1.5} />
      {ordered.map((r) => (
        <a key={r.id} href={href(["monitoring", r.monitor], { run: String(r.id) })}>
          <circle className={`point status-${r.status}${r.id === selected ? " selected" : ""}`} cx={x(r.startedAt)} cy={y(r.driftShare)} r={5}>
            <title>{`run ${r.id}, ${formatTime(r.startedAt)}: ${r.status}, drift share ${percent(r.driftShare)}`}</title>
          </circle>
        </a>
      ))}
    </svg>
  );
}
