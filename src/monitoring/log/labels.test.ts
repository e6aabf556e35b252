import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { refusal } from "../../../test/support/keel-errors.js";
import { labelsFromFrame, parseLabelRecords, writeLabels } from "./labels.js";

describe("parseLabelRecords", () => {
  it("accepts a list or a {labels} object of strings, numbers and booleans", () => {
    const expected = [
      { requestId: "r1", label: "yes" },
      { requestId: "r2:0", label: 0 },
      { requestId: "r3", label: true },
    ];
    const list = [
      { request_id: "r1", label: "yes" },
      { request_id: "r2:0", label: 0 },
      { request_id: "r3", label: true },
    ];
    expect(parseLabelRecords(list)).toEqual(expected);
    expect(parseLabelRecords({ labels: list })).toEqual(expected);
  });

  it("names the first bad entry", () => {
    const shape = 'expected {"labels": [{"request_id": "...", "label": ...}, ...]} with at least one label';
    expect(refusal(() => parseLabelRecords({ labels: [] })).message).toBe(shape);
    expect(refusal(() => parseLabelRecords(null)).message).toBe(shape);
    expect(refusal(() => parseLabelRecords("r1,yes")).message).toBe(shape);
    expect(refusal(() => parseLabelRecords([{ request_id: "r1", label: 1 }, { request_id: "", label: 1 }])).message).toBe(
      "labels[1].request_id must be a non-empty string (the x-request-id of the prediction)",
    );
    expect(refusal(() => parseLabelRecords([{ request_id: 7, label: 1 }])).message).toContain("labels[0].request_id");
    expect(refusal(() => parseLabelRecords([{ request_id: "r1" }])).message).toBe("labels[0].label must be a string, a finite number or a boolean, got nothing");
    expect(refusal(() => parseLabelRecords([{ request_id: "r1", label: { a: 1 } }])).message).toBe(
      'labels[0].label must be a string, a finite number or a boolean, got {"a":1}',
    );
    expect(refusal(() => parseLabelRecords([{ request_id: "r1", label: Number.POSITIVE_INFINITY }])).code).toBe("INVALID_PARAMETER_VALUE");
  });
});

describe("labelsFromFrame", () => {
  it("reads request ids and a label column, skipping rows without either", () => {
    const frame = {
      rowCount: 4,
      columns: [
        { kind: "string" as const, name: "request_id", values: ["r1", null, "r3", "r4"] },
        { kind: "number" as const, name: "churned", values: Float64Array.from([1, 0, Number.NaN, 0]) },
      ],
    };
    expect(labelsFromFrame(frame, "churned")).toEqual([
      { requestId: "r1", label: 1 },
      { requestId: "r4", label: 0 },
    ]);
  });

  it("reads numeric request ids as text and skips missing ones", () => {
    const frame = {
      rowCount: 3,
      columns: [
        { kind: "number" as const, name: "request_id", values: Float64Array.from([17, Number.NaN, 19]) },
        { kind: "string" as const, name: "label", values: ["yes", "no", "no"] },
      ],
    };
    expect(labelsFromFrame(frame)).toEqual([
      { requestId: "17", label: "yes" },
      { requestId: "19", label: "no" },
    ]);
  });

  it("says which column is missing and lists the columns", () => {
    const frame = { rowCount: 0, columns: [{ kind: "string" as const, name: "id", values: [] }, { kind: "string" as const, name: "label", values: [] }] };
    expect(refusal(() => labelsFromFrame(frame)).message).toBe("the labels table has no 'request_id' column; its columns are id, label");
    const noLabel = { rowCount: 0, columns: [{ kind: "string" as const, name: "request_id", values: [] }] };
    expect(refusal(() => labelsFromFrame(noLabel, "truth")).message).toBe(
      "the labels table has no 'truth' column; its columns are request_id (pick one with --label-column)",
    );
  });
});

describe("writeLabels", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "keel-labels-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("appends one NDJSON file per call under the day it was received", async () => {
    const now = Date.UTC(2026, 11, 7, 9, 30);
    expect(await writeLabels(root, [{ requestId: "r1", label: "yes" }, { requestId: "r2", label: 1.5 }], now)).toBe(2);
    expect(await writeLabels(root, [], now)).toBe(0);
    const dir = join(root, "labels", "date=2026-12-07");
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^part-\d+-[0-9a-f]{8}\.ndjson$/);
    expect(readFileSync(join(dir, files[0]), "utf8").trim().split("\n").map((l) => JSON.parse(l))).toEqual([
      { request_id: "r1", label: "yes", timestamp: "2026-12-07T09:30:00.000Z" },
      { request_id: "r2", label: 1.5, timestamp: "2026-12-07T09:30:00.000Z" },
    ]);
  });

  it("writes one label per request id, the last one given", async () => {
    const now = Date.UTC(2026, 11, 7, 9, 30);
    expect(await writeLabels(root, [{ requestId: "r1", label: "no" }, { requestId: "r2", label: 0 }, { requestId: "r1", label: "yes" }], now)).toBe(3);
    const dir = join(root, "labels", "date=2026-12-07");
    const lines = readFileSync(join(dir, readdirSync(dir)[0]), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { request_id: string; label: unknown });
    expect(lines.map((l) => [l.request_id, l.label])).toEqual([["r1", "yes"], ["r2", 0]]);
  });
});
