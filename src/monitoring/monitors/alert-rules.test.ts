import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseMonitorsConfig } from "./monitor-config.js";
import { monitorAlertRules } from "./alert-rules.js";

interface ParsedRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

function rulesOf(text: string): ParsedRule[] {
  const document = parse(text) as { groups: { name: string; rules: ParsedRule[] }[] };
  expect(document.groups).toHaveLength(1);
  expect(document.groups[0].name).toBe("keel-monitors");
  return document.groups[0].rules;
}

const MONITORS = parseMonitorsConfig(
  parse(`
monitors:
  churn-daily: { model: churn, window: 1d, schedule: "0 6 * * *" }
  churn-hourly: { model: churn, window: 10m, schedule: "*/10 * * * *" }
  on-demand: { model: churn }
`),
  "/srv",
);

describe("monitorAlertRules", () => {
  it("has one rule per failure kind, each firing on a monitor gauge", () => {
    const rules = rulesOf(monitorAlertRules([]));
    expect(rules.map((r) => r.alert)).toEqual([
      "KeelMonitorDatasetDrift",
      "KeelMonitorPredictionDrift",
      "KeelMonitorPerformanceDegraded",
      "KeelMonitorDataQuality",
      "KeelMonitorError",
    ]);
    expect(rules.every((r) => /^keel_monitor_\w+ (==|>) \d$/.test(r.expr))).toBe(true);
    expect(rules.find((r) => r.alert === "KeelMonitorPerformanceDegraded")?.labels.severity).toBe("critical");
    expect(rules.find((r) => r.alert === "KeelMonitorError")?.for).toBe("15m");
    expect(rules.every((r) => r.annotations.summary.includes("{{ $labels.monitor }}"))).toBe(true);
    // These rules compare with 1, so their $value is always 1 and must not be read out as an amount.
    for (const name of ["KeelMonitorDatasetDrift", "KeelMonitorPredictionDrift", "KeelMonitorPerformanceDegraded"]) {
      expect(rules.find((r) => r.alert === name)?.annotations.summary).not.toContain("$value");
    }
    expect(rules.find((r) => r.alert === "KeelMonitorDataQuality")?.annotations.summary).toContain("{{ $value }} data quality issue(s)");
  });

  it("adds a stale-run rule only for scheduled monitors, after twice the window and at least an hour", () => {
    const stale = rulesOf(monitorAlertRules(MONITORS)).filter((r) => r.alert === "KeelMonitorStale");
    expect(stale.map((r) => r.expr)).toEqual([
      'time() - keel_monitor_last_run_timestamp_seconds{monitor="churn-daily"} > 172800',
      'time() - keel_monitor_last_run_timestamp_seconds{monitor="churn-hourly"} > 3600',
    ]);
    expect(stale[0].annotations.summary).toContain("schedule 0 6 * * *");
  });
});
