/**
 * `monitors.yaml`: the monitors of a deployment, keyed by name.
 *
 *     monitors:
 *       churn-daily:
 *         model: churn                  # the name predictions are logged under
 *         window: 1d
 *         schedule: "0 6 * * *"         # for `keel server --monitors monitors.yaml`
 *         reference: data/train.csv     # default: the dataset of the model version's training run
 *         drift: { stattest: psi, threshold: 0.2, columns: { tenure: { stattest: ks } } }
 *         performance: { task: classification, tolerance: 0.05 }
 *         alerts: [{ type: webhook, url: "http://hooks.local/keel" }, { type: log }]
 *         retrain: { command: "keel train --data data/latest.csv ..." }
 *
 * Every mistake is reported with its path in the file (`monitors.churn-daily.window: ...`).
 */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { Cron } from "croner";
import { parse } from "yaml";
import { KeelError, invalidParameter } from "../../core/errors.js";
import { checkStatTestName } from "../drift/index.js";
import type { AlertSpec, DriftCheckSpec, MonitorSpec, PerformanceCheckSpec, QualityCheckSpec } from "./types.js";

type Raw = Readonly<Record<string, unknown>>;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `90s`, `15m`, `1h`, `7d`, `2w` (or milliseconds as a number) in milliseconds. */
export function parseDuration(value: unknown, where: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  const match = typeof value === "string" ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(value) : null;
  const ms = match ? Number(match[1]) * UNITS[match[2]] : 0;
  // A zero duration ("0s") would make an empty window or a busy retry loop; it is refused like a number <= 0.
  if (!(ms > 0)) throw invalidParameter(`${where}: expected a duration such as 30m, 1h or 7d, got ${JSON.stringify(value)}`);
  return ms;
}

function object(value: unknown, where: string): Raw {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidParameter(`${where}: expected a mapping`);
  return value as Raw;
}

function checkKeys(raw: Raw, known: readonly string[], where: string): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw invalidParameter(`${where}: unknown key '${key}'; known keys are ${known.join(", ")}`);
  }
}

function text(value: unknown, where: string): string {
  if (typeof value !== "string" || value.trim() === "") throw invalidParameter(`${where}: expected a non-empty string`);
  return value;
}

function optionalText(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : text(value, where);
}

function fraction(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw invalidParameter(`${where}: expected a number from 0 to 1`);
  return value;
}

function threshold(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(Number.isFinite(value) && value >= 0)) throw invalidParameter(`${where}: expected a number >= 0`);
  return value;
}

function positiveInteger(value: unknown, fallback: number, where: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw invalidParameter(`${where}: expected an integer >= 1`);
  return value;
}

/** A model version as the log writes it: `version: 3` and `version: "3"` are the same; an empty `version:` is a mistake. */
function versionText(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return String(value);
  if (typeof value === "string" && value.trim() !== "") return value;
  throw invalidParameter(`${where}: expected a model version such as 3, got ${JSON.stringify(value)}`);
}

function stattest(value: unknown, where: string) {
  return value === undefined ? undefined : checkStatTestName(value === "ztest" ? "z" : value, `in ${where}`);
}

function driftSpec(value: unknown, where: string): DriftCheckSpec {
  if (value === undefined) return { perColumn: {} };
  const raw = object(value, where);
  checkKeys(raw, ["stattest", "threshold", "columns", "driftShare"], where);
  const perColumn: Record<string, { stattest?: ReturnType<typeof stattest>; threshold?: number }> = {};
  for (const [column, spec] of Object.entries(raw.columns === undefined ? {} : object(raw.columns, `${where}.columns`))) {
    const at = `${where}.columns.${column}`;
    const c = object(spec, at);
    checkKeys(c, ["stattest", "threshold"], at);
    perColumn[column] = { stattest: stattest(c.stattest, `${at}.stattest`), threshold: threshold(c.threshold, `${at}.threshold`) };
  }
  return {
    stattest: stattest(raw.stattest, `${where}.stattest`),
    threshold: threshold(raw.threshold, `${where}.threshold`),
    perColumn,
    driftShare: fraction(raw.driftShare, `${where}.driftShare`),
  };
}

