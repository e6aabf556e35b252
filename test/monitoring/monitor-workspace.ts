/**
 * What the end-to-end monitor tests share: a workspace written by hand as `keel serve` and users would leave
 * it — a prediction log of `churn` inside the last day, a reference table with a `churned` target, a labels
 * CSV and a monitors.yaml — built from small literal descriptions.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempFiles } from "../support/servers.js";

/** Reference rows: tenure 0..49 (each four times), plan cycling basic/pro/max, a fifth of them churned. */
const REFERENCE_ROWS = 200;
/** Predictions logged per workspace; the first LABELLED of them get a late label. */
const LOGGED_ROWS = 100;
const LABELLED = 20;
const PLANS = ["basic", "pro", "max"] as const;

function referenceRow(i: number): { tenure: number; plan: string; churned: "yes" | "no" } {
  return { tenure: i % 50, plan: PLANS[i % 3], churned: i % 5 === 0 ? "yes" : "no" };
}

export interface LogOptions {
  /**
   * Inputs far from the reference (tenure 100+, every plan "max"), every prediction "yes" and every label "no";
   * otherwise inputs, predictions and labels as in the reference.
   */
  readonly drifted: boolean;
  /** UTC milliseconds the rows are logged at (default: ten minutes ago). */
  readonly at?: number;
}

/** `keel-data/predictions/model=churn/date=.../hour=.../part-1-a-1.ndjson` and `labels.csv` for those rows. */
export function predictionLogFiles(options: LogOptions): Record<string, string> {
  const at = options.at ?? Date.now() - 10 * 60_000;
  const iso = new Date(at).toISOString();
  const lines: string[] = [];
  const labels = ["request_id,label"];
  for (let i = 0; i < LOGGED_ROWS; i++) {
    const row = referenceRow(i);
    const inputs = options.drifted ? { tenure: 100 + i, plan: "max" } : { tenure: row.tenure, plan: row.plan };
    const predicted = options.drifted ? "yes" : row.churned;
    const outputs = { label: predicted, probabilities: predicted === "yes" ? [0.2, 0.8] : [0.9, 0.1] };
    lines.push(JSON.stringify({ request_id: `r${i}`, timestamp: iso, model: "churn", version: "1", protocol: "mlflow", shadow: false, latency_ms: 0.3, inputs, outputs }));
    const truth = options.drifted ? "no" : predicted;
    if (i < LABELLED) labels.push(`r${i},${truth}`);
  }
  const dir = `keel-data/predictions/model=churn/date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
  return { [`${dir}/part-1-a-1.ndjson`]: `${lines.join("\n")}\n`, "labels.csv": `${labels.join("\n")}\n` };
}

export function referenceCsv(): string {
  const lines = ["tenure,plan,churned"];
  for (let i = 0; i < REFERENCE_ROWS; i++) {
    const r = referenceRow(i);
    lines.push(`${r.tenure},${r.plan},${r.churned}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * One monitor entry of monitors.yaml over the workspace's log and reference, with performance judged against
 * accuracy 0.9 from five labels; `extra` is appended as further YAML lines of the entry (alerts, retrain, ...).
 */
export function monitorYaml(name: string, extra: readonly string[] = [], model = "churn"): string {
  return [
    `  ${name}:`,
    `    model: ${model}`,
    "    predictionLog: keel-data",
    "    reference: reference.csv",
    "    target: churned",
    "    window: 1d",
    "    performance: { task: classification, referenceMetrics: { accuracy: 0.9 }, minLabelledRows: 5 }",
    ...extra.map((line) => `    ${line}`),
  ].join("\n");
}

export interface Workspace {
  readonly dir: string;
  path(name: string): string;
  cleanup(): void;
}

/**
 * A temp workspace of the given files plus `reference.csv` and `monitors.yaml` holding the entries `monitors`
 * gives for the workspace's directory (alert commands write there by absolute path).
 */
export function monitorWorkspace(monitors: (dir: string) => readonly string[], files: Readonly<Record<string, string>> = {}): Workspace {
  const created = tempFiles({ "reference.csv": referenceCsv(), ...files });
  writeFileSync(join(created.dir, "monitors.yaml"), `monitors:\n${monitors(created.dir).join("\n")}\n`);
  return { dir: created.dir, path: (name) => join(created.dir, ...name.split("/")), cleanup: created.cleanup };
}
