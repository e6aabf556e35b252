import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Column } from "../../core/frame.js";
import { rejection } from "../../../test/support/keel-errors.js";
import { writeLabels } from "./labels.js";
import type { PredictionWindow } from "./prediction-window.js";
import { readPredictionWindow } from "./prediction-window.js";

interface Logged {
  readonly id: string;
  readonly at: string;
  readonly version?: string;
  readonly shadow?: boolean;
  readonly tenure: number;
  readonly plan: string;
  readonly label: string;
  readonly p1: number;
}

/** Writes rows where `keel serve` would: one file per date and hour of the rows' timestamps. */
function writeLog(root: string, model: string, rows: readonly Logged[]): void {
  const files = new Map<string, string[]>();
  for (const row of rows) {
    const dir = join(root, "predictions", `model=${model}`, `date=${row.at.slice(0, 10)}`, `hour=${row.at.slice(11, 13)}`);
    const line = JSON.stringify({
      request_id: row.id,
      timestamp: row.at,
      model,
      version: row.version ?? "1",
      protocol: "mlflow",
      shadow: row.shadow ?? false,
      latency_ms: 0.3,
      inputs: { tenure: row.tenure, plan: row.plan },
      outputs: { label: row.label, probabilities: [Math.round((1 - row.p1) * 100) / 100, row.p1] },
    });
    files.set(dir, [...(files.get(dir) ?? []), line]);
  }
  for (const [dir, lines] of files) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "part-1-a-1.ndjson"), `${lines.join("\n")}\n`);
  }
}

const FROM = Date.parse("2026-12-06T06:00:00.000Z");
const TO = Date.parse("2026-12-07T06:00:00.000Z");

const ROWS: Logged[] = [
  { id: "before", at: "2026-12-06T05:59:59.999Z", tenure: 1, plan: "basic", label: "no", p1: 0.1 },
  { id: "r1", at: "2026-12-06T10:00:00.000Z", tenure: 3, plan: "basic", label: "yes", p1: 0.8 },
  { id: "r2", at: "2026-12-06T10:30:00.000Z", tenure: 40, plan: "premium", label: "no", p1: 0.3 },
  { id: "shadow", at: "2026-12-06T10:30:00.000Z", version: "2", shadow: true, tenure: 40, plan: "premium", label: "yes", p1: 0.6 },
  { id: "r3", at: "2026-12-06T23:15:00.000Z", version: "2", tenure: 12, plan: "pro", label: "no", p1: 0.4 },
  { id: "r4", at: "2026-12-07T02:00:00.000Z", tenure: 7, plan: "basic", label: "yes", p1: 0.9 },
  { id: "at-end", at: "2026-12-07T06:00:00.000Z", tenure: 2, plan: "basic", label: "yes", p1: 0.7 },
];

/** A column's name and values as plain JSON-comparable data. */
function plain(c: Column): [string, (number | string | null)[]] {
  return [c.name, c.kind === "number" ? Array.from(c.values) : [...c.values]];
}

/** The index of the window's row logged at `iso`. */
function rowAt(window: PredictionWindow, iso: string): number {
  const at = Array.from(window.timestamps).indexOf(Date.parse(iso));
  if (at < 0) throw new Error(`no row at ${iso}`);
  return at;
}

