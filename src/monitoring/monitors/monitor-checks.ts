/**
 * The checks of one monitor run over one window of the prediction log: input drift against the reference,
 * data quality, prediction drift (the predicted value against the reference's target) and, where labels
 * have arrived, performance against the model's validation metrics. Each check gives its result and, when it
 * fails, one line saying why.
 */
import { KeelError, invalidParameter } from "../../core/errors.js";
import type { Column, Frame } from "../../core/frame.js";
import type { RegistryStore } from "../../registry/registry-store.js";
import type { TrackingStore } from "../../tracking/tracking-store.js";
import { encodeClasses } from "../../learn/data/index.js";
import type { DriftResult } from "../drift/index.js";
import { detectDrift, detectDriftParallel } from "../drift/index.js";
import type { PredictionWindow } from "../log/prediction-window.js";
import type { PerformanceResult } from "../performance/index.js";
import { classificationPerformance, classificationPerformanceFromLabels, regressionPerformance } from "../performance/index.js";
import type { DataQualityResult } from "../quality/index.js";
import { checkDataQuality } from "../quality/index.js";
import { labelledClassification, labelledRegression, predictedClassNames, predictionColumn } from "./classification-rows.js";
import type { ModelReference } from "./model-reference.js";
import { dominantVersion, modelReference } from "./model-reference.js";
import type { MonitorSpec } from "./types.js";

export interface ReferenceStores {
  readonly registry?: RegistryStore;
  readonly tracking?: TrackingStore;
}

export interface MonitorChecks {
  readonly reference: { readonly table: string; readonly runId?: string; readonly version?: string; readonly rows: number };
  readonly columns: readonly string[];
  readonly drift: DriftResult;
  readonly quality: DataQualityResult | null;
  readonly predictionDrift: DriftResult | null;
  readonly performance: (PerformanceResult & { readonly labelledRows: number; readonly referenceMetrics: Readonly<Record<string, number>> }) | null;
  /** Why performance was not judged, when it was asked for. */
  readonly performanceSkipped?: string;
  readonly reasons: readonly string[];
}

/**
 * Reads the reference table given by path, with per-column kinds forced where given. Injected so that the CLI
 * and server share one DuckDB reader.
 */
export type ReadTable = (path: string, options?: { readonly types?: Readonly<Record<string, "number" | "string">> }) => Promise<Frame>;

async function resolveReference(spec: MonitorSpec, window: PredictionWindow, stores: ReferenceStores): Promise<{ table: string; model?: ModelReference }> {
  const version = spec.version ?? dominantVersion(window.versions);
  let model: ModelReference | undefined;
  if (stores.registry && stores.tracking && version !== undefined) {
    try {
      model = await modelReference({ registry: stores.registry, tracking: stores.tracking }, spec.registeredModel, version);
    } catch (error) {
      // An explicit reference table does not need the registry; without one, the lookup's error is the answer.
      if (!spec.reference) throw error;
    }
  }
  const table = spec.reference ?? model?.table;
  if (!table) {
    throw invalidParameter(
      `monitor '${spec.name}' has no reference: set \`reference\` to the training table, or register the model ` +
        `'${spec.registeredModel}' from a run that logged its training dataset (keel train --register does)`,
    );
  }
  return { table, ...(model ? { model } : {}) };
}

function pick(frame: Frame, names: readonly string[]): Frame {
  return { columns: names.map((n) => frame.columns.find((c) => c.name === n) as Column), rowCount: frame.rowCount };
}

function asText(column: Column, name: string): Column {
  if (column.kind === "string") return { ...column, name };
  return { kind: "string", name, values: Array.from(column.values, (v) => (Number.isFinite(v) ? String(v) : null)) };
}

/** The training target's classes in the model's order (Keel's learners sort them), when the monitor names the target. */
function targetClasses(spec: MonitorSpec, reference: Frame): readonly string[] | undefined {
  const target = spec.target ? reference.columns.find((c) => c.name === spec.target) : undefined;
  if (!target || spec.performance?.task === "regression") return undefined;
  const present = target.kind === "number" ? { ...target, values: target.values.filter((v) => !Number.isNaN(v)) } : { ...target, values: target.values.filter((v) => v !== null) };
  return encodeClasses(present).classes;
}

/** The predicted value against the reference's target: categorical for a classifier, numerical for a regressor. */
function predictionDrift(spec: MonitorSpec, reference: Frame, window: PredictionWindow, classes: readonly string[] | undefined): DriftResult | null {
  const target = spec.target ? reference.columns.find((c) => c.name === spec.target) : undefined;
  const predicted = classes ? predictedClassNames(window, classes) : predictionColumn(window.outputs.columns);
  if (!target || !predicted) return null;
  const numeric = spec.performance?.task === "regression" && target.kind === "number" && predicted.kind === "number";
  const ref = numeric ? { ...target, name: "prediction" } : asText(target, "prediction");
  const cur = numeric ? { ...predicted, name: "prediction" } : asText(predicted, "prediction");
  return detectDrift({ columns: [ref], rowCount: reference.rowCount }, { columns: [cur], rowCount: window.rows }, {
    perColumn: { prediction: { kind: numeric ? "numerical" : "categorical" } },
  });
}

