/**
 * What the end-to-end serving tests share: churn-like customers, models fitted on them with Keel's own
 * learners and saved or registered as users do, `keel serve` started on a free loopback port from a YAML
 * config, one request per protocol for a set of rows, and the answers read back into one comparable form.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { createServeModelSource } from "../../src/cli/serve-model-source.js";
import { createKeel } from "../../src/client/keel.js";
import { createRegistryClient } from "../../src/client/registry-client.js";
import { createTrackingClient } from "../../src/client/tracking-client.js";
import type { Column, Frame } from "../../src/core/frame.js";
import type { Logger } from "../../src/core/log.js";
import { frameFromColumns, numberColumn, stringColumn } from "../../src/learn/data/frame-columns.js";
import { createLearner } from "../../src/learn/learner-catalog.js";
import type { FittedClassificationPipeline } from "../../src/learn/pipeline.js";
import { createPipeline } from "../../src/learn/pipeline.js";
import { saveModel } from "../../src/learn/save-model.js";
import type { RunningServing } from "../../src/server/start-serving.js";
import { startServing } from "../../src/server/start-serving.js";
import type { ModelSource } from "../../src/serving/model-fleet.js";
import { parseServeConfig } from "../../src/serving/serve-config.js";
import { seededRandom } from "../support/seeded-random.js";

/** One customer's feature values by column; null is a missing value (NaN for numbers). */
export type CustomerRow = Readonly<Record<string, number | string | null>>;

export const NUMERIC_COLUMNS = ["tenure_months", "monthly_charges", "total_charges", "support_calls"] as const;
export const CATEGORICAL_COLUMNS = ["contract", "internet_service"] as const;
export const FEATURE_COLUMNS: readonly string[] = [...NUMERIC_COLUMNS, ...CATEGORICAL_COLUMNS];

const random = seededRandom;

/**
 * `count` churn-like customers (as examples/churn/make-customers.ts makes them), with their churn label.
 * Some total_charges are missing, as in the real data set.
 */
export function makeCustomers(count: number, seed: number): { rows: CustomerRow[]; churn: string[] } {
  const next = random(seed);
  const pick = <T>(items: readonly T[], weights: readonly number[]): T => {
    let r = next() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < items.length; i++) if ((r -= weights[i]) <= 0) return items[i];
    return items[items.length - 1];
  };
  const rows: CustomerRow[] = [];
  const churn: string[] = [];
  for (let i = 0; i < count; i++) {
    const contract = pick(["month-to-month", "one-year", "two-year"], [55, 25, 20]);
    const internet = pick(["dsl", "fiber", "none"], [35, 45, 20]);
    const tenure = Math.round(contract === "month-to-month" ? next() * 36 : 12 + next() * 60);
    const monthly = Math.round((20 + (internet === "fiber" ? 50 : internet === "dsl" ? 25 : 0) + next() * 30) * 100) / 100;
    const total = next() < 0.05 ? null : Math.round(monthly * Math.max(tenure, 1) * 100) / 100;
    const calls = Math.floor(-Math.log(1 - next()) * 1.5);
    const logit = -1.2 + (contract === "month-to-month" ? 1.6 : contract === "one-year" ? -0.4 : -1.6) - 0.045 * tenure +
      0.018 * (monthly - 60) + (internet === "fiber" ? 0.5 : 0) + 0.35 * calls + (next() - 0.5);
    rows.push({ tenure_months: tenure, monthly_charges: monthly, total_charges: total, support_calls: calls, contract, internet_service: internet });
    churn.push(next() < 1 / (1 + Math.exp(-logit)) ? "yes" : "no");
  }
  return { rows, churn };
}

/** The rows as a Frame (and the churn column when given), as the learners take them. */
export function customerFrame(rows: readonly CustomerRow[], churn?: readonly string[]): Frame {
  const columns: Column[] = [
    ...NUMERIC_COLUMNS.map((c) => numberColumn(c, rows.map((r) => (typeof r[c] === "number" ? r[c] : Number.NaN)))),
    ...CATEGORICAL_COLUMNS.map((c) => stringColumn(c, rows.map((r) => (typeof r[c] === "string" ? r[c] : null)))),
  ];
  if (churn) columns.push(stringColumn("churn", churn));
  return frameFromColumns(columns);
}

