import type { MonitorRun } from "./monitoring-types";

/** A run's status as a coloured word. */
export function MonitoringStatus({ status }: { status: MonitorRun["status"] }) {
  return <span className={`status-badge status-${status}`}>{status}</span>;
}