function performance(spec: MonitorSpec, window: PredictionWindow, referenceMetrics: Readonly<Record<string, number>>, classes: readonly string[] | undefined): Pick<MonitorChecks, "performance" | "performanceSkipped"> {
  const settings = spec.performance;
  if (!settings) return { performance: null };
  if (window.labelledRows < settings.minLabelledRows) {
    return { performance: null, performanceSkipped: `${window.labelledRows} labelled predictions in the window, fewer than minLabelledRows ${settings.minLabelledRows}` };
  }
  const common = { windowMs: settings.windowMs, referenceMetrics, tolerance: settings.tolerance };
  let result: PerformanceResult;
  if (settings.task === "regression") {
    const rows = labelledRegression(window);
    result = regressionPerformance({ ...rows, ...common });
  } else {
    const rows = labelledClassification(window, classes);
    result = rows.proba
      ? classificationPerformance({ timestamps: rows.timestamps, yTrue: rows.yTrue, proba: rows.proba, classes: rows.classes, ...common })
      : classificationPerformanceFromLabels({ timestamps: rows.timestamps, yTrue: rows.yTrue, yPred: rows.yPred, classes: rows.classes, ...common });
  }
  return { performance: { ...result, labelledRows: window.labelledRows, referenceMetrics } };
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function reasonsOf(checks: Omit<MonitorChecks, "reasons">): string[] {
  const reasons: string[] = [];
  const { drift, quality, predictionDrift: prediction, performance: perf } = checks;
  if (drift.datasetDrift) {
    const drifted = drift.columns.filter((c) => c.drifted).map((c) => c.column);
    reasons.push(`input drift: ${drift.driftedColumns} of ${drift.columns.length} columns drifted (${percent(drift.share)} >= ${percent(drift.driftShare)}): ${drifted.join(", ")}`);
  }
  if (quality && !quality.passed) reasons.push(`data quality: ${quality.issues.length} issue(s); ${quality.issues[0].message}`);
  if (prediction?.datasetDrift) {
    const c = prediction.columns[0];
    reasons.push(`prediction drift: ${c.stattest} ${c.pValue !== undefined ? `p-value ${c.pValue.toPrecision(3)}` : `distance ${c.statistic.toPrecision(3)}`} (threshold ${c.threshold})`);
  }
  if (perf?.degraded) {
    const worse = perf.comparison.filter((m) => m.degraded).map((m) => `${m.metric} ${m.current.toPrecision(4)} vs ${m.reference.toPrecision(4)}`);
    reasons.push(`performance degraded beyond ${percent(perf.tolerance)}: ${worse.join(", ")}`);
  }
  return reasons;
}

/**
 * Runs the monitor's checks on a window already read.
 * @throws KeelError when the window has fewer rows than minRows, the reference cannot be found or read, or no
 * logged input is in the reference.
 */
export async function computeMonitorChecks(spec: MonitorSpec, window: PredictionWindow, readTable: ReadTable, stores: ReferenceStores): Promise<MonitorChecks> {
  if (window.rows < spec.minRows) {
    throw new KeelError(
      "RESOURCE_DOES_NOT_EXIST",
      `only ${window.rows} prediction(s) of '${spec.model}' in the window, fewer than minRows ${spec.minRows}; check predictionLog (${spec.predictionLog}) and window`,
    );
  }
  const { table, model } = await resolveReference(spec, window, stores);
  // A classifier's target stays text: DuckDB would read yes/no as booleans (0/1), and labels arrive as "yes".
  const textTarget = spec.target !== undefined && spec.performance?.task !== "regression";
  const reference = await readTable(table, textTarget ? { types: { [spec.target as string]: "string" } } : undefined);
  const logged = window.inputs.columns.map((c) => c.name);
  const columns = spec.columns ?? logged.filter((n) => n !== spec.target && reference.columns.some((c) => c.name === n));
  for (const name of columns) {
    if (!logged.includes(name)) throw invalidParameter(`column '${name}' is not among the logged inputs of '${spec.model}': ${logged.join(", ")}`);
  }
  if (columns.length === 0) {
    throw invalidParameter(`no logged input of '${spec.model}' (${logged.join(", ")}) is a column of the reference '${table}'`);
  }
  const { drift: d } = spec;
  const drift = await detectDriftParallel(reference, window.inputs, {
    columns,
    ...(d.stattest ? { stattest: d.stattest } : {}),
    ...(d.threshold !== undefined ? { stattestThreshold: d.threshold } : {}),
    ...(d.driftShare !== undefined ? { driftShare: d.driftShare } : {}),
    perColumn: d.perColumn,
  });
  const quality = spec.quality ? checkDataQuality(pick(reference, columns), pick(window.inputs, columns), { columns, ...spec.quality }) : null;
  const referenceMetrics = spec.performance?.referenceMetrics ?? model?.metrics ?? {};
  const classes = targetClasses(spec, reference);
  const checks = {
    reference: { table, rows: reference.rowCount, ...(model ? { runId: model.runId, version: model.version } : {}) },
    columns,
    drift,
    quality,
    predictionDrift: predictionDrift(spec, reference, window, classes),
    ...performance(spec, window, referenceMetrics, classes),
  };
  return { ...checks, reasons: reasonsOf(checks) };
}
