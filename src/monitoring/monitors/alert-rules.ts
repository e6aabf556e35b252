/**
 * A Prometheus alerting-rules file for the monitor gauges (`keel monitor rules > keel-monitors.rules.yml`),
 * one group with a rule per failure kind, plus one that fires when a scheduled monitor stopped running.
 */
import { stringify } from "yaml";
import type { MonitorSpec } from "./types.js";

interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

function rule(alert: string, expr: string, severity: string, summary: string, forDuration?: string): Rule {
  return { alert, expr, ...(forDuration ? { for: forDuration } : {}), labels: { severity }, annotations: { summary } };
}

/** Seconds without a run after which a monitor counts as stale: twice its window, at least an hour. */
function staleSeconds(spec: MonitorSpec): number {
  return Math.max(3600, Math.round((2 * spec.windowMs) / 1000));
}

/** The rules YAML for `monitors`; the stale-run rule covers only monitors that have a schedule. */
export function monitorAlertRules(monitors: readonly MonitorSpec[]): string {
  const rules: Rule[] = [
    rule("KeelMonitorDatasetDrift", "keel_monitor_dataset_drift == 1", "warning", "Monitor {{ $labels.monitor }}: dataset drift in the newest window (see keel_monitor_drift_share_ratio)"),
    rule("KeelMonitorPredictionDrift", "keel_monitor_prediction_drift == 1", "warning", "Monitor {{ $labels.monitor }}: predictions drifted from the training target"),
    rule("KeelMonitorPerformanceDegraded", "keel_monitor_performance_degraded == 1", "critical", "Monitor {{ $labels.monitor }}: model performance fell below its reference"),
    rule("KeelMonitorDataQuality", "keel_monitor_quality_issues > 0", "warning", "Monitor {{ $labels.monitor }}: {{ $value }} data quality issue(s)"),
    rule("KeelMonitorError", "keel_monitor_status == 2", "warning", "Monitor {{ $labels.monitor }} could not run (no predictions or no reference)", "15m"),
  ];
  for (const spec of monitors.filter((m) => m.schedule)) {
    rules.push(
      rule(
        "KeelMonitorStale",
        `time() - keel_monitor_last_run_timestamp_seconds{monitor=${JSON.stringify(spec.name)}} > ${staleSeconds(spec)}`,
        "warning",
        `Monitor ${spec.name} has not run for more than ${staleSeconds(spec)} s (schedule ${spec.schedule})`,
      ),
    );
  }
  return stringify({ groups: [{ name: "keel-monitors", rules }] }, { lineWidth: 0 });
}
