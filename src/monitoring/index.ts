/**
 * `keel/monitoring`: monitoring from TypeScript, without the CLI or a server — drift between two tables, data
 * quality, performance over windows, the prediction log and late labels, monitors defined in code (the same
 * fields as monitors.yaml) and run against a SQL store, and HTML drift reports.
 *
 * @example
 * import { readTable } from "keel/learn";
 * import { openMonitorStore, parseMonitorsConfig, runMonitor } from "keel/monitoring";
 * const [spec] = parseMonitorsConfig({ monitors: { daily: { model: "churn", reference: "train.csv" } } }, process.cwd());
 * const store = await openMonitorStore("sqlite:///keel-data/keel.db");
 * const run = await runMonitor(spec, { store, readTable, logger: console });
 * await store.close();
 */
export * from "./drift/index.js";
export * from "./stats/index.js";
export * from "./quality/index.js";
export * from "./performance/index.js";
export * from "./report/index.js";
export { readPredictionWindow } from "./log/prediction-window.js";
export type { PredictionWindow, PredictionWindowOptions } from "./log/prediction-window.js";
export { LABELS_DIRECTORY, labelsFromFrame, parseLabelRecords, writeLabels } from "./log/labels.js";
export type { LabelRecord } from "./log/labels.js";
export { findMonitor, loadMonitorsFile, parseDuration, parseMonitorsConfig } from "./monitors/monitor-config.js";
export { runMonitor } from "./monitors/run-monitor.js";
export type { RunMonitorDeps } from "./monitors/run-monitor.js";
export { createSqlMonitorStore, openMonitorStore } from "./monitors/sql-monitor-store.js";
export type { MonitorStore } from "./monitors/monitor-store.js";
export { monitorAlertRules } from "./monitors/alert-rules.js";
export { createMonitorMetrics } from "./monitors/monitor-gauges.js";
export type * from "./monitors/types.js";