function column(columns: readonly Column[], name: string): Column {
  const found = columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name} among ${columns.map((c) => c.name).join(", ")}`);
  return found;
}

describe("readPredictionWindow", () => {
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "keel-window-"));
    writeLog(root, "churn", ROWS);
    writeLog(root, "fraud", [{ id: "f1", at: "2026-12-06T10:00:00.000Z", tenure: 1, plan: "basic", label: "no", p1: 0.1 }]);
    await writeLabels(root, [{ requestId: "r1", label: "no" }, { requestId: "r3", label: true }], Date.parse("2026-12-06T12:00:00.000Z"));
    await writeLabels(root, [{ requestId: "r1", label: "yes" }, { requestId: "r2", label: 0 }], Date.parse("2026-12-07T08:00:00.000Z"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reads the window's rows across dates, leaving out shadow answers and rows outside [from, to)", async () => {
    const window = await readPredictionWindow({ root, model: "churn", from: FROM, to: TO });
    expect(window.rows).toBe(4);
    expect(Array.from(window.timestamps).sort()).toEqual(["2026-12-06T10:00:00.000Z", "2026-12-06T10:30:00.000Z", "2026-12-06T23:15:00.000Z", "2026-12-07T02:00:00.000Z"].map(Date.parse));
    expect(window.versions).toEqual({ "1": 3, "2": 1 });
    // Ids are kept for labelled rows only.
    expect(window.requestIds[rowAt(window, "2026-12-06T23:15:00.000Z")]).toBe("r3");
    expect(window.requestIds[rowAt(window, "2026-12-07T02:00:00.000Z")]).toBeNull();
  });

  it("gives inputs as typed columns and splits list outputs into one column per position", async () => {
    const window = await readPredictionWindow({ root, model: "churn", from: FROM, to: TO });
    const r1 = rowAt(window, "2026-12-06T10:00:00.000Z");
    expect(window.inputs.columns.map((c) => [c.name, c.kind])).toEqual([
      ["tenure", "number"],
      ["plan", "string"],
    ]);
    expect(column(window.inputs.columns, "tenure").values[r1]).toBe(3);
    expect(column(window.inputs.columns, "plan").values[r1]).toBe("basic");
    expect(window.outputs.columns.map((c) => c.name)).toEqual(["label", "probabilities_0", "probabilities_1"]);
    expect(column(window.outputs.columns, "label").values[r1]).toBe("yes");
    expect(column(window.outputs.columns, "probabilities_0").values[r1]).toBeCloseTo(0.2);
    expect(column(window.outputs.columns, "probabilities_1").values[r1]).toBeCloseTo(0.8);
  });

  it("joins each row's latest label as text", async () => {
    const window = await readPredictionWindow({ root, model: "churn", from: FROM, to: TO });
    const labelOf = (iso: string): string | null => window.labels[rowAt(window, iso)];
    expect(labelOf("2026-12-06T10:00:00.000Z")).toBe("yes");
    expect(labelOf("2026-12-06T10:30:00.000Z")).toBe("0");
    expect(labelOf("2026-12-06T23:15:00.000Z")).toBe("true");
    expect(labelOf("2026-12-07T02:00:00.000Z")).toBeNull();
    expect(window.labelledRows).toBe(3);
  });

  it("keeps only the asked version's rows", async () => {
    const window = await readPredictionWindow({ root, model: "churn", from: FROM, to: TO, version: "2" });
    expect(window.requestIds).toEqual(["r3"]);
    expect(window.versions).toEqual({ "2": 1 });
    expect(window.labels).toEqual(["true"]);
  });

  it("gives zero rows for a window without predictions or without a log", async () => {
    const quiet = await readPredictionWindow({ root, model: "churn", from: Date.parse("2026-12-06T12:00:00Z"), to: Date.parse("2026-12-06T13:00:00Z") });
    expect(quiet.rows).toBe(0);
    expect(quiet.labels).toEqual([]);
    const elsewhere = await readPredictionWindow({ root, model: "churn", from: Date.parse("2027-01-01T00:00:00Z"), to: Date.parse("2027-01-02T00:00:00Z") });
    expect(elsewhere).toMatchObject({ rows: 0, requestIds: [], labelledRows: 0, versions: {} });
    expect((await readPredictionWindow({ root, model: "nobody", from: FROM, to: TO })).rows).toBe(0);
  });

  it("refuses a window whose start is not before its end", async () => {
    for (const [from, to] of [[TO, FROM], [FROM, FROM], [Number.NaN, TO]]) {
      const error = await rejection(readPredictionWindow({ root, model: "churn", from, to }));
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      expect(error.message).toContain("the window must have a start before its end");
    }
  });

  it("reads fields whose names hold dots, quotes or the words inputs. and outputs.", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keel-window-"));
    try {
      const hour = join(dir, "predictions", "model=churn", "date=2026-12-06", "hour=10");
      mkdirSync(hour, { recursive: true });
      const line = { request_id: "r1", timestamp: "2026-12-06T10:00:00.000Z", model: "churn", version: "1", protocol: "mlflow", shadow: false, latency_ms: 0.3 };
      writeFileSync(join(hour, "part-1-a-1.ndjson"), `${JSON.stringify({ ...line, inputs: { "raw.inputs.n": 1, 'say "hi"': "x" }, outputs: { "my_outputs.y": 3 } })}\n`);
      const window = await readPredictionWindow({ root: dir, model: "churn", from: FROM, to: TO });
      expect(window.inputs.columns.map(plain)).toEqual([
        ["raw.inputs.n", [1]],
        ['say "hi"', ["x"]],
      ]);
      expect(window.outputs.columns.map(plain)).toEqual([["my_outputs.y", [3]]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lets the later of two labels sent in one upload win", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keel-window-"));
    try {
      writeLog(dir, "churn", ROWS.slice(1, 2));
      await writeLabels(dir, [{ requestId: "r1", label: "no" }, { requestId: "r1", label: "yes" }], Date.parse("2026-12-06T12:00:00.000Z"));
      const window = await readPredictionWindow({ root: dir, model: "churn", from: FROM, to: TO });
      expect(window.labels).toEqual(["yes"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