export type ChurnLearner = "logreg" | "forest";

/** A churn classifier fitted in-process: logistic regression, or a 10-tree depth-5 forest. */
export async function fitChurnModel(learner: ChurnLearner, rows: readonly CustomerRow[], churn: readonly string[]): Promise<FittedClassificationPipeline> {
  const created = learner === "logreg"
    ? createLearner("logreg", "classification")
    : createLearner("rf", "classification", { n_estimators: 10, max_depth: 5, n_jobs: 1 });
  const fitted = await createPipeline({ learner: created }).fit(customerFrame(rows, churn), "churn", { seed: 1 });
  if (fitted.task !== "classification") throw new Error("the churn pipeline must be a classifier");
  return fitted;
}

/** A temp directory removed by `cleanup`. */
export function scratchDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `keel-serving-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Saves the fitted pipeline as an MLflow model directory (`saveModel`) under `parent`; resolves with its path. */
export async function saveChurnModel(fitted: FittedClassificationPipeline, parent: string, name: string): Promise<string> {
  const dir = join(parent, name);
  await saveModel(fitted, dir);
  return dir;
}

/** One answer, whatever protocol carried it: the class index and the class probabilities. */
export interface Answer {
  readonly label: number;
  readonly probabilities: readonly number[];
}

/** The fitted pipeline's own answers for `rows`, computed in this process. */
export function inProcessAnswers(fitted: FittedClassificationPipeline, rows: readonly CustomerRow[]): Answer[] {
  const frame = customerFrame(rows);
  const labels = fitted.predict(frame);
  const probabilities = fitted.predictProba(frame);
  const classes = fitted.classes.length;
  return rows.map((_, r) => ({ label: labels[r], probabilities: Array.from(probabilities.subarray(r * classes, (r + 1) * classes)) }));
}

/** The server's answers equal the in-process ones: labels exactly, probabilities within 1e-5. */
export function expectSameAnswers(actual: readonly Answer[], expected: readonly Answer[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((answer, r) => {
    expect(answer.label, `label of row ${r}`).toBe(expected[r].label);
    expect(answer.probabilities).toHaveLength(expected[r].probabilities.length);
    answer.probabilities.forEach((p, c) => expect(Math.abs(p - expected[r].probabilities[c]), `row ${r}, class ${c}: ${p} vs ${expected[r].probabilities[c]}`).toBeLessThan(1e-5));
  });
}

/** `/predict` answers carry the label and the largest probability only. */
export function expectSamePlainAnswers(actual: readonly { label: number; probability: number }[], expected: readonly Answer[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((answer, r) => {
    expect(answer.label, `label of row ${r}`).toBe(expected[r].label);
    expect(Math.abs(answer.probability - Math.max(...expected[r].probabilities))).toBeLessThan(1e-5);
  });
}

// ---- requests, one builder per protocol ----

export type ProtocolForm =
  | "dataframe_split" | "dataframe_records" | "instances" | "inputs" | "csv"
  | "plain_features" | "plain_instances" | "v2";

export const PROTOCOL_FORMS: readonly ProtocolForm[] = [
  "dataframe_split", "dataframe_records", "instances", "inputs", "csv", "plain_features", "plain_instances", "v2",
];

export interface HttpRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

const JSON_HEADERS = { "content-type": "application/json" } as const;

function csvField(value: number | string | null): string {
  if (value === null) return "";
  return typeof value === "number" ? String(value) : /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The request a client of `form` sends to score `rows` (plain_features takes one row). `model` is the
 * served model's name, `version` a V2 version path segment.
 */
export function requestFor(form: ProtocolForm, rows: readonly CustomerRow[], options: { model?: string; version?: string } = {}): HttpRequest {
  const query = options.model ? `?model=${options.model}` : "";
  const columns = FEATURE_COLUMNS;
  const json = (path: string, body: unknown): HttpRequest => ({ method: "POST", path, headers: JSON_HEADERS, body: JSON.stringify(body) });
  switch (form) {
    case "dataframe_split":
      return json(`/invocations${query}`, { dataframe_split: { columns, data: rows.map((r) => columns.map((c) => r[c])) } });
    case "dataframe_records":
      return json(`/invocations${query}`, { dataframe_records: rows });
    case "instances":
      return json(`/invocations${query}`, { instances: rows });
    case "inputs":
      return json(`/invocations${query}`, { inputs: Object.fromEntries(columns.map((c) => [c, rows.map((r) => r[c])])) });
    case "csv": {
      const lines = [columns.join(","), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(","))];
      return { method: "POST", path: `/invocations${query}`, headers: { "content-type": "text/csv" }, body: `${lines.join("\n")}\n` };
    }
    case "plain_features":
      if (rows.length !== 1) throw new Error("plain_features sends exactly one row");
      return json(`/predict${query}`, { features: columns.map((c) => rows[0][c]) });
    case "plain_instances":
      return json(`/predict${query}`, { instances: rows.map((r) => columns.map((c) => r[c])) });
    case "v2": {
      const model = options.model ?? "churn";
      const path = options.version === undefined ? `/v2/models/${model}/infer` : `/v2/models/${model}/versions/${options.version}/infer`;
      return json(path, {
        id: "req-v2",
        inputs: columns.map((c) => ({
          name: c,
          shape: [rows.length, 1],
          datatype: (CATEGORICAL_COLUMNS as readonly string[]).includes(c) ? "BYTES" : "FP32",
          data: rows.map((r) => r[c]),
        })),
      });
    }
  }
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

/** Sends `request` to the server at `url`; `extraHeaders` are added (x-request-id, x-user-id, ...). */
export async function send(url: string, request: HttpRequest, extraHeaders: Readonly<Record<string, string>> = {}): Promise<HttpResponse> {
  const response = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers: { ...request.headers, ...extraHeaders },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what} is not an object: ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list: ${JSON.stringify(value)}`);
  return value;
}