function qualitySpec(value: unknown, where: string): QualityCheckSpec | null {
  if (value === false) return null;
  if (value === undefined || value === true) return {};
  const raw = object(value, where);
  checkKeys(raw, ["maxMissingShareIncrease", "maxNewCategoryShare", "maxOutOfRangeShare"], where);
  return {
    maxMissingShareIncrease: fraction(raw.maxMissingShareIncrease, `${where}.maxMissingShareIncrease`),
    maxNewCategoryShare: fraction(raw.maxNewCategoryShare, `${where}.maxNewCategoryShare`),
    maxOutOfRangeShare: fraction(raw.maxOutOfRangeShare, `${where}.maxOutOfRangeShare`),
  };
}

function performanceSpec(value: unknown, where: string): PerformanceCheckSpec | null {
  if (value === undefined || value === false) return null;
  const raw = object(value, where);
  checkKeys(raw, ["task", "tolerance", "window", "referenceMetrics", "minLabelledRows"], where);
  if (raw.task !== "classification" && raw.task !== "regression") {
    throw invalidParameter(`${where}.task: expected classification or regression`);
  }
  let referenceMetrics: Record<string, number> | undefined;
  if (raw.referenceMetrics !== undefined) {
    referenceMetrics = {};
    for (const [metric, v] of Object.entries(object(raw.referenceMetrics, `${where}.referenceMetrics`))) {
      if (typeof v !== "number" || !Number.isFinite(v)) throw invalidParameter(`${where}.referenceMetrics.${metric}: expected a number`);
      referenceMetrics[metric] = v;
    }
  }
  return {
    task: raw.task,
    tolerance: threshold(raw.tolerance, `${where}.tolerance`) ?? 0.05,
    windowMs: raw.window === undefined ? 3_600_000 : parseDuration(raw.window, `${where}.window`),
    ...(referenceMetrics ? { referenceMetrics } : {}),
    minLabelledRows: positiveInteger(raw.minLabelledRows, 30, `${where}.minLabelledRows`),
  };
}

