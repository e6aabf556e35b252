/** One monitor: its runs over time (chart and table) and, for the chosen run, what each check found. */
import { apiGet } from "../api/client";
import { useApi } from "../api/use-api";
import { Empty, Loaded } from "../components/status";
import { href } from "../router";
import { MonitoringChart } from "./monitoring-chart";
import { MonitoringStatus } from "./monitoring-status";
import { MonitoringRunDetail } from "./monitoring-run-detail";
import type { MonitorRun } from "./monitoring-types";
import { formatTime, percent } from "./monitoring-types";

const HISTORY = 200;

export function MonitoringMonitorPage({ name, selectedRun }: { name: string; selectedRun: number | undefined }) {
  const history = useApi((signal) => apiGet<{ runs?: MonitorRun[] }>("/keel/monitors/runs", { monitor: name, max_results: HISTORY }, signal), [name]);
  return (
    <>
      <p className="muted">
        <a href={href(["monitoring"])}>Monitoring</a> /
      </p>
      <h1>{name}</h1>
      <Loaded
        value={history}
        render={({ runs = [] }) => {
          if (runs.length === 0) {
            return <Empty>Monitor “{name}” has no stored run. Run it with <code>keel monitor run</code>, or let <code>keel server --monitors monitors.yaml</code> run it on its schedule.</Empty>;
          }
          const chosen = runs.find((r) => r.id === selectedRun) ?? runs[0];
          return (
            <>
              <h2>Runs over time</h2>
              <p className="muted">
                Drift share (the share of compared columns that drifted) of the last {runs.length} runs; green ok, red alert, purple error. Click a point or a row for its checks.
              </p>
              <MonitoringChart runs={runs} selected={chosen.id} />
              <table className="monitoring-runs">
                <thead>
                  <tr>
                    <th>Run</th>
                    <th>Started</th>
                    <th>Status</th>
                    <th>Rows</th>
                    <th>Drift share</th>
                    <th>Reasons</th>
                  </tr>
                </thead>
                <tbody>
                  {runs.map((r) => (
                    <tr key={r.id} data-run={r.id} className={r.id === chosen.id ? "selected" : ""}>
                      <td>
                        <a href={href(["monitoring", name], { run: String(r.id) })}>#{r.id}</a>
                      </td>
                      <td className="muted">{formatTime(r.startedAt)}</td>
                      <td>
                        <MonitoringStatus status={r.status} />
                      </td>
                      <td>{r.rows}</td>
                      <td>{percent(r.driftShare)}</td>
                      <td className="reasons">{r.reasons.join("; ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <MonitoringRunDetail run={chosen} />
            </>
          );
        }}
      />
    </>
  );
}