function numbers(value: unknown, what: string): number[] {
  return list(value, what).map((v) => {
    if (typeof v !== "number") throw new Error(`${what} holds ${JSON.stringify(v)}, not a number`);
    return v;
  });
}

/** The answers of an MLflow or V2 response body, one per row. */
export function answersOf(form: Exclude<ProtocolForm, "plain_features" | "plain_instances">, body: unknown): Answer[] {
  if (form === "v2") {
    const outputs = list(record(body, "V2 response").outputs, "outputs").map((o) => record(o, "output"));
    const byName = new Map(outputs.map((o) => [o.name, o]));
    const labels = numbers(byName.get("label")?.data, "label data");
    const probabilities = numbers(byName.get("probabilities")?.data, "probabilities data");
    const classes = probabilities.length / labels.length;
    return labels.map((label, r) => ({ label, probabilities: probabilities.slice(r * classes, (r + 1) * classes) }));
  }
  return list(record(body, "MLflow response").predictions, "predictions").map((p) => {
    const row = record(p, "prediction");
    const label = row.label;
    if (typeof label !== "number") throw new Error(`label ${JSON.stringify(label)} is not a number`);
    return { label, probabilities: numbers(row.probabilities, "probabilities") };
  });
}

/** The answers of a `/predict` response body, one per row. */
export function plainAnswersOf(body: unknown): { label: number; probability: number }[] {
  const root = record(body, "/predict response");
  const items = root.predictions === undefined ? [root] : list(root.predictions, "predictions").map((p) => record(p, "prediction"));
  return items.map((item) => {
    if (typeof item.prediction !== "number" || typeof item.probability !== "number") throw new Error(`bad /predict item ${JSON.stringify(item)}`);
    return { label: item.prediction, probability: item.probability };
  });
}

