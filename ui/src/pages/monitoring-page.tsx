/** The Monitoring section: `#/monitoring` shows each monitor's newest run, `#/monitoring/<name>` its history. */
import { apiGet } from "../api/client";
import { useApi } from "../api/use-api";
import { Empty, Loaded } from "../components/status";
import type { Location } from "../router";
import { href } from "../router";
import { MonitoringMonitorPage } from "./monitoring-monitor-page";
import { MonitoringStatus } from "./monitoring-status";
import type { MonitorRun } from "./monitoring-types";
import { formatTime, percent } from "./monitoring-types";
import "./monitoring.css";

function MonitorList() {
  const latest = useApi((signal) => apiGet<{ runs?: MonitorRun[] }>("/keel/monitors/latest", {}, signal), []);
  return (
    <>
      <h1>Monitoring</h1>
      <Loaded
        value={latest}
        render={({ runs = [] }) =>
          runs.length === 0 ? (
            <Empty>
              No monitor has run yet. Monitors are defined in a monitors file and run on their schedule by <code>keel server --monitors monitors.yaml</code>, or once
              with <code>keel monitor run</code>; each run's drift, data quality and performance checks then show here.
            </Empty>
          ) : (
            <table className="monitors">
              <thead>
                <tr>
                  <th>Monitor</th>
                  <th>Model</th>
                  <th>Status</th>
                  <th>Reasons</th>
                  <th>Finished</th>
                  <th>Rows</th>
                  <th>Drift share</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.monitor} data-monitor={r.monitor}>
                    <td>
                      <a href={href(["monitoring", r.monitor])}>{r.monitor}</a>
                    </td>
                    <td>{r.model}</td>
                    <td>
                      <MonitoringStatus status={r.status} />
                    </td>
                    <td className="reasons">{r.reasons.length ? r.reasons.join("; ") : <span className="muted">all checks passed</span>}</td>
                    <td className="muted">{formatTime(r.finishedAt)}</td>
                    <td>{r.rows}</td>
                    <td>{percent(r.driftShare)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      />
    </>
  );
}

export function MonitoringPage({ location }: { location: Location }) {
  const name = location.segments[1];
  if (name === undefined) return <MonitorList />;
  const run = Number(location.query.get("run") ?? NaN);
  return <MonitoringMonitorPage key={name} name={name} selectedRun={Number.isInteger(run) ? run : undefined} />;
}