function alertSpec(value: unknown, where: string): AlertSpec {
  const raw = object(value, where);
  switch (raw.type) {
    case "webhook": {
      checkKeys(raw, ["type", "url", "retries", "retryDelay", "timeout", "headers"], where);
      const url = text(raw.url, `${where}.url`);
      if (!/^https?:\/\//.test(url)) throw invalidParameter(`${where}.url: expected an http:// or https:// URL`);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(raw.headers === undefined ? {} : object(raw.headers, `${where}.headers`))) headers[k] = text(v, `${where}.headers.${k}`);
      const retries = raw.retries === undefined ? 3 : raw.retries;
      if (typeof retries !== "number" || !Number.isInteger(retries) || retries < 0 || retries > 20) throw invalidParameter(`${where}.retries: expected an integer from 0 to 20`);
      return {
        type: "webhook",
        url,
        retries,
        retryDelayMs: raw.retryDelay === undefined ? 500 : parseDuration(raw.retryDelay, `${where}.retryDelay`),
        timeoutMs: raw.timeout === undefined ? 10_000 : parseDuration(raw.timeout, `${where}.timeout`),
        headers,
      };
    }
    case "log":
      checkKeys(raw, ["type"], where);
      return { type: "log" };
    case "command":
      checkKeys(raw, ["type", "command", "timeout"], where);
      return { type: "command", command: text(raw.command, `${where}.command`), timeoutMs: raw.timeout === undefined ? 60_000 : parseDuration(raw.timeout, `${where}.timeout`) };
    default:
      throw invalidParameter(`${where}.type: expected webhook, log or command, got ${JSON.stringify(raw.type)}`);
  }
}

const MONITOR_KEYS = [
  "model", "predictionLog", "version", "reference", "registeredModel", "target", "window", "schedule",
  "columns", "minRows", "drift", "quality", "performance", "alerts", "retrain",
] as const;

/** Relative paths in the file are taken from the file's directory, as docker-compose does. */
function monitorSpec(name: string, value: unknown, baseDir: string): MonitorSpec {
  const where = `monitors.${name}`;
  if (!NAME.test(name)) throw invalidParameter(`${where}: a monitor name holds letters, digits, '.', '_' and '-' (at most 128)`);
  const raw = object(value, where);
  checkKeys(raw, MONITOR_KEYS, where);
  const model = text(raw.model, `${where}.model`);
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  const schedule = optionalText(raw.schedule, `${where}.schedule`);
  if (schedule !== undefined) {
    try {
      new Cron(schedule, { paused: true }).stop();
    } catch (error) {
      throw invalidParameter(`${where}.schedule: '${schedule}' is not a cron expression (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  let columns: string[] | undefined;
  if (raw.columns !== undefined) {
    if (!Array.isArray(raw.columns) || raw.columns.length === 0) throw invalidParameter(`${where}.columns: expected a list of column names`);
    columns = raw.columns.map((c, i) => text(c, `${where}.columns[${i}]`));
  }
  if (raw.alerts !== undefined && !Array.isArray(raw.alerts)) throw invalidParameter(`${where}.alerts: expected a list`);
  let retrain: MonitorSpec["retrain"];
  if (raw.retrain !== undefined) {
    const r = object(raw.retrain, `${where}.retrain`);
    checkKeys(r, ["command", "timeout"], `${where}.retrain`);
    retrain = { command: text(r.command, `${where}.retrain.command`), timeoutMs: r.timeout === undefined ? 3_600_000 : parseDuration(r.timeout, `${where}.retrain.timeout`) };
  }
  const reference = optionalText(raw.reference, `${where}.reference`);
  return {
    name,
    model,
    predictionLog: path(optionalText(raw.predictionLog, `${where}.predictionLog`) ?? "keel-data"),
    version: versionText(raw.version, `${where}.version`),
    reference: reference === undefined ? undefined : path(reference),
    registeredModel: optionalText(raw.registeredModel, `${where}.registeredModel`) ?? model,
    target: optionalText(raw.target, `${where}.target`),
    windowMs: raw.window === undefined ? 86_400_000 : parseDuration(raw.window, `${where}.window`),
    schedule,
    columns,
    minRows: positiveInteger(raw.minRows, 1, `${where}.minRows`),
    drift: driftSpec(raw.drift, `${where}.drift`),
    quality: qualitySpec(raw.quality, `${where}.quality`),
    performance: performanceSpec(raw.performance, `${where}.performance`),
    alerts: ((raw.alerts as unknown[] | undefined) ?? []).map((a, i) => alertSpec(a, `${where}.alerts[${i}]`)),
    retrain,
  };
}

/** Monitors from a parsed `monitors.yaml`; `baseDir` resolves the relative paths in it. */
export function parseMonitorsConfig(document: unknown, baseDir: string): MonitorSpec[] {
  const root = object(document ?? {}, "monitors.yaml");
  checkKeys(root, ["monitors"], "monitors.yaml");
  const monitors = object(root.monitors ?? {}, "monitors");
  return Object.entries(monitors).map(([name, spec]) => monitorSpec(name, spec, baseDir));
}

/** Reads and checks a monitors file. @throws INVALID_PARAMETER_VALUE for a missing file, bad YAML or a bad monitor. */
export async function loadMonitorsFile(path: string): Promise<MonitorSpec[]> {
  let source: string;
  try {
    source = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw invalidParameter(`monitors file '${path}' does not exist; write one (see the README's monitoring section) or pass --monitors`);
    }
    throw invalidParameter(`monitors file '${path}' could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  let document: unknown;
  try {
    document = parse(source);
  } catch (error) {
    throw invalidParameter(`monitors file '${path}' is not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  return parseMonitorsConfig(document, dirname(resolve(path)));
}

/** The named monitor. @throws RESOURCE_DOES_NOT_EXIST listing the known names. */
export function findMonitor(monitors: readonly MonitorSpec[], name: string): MonitorSpec {
  const found = monitors.find((m) => m.name === name);
  if (found) return found;
  const known = monitors.map((m) => m.name).join(", ") || "(none)";
  throw new KeelError("RESOURCE_DOES_NOT_EXIST", `no monitor named '${name}'; the monitors file defines ${known}`);
}