/** The answer to one request of `form`, normalised: probabilities are only the largest one for /predict. */
export function answerRowsOf(form: ProtocolForm, body: unknown): { label: number; probability: number; probabilities?: readonly number[] }[] {
  if (form === "plain_features" || form === "plain_instances") return plainAnswersOf(body);
  return answersOf(form, body).map((a) => ({ label: a.label, probability: Math.max(...a.probabilities), probabilities: a.probabilities }));
}

// ---- serving ----

/** A logger that keeps what the server reports, so that tests can check nothing failed inside it. */
export function recordingLogger(): Logger & { readonly errors: string[]; readonly warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  return {
    errors,
    warnings,
    info() {},
    warn: (msg, fields) => void warnings.push(`${msg} ${JSON.stringify(fields ?? {})}`),
    error: (msg, fields) => void errors.push(`${msg} ${JSON.stringify(fields ?? {})}`),
  };
}

/** Serves local model directories only; a registry URI here is a test bug. */
export function localModelSource(): ModelSource {
  return createServeModelSource(() => {
    throw new Error("this test serves local directories only");
  });
}

/** Resolves models:/ and runs:/ URIs through the tracking server at `trackingUri`, as `keel serve` does. */
export function registryModelSource(trackingUri: string): ModelSource {
  const clients = { tracking: createTrackingClient({ trackingUri }), registry: createRegistryClient({ trackingUri }) };
  return createServeModelSource(() => clients);
}

export interface TestServing extends RunningServing {
  readonly logger: ReturnType<typeof recordingLogger>;
  readonly accessLines: string[];
}

/** `keel serve` from a YAML config (its `port` forced to 0), on loopback. */
export async function serveYaml(yaml: string, source: ModelSource): Promise<TestServing> {
  const config = { ...parseServeConfig(yaml, "serve.yaml"), host: "127.0.0.1", port: 0 };
  const logger = recordingLogger();
  const accessLines: string[] = [];
  const running = await startServing({ config, source, logger, accessLog: (line) => void accessLines.push(line) });
  return { ...running, close: () => running.close(), logger, accessLines };
}

/** Registers each model directory as the next version of `name` (logged from its own run); resolves with the versions. */
export async function registerVersions(trackingUri: string, name: string, dirs: readonly string[]): Promise<string[]> {
  const keel = createKeel({ trackingUri, flushIntervalMs: 0 });
  const versions: string[] = [];
  for (const dir of dirs) {
    const info = await keel.withRun({ experiment: "serving-tests" }, (run) => run.logModel(dir, { artifactPath: "model", registeredModelName: name }));
    const version = info.modelVersion?.version;
    if (version === undefined) throw new Error(`logModel registered no version of ${name}`);
    versions.push(version);
  }
  return versions;
}

/** Points `@alias` of `name` at `version`. */
export async function setAlias(trackingUri: string, name: string, alias: string, version: string): Promise<void> {
  await createRegistryClient({ trackingUri }).setRegisteredModelAlias({ name, alias, version });
}

// ---- metrics ----

/** Parses `name{a="x",b="y"} value` lines of a Prometheus exposition. */
export function metricSamples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  const samples: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^[^{\s]+(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[1] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ labels, value: Number(match[2]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels`. */
export function metricValue(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  return metricSamples(text, name)
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

export async function scrapeMetrics(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** Runs `tasks` with at most `limit` running at once; resolves with their results in order. */
export async function runConcurrently<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

// ---- prediction log ----

/** Every file under `dir`, '/'-separated, relative and sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1).split("\\").join("/"))
    .sort();
}

/** One line of the prediction log as written. */
export interface LoggedPrediction {
  readonly request_id: string;
  readonly timestamp: string;
  readonly model: string;
  readonly version: string;
  readonly protocol: string;
  readonly shadow: boolean;
  readonly latency_ms: number;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** Every record of the NDJSON prediction log under `destination`, file by file. */
export function readPredictionLog(destination: string): LoggedPrediction[] {
  return filesUnder(destination)
    .filter((f) => f.endsWith(".ndjson"))
    .flatMap((f) => readFileSync(join(destination, f), "utf8").split("\n").filter((line) => line !== ""))
    .map((line) => JSON.parse(line) as LoggedPrediction);
}
