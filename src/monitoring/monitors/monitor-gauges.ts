/**
 * Prometheus gauges of the newest run of every monitor, read from the monitor store at each scrape, so runs
 * made by `keel monitor run` (another process) show as soon as they are stored. Alert rules fire on these
 * (see alert-rules.ts); names follow Prometheus's conventions (`_seconds`, `_ratio`).
 */
import { Gauge, Registry } from "prom-client";
import type { MonitorStore } from "./monitor-store.js";
import type { MonitorRun, MonitorStatus } from "./types.js";

export const STATUS_VALUE: Readonly<Record<MonitorStatus, number>> = { ok: 0, alert: 1, error: 2 };

interface ColumnResult {
  readonly column: string;
  readonly stattest: string;
  readonly statistic: number;
  readonly pValue?: number;
  readonly drifted: boolean;
}

interface StoredChecks {
  readonly drift?: { readonly columns?: readonly ColumnResult[] };
  readonly quality?: { readonly issues?: readonly unknown[] } | null;
  readonly predictionDrift?: { readonly columns?: readonly ColumnResult[] } | null;
  readonly performance?: { readonly overall?: Readonly<Record<string, number>>; readonly degraded?: boolean } | null;
}

function finite(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * A registry with the monitor gauges (its own, never prom-client's global one). A store failure during a
 * scrape leaves the gauges empty for that scrape rather than failing `/metrics`.
 */
export function createMonitorMetrics(store: MonitorStore): Registry {
  const registry = new Registry();
  let latest: Promise<MonitorRun[]> | null = null;
  // One store read per scrape, shared by every gauge's collect.
  const runs = (): Promise<MonitorRun[]> => {
    latest ??= store.latestRuns().catch(() => []).finally(() => setTimeout(() => (latest = null), 0));
    return latest;
  };
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge<string>, run: MonitorRun, checks: StoredChecks) => void): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const run of await runs()) fill(this, run, run.result as StoredChecks);
      },
    });
  };
  gauge("keel_monitor_status", "Newest run's status: 0 ok, 1 alert (a check failed), 2 error (could not run)", ["monitor", "model"], (g, run) =>
    g.set({ monitor: run.monitor, model: run.model }, STATUS_VALUE[run.status]),
  );
  gauge("keel_monitor_last_run_timestamp_seconds", "When the newest run started (Unix seconds)", ["monitor"], (g, run) =>
    g.set({ monitor: run.monitor }, run.startedAt / 1000),
  );
  gauge("keel_monitor_window_rows", "Predictions in the newest run's window", ["monitor"], (g, run) => g.set({ monitor: run.monitor }, run.rows));
  gauge("keel_monitor_drift_share_ratio", "Share of input columns drifted in the newest run", ["monitor"], (g, run) => {
    if (run.driftShare !== null) g.set({ monitor: run.monitor }, run.driftShare);
  });
  gauge("keel_monitor_dataset_drift", "1 when the newest run found dataset drift", ["monitor"], (g, run) => {
    if (run.datasetDrift !== null) g.set({ monitor: run.monitor }, run.datasetDrift ? 1 : 0);
  });
  gauge("keel_monitor_column_drift_statistic", "Per-column drift statistic (or distance) of the newest run", ["monitor", "column", "stattest"], (g, run, checks) => {
    for (const c of checks.drift?.columns ?? []) if (finite(c.statistic)) g.set({ monitor: run.monitor, column: c.column, stattest: c.stattest }, c.statistic);
  });
  gauge("keel_monitor_column_drift_p_value", "Per-column drift p-value of the newest run (p-value tests only)", ["monitor", "column", "stattest"], (g, run, checks) => {
    for (const c of checks.drift?.columns ?? []) if (finite(c.pValue)) g.set({ monitor: run.monitor, column: c.column, stattest: c.stattest }, c.pValue);
  });
  gauge("keel_monitor_column_drifted", "1 when the column drifted in the newest run", ["monitor", "column"], (g, run, checks) => {
    for (const c of checks.drift?.columns ?? []) g.set({ monitor: run.monitor, column: c.column }, c.drifted ? 1 : 0);
  });
  gauge("keel_monitor_prediction_drift", "1 when the predictions drifted from the reference target in the newest run", ["monitor"], (g, run, checks) => {
    const c = checks.predictionDrift?.columns?.[0];
    if (c) g.set({ monitor: run.monitor }, c.drifted ? 1 : 0);
  });
  gauge("keel_monitor_quality_issues", "Data quality issues found in the newest run", ["monitor"], (g, run, checks) => {
    if (checks.quality) g.set({ monitor: run.monitor }, checks.quality.issues?.length ?? 0);
  });
  gauge("keel_monitor_performance", "Performance metric over the labelled predictions of the newest run", ["monitor", "metric"], (g, run, checks) => {
    for (const [metric, value] of Object.entries(checks.performance?.overall ?? {})) if (finite(value)) g.set({ monitor: run.monitor, metric }, value);
  });
  gauge("keel_monitor_performance_degraded", "1 when a metric fell below the reference beyond the tolerance in the newest run", ["monitor"], (g, run, checks) => {
    if (checks.performance) g.set({ monitor: run.monitor }, checks.performance.degraded ? 1 : 0);
  });
  return registry;
}
