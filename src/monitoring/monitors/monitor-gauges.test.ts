import { describe, expect, it } from "vitest";
import { createMonitorMetrics } from "./monitor-gauges.js";
import type { MonitorStore } from "./monitor-store.js";
import type { MonitorRun } from "./types.js";

const DRIFTED: MonitorRun = {
  id: 2,
  monitor: "churn-daily",
  model: "churn",
  startedAt: 1_796_000_000_000,
  finishedAt: 1_796_000_002_000,
  windowStart: 1_795_913_600_000,
  windowEnd: 1_796_000_000_000,
  status: "alert",
  reasons: ["tenure drifted"],
  rows: 1200,
  driftShare: 0.5,
  datasetDrift: true,
  result: {
    drift: {
      columns: [
        { column: "tenure", stattest: "ks", statistic: 0.31, pValue: 0.001, drifted: true },
        { column: "plan", stattest: "psi", statistic: 0.02, drifted: false },
      ],
    },
    quality: { issues: [{ column: "plan" }, { column: "tenure" }] },
    predictionDrift: { columns: [{ column: "label", stattest: "chisquare", statistic: 3, drifted: false }] },
    performance: { overall: { accuracy: 0.81, f1: 0.74 }, degraded: true },
  },
  actions: [],
};

const FAILED: MonitorRun = {
  ...DRIFTED,
  id: 3,
  monitor: "fraud",
  model: "fraud",
  status: "error",
  reasons: ["no predictions in the window"],
  rows: 0,
  driftShare: null,
  datasetDrift: null,
  result: {},
};

function storeOf(runs: MonitorRun[] | Error): MonitorStore {
  return {
    recordRun: () => Promise.reject(new Error("not used")),
    setActions: () => Promise.reject(new Error("not used")),
    history: () => Promise.reject(new Error("not used")),
    latestRuns: () => (runs instanceof Error ? Promise.reject(runs) : Promise.resolve(runs)),
  };
}

describe("createMonitorMetrics", () => {
  it("exposes the newest run of every monitor as gauges", async () => {
    const text = await createMonitorMetrics(storeOf([DRIFTED, FAILED])).metrics();
    const lines = text.split("\n");
    for (const line of [
      'keel_monitor_status{monitor="churn-daily",model="churn"} 1',
      'keel_monitor_status{monitor="fraud",model="fraud"} 2',
      'keel_monitor_last_run_timestamp_seconds{monitor="churn-daily"} 1796000000',
      'keel_monitor_window_rows{monitor="fraud"} 0',
      'keel_monitor_drift_share_ratio{monitor="churn-daily"} 0.5',
      'keel_monitor_dataset_drift{monitor="churn-daily"} 1',
      'keel_monitor_column_drift_statistic{monitor="churn-daily",column="tenure",stattest="ks"} 0.31',
      'keel_monitor_column_drift_statistic{monitor="churn-daily",column="plan",stattest="psi"} 0.02',
      'keel_monitor_column_drift_p_value{monitor="churn-daily",column="tenure",stattest="ks"} 0.001',
      'keel_monitor_column_drifted{monitor="churn-daily",column="plan"} 0',
      'keel_monitor_prediction_drift{monitor="churn-daily"} 0',
      'keel_monitor_quality_issues{monitor="churn-daily"} 2',
      'keel_monitor_performance{monitor="churn-daily",metric="accuracy"} 0.81',
      'keel_monitor_performance{monitor="churn-daily",metric="f1"} 0.74',
      'keel_monitor_performance_degraded{monitor="churn-daily"} 1',
    ]) {
      expect(lines).toContain(line);
    }
    // A run that could not be computed has no drift share, drift verdict or p-value for a distance.
    expect(text).not.toContain('keel_monitor_drift_share_ratio{monitor="fraud"}');
    expect(text).not.toContain('keel_monitor_dataset_drift{monitor="fraud"}');
    expect(text).not.toContain('keel_monitor_column_drift_p_value{monitor="churn-daily",column="plan"');
  });

  it("reads the store again at the next scrape", async () => {
    let runs = [DRIFTED];
    const registry = createMonitorMetrics({ ...storeOf([]), latestRuns: async () => runs });
    expect(await registry.metrics()).toContain('keel_monitor_status{monitor="churn-daily",model="churn"} 1');
    runs = [{ ...DRIFTED, status: "ok" }];
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await registry.metrics()).toContain('keel_monitor_status{monitor="churn-daily",model="churn"} 0');
  });

  it("answers a scrape with empty gauges when the store fails", async () => {
    const text = await createMonitorMetrics(storeOf(new Error("database is locked"))).metrics();
    expect(text).toContain("# TYPE keel_monitor_status gauge");
    expect(text).not.toContain("keel_monitor_status{");
  });
});
