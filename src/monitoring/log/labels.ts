/**
 * Late labels: the ground truth of a prediction, arriving hours or weeks after it, keyed by the request id the
 * server returned (`x-request-id`; row r of a batch is `<id>:<r>`). They are appended as NDJSON files beside
 * the prediction log, `<root>/labels/date=<day received>/part-<ms>-<random>.ndjson`, so DuckDB joins them to
 * the log without a database in between; a label sent twice counts once, the later one winning.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { invalidParameter } from "../../core/errors.js";
import type { Frame } from "../../core/frame.js";

export const LABELS_DIRECTORY = "labels";

export interface LabelRecord {
  readonly requestId: string;
  readonly label: string | number | boolean;
}

/** Labels written at most per file; a bigger upload is split. */
const MAX_FILE_ROWS = 1_000_000;

/** Checks labels that arrived as untyped JSON (`[{ request_id, label }]`), naming the first bad entry. */
export function parseLabelRecords(body: unknown): LabelRecord[] {
  const list = Array.isArray(body) ? body : (body as { labels?: unknown } | null)?.labels;
  if (!Array.isArray(list) || list.length === 0) {
    throw invalidParameter('expected {"labels": [{"request_id": "...", "label": ...}, ...]} with at least one label');
  }
  return list.map((entry: unknown, i) => {
    const e = entry as { request_id?: unknown; label?: unknown } | null;
    if (typeof e?.request_id !== "string" || e.request_id === "") {
      throw invalidParameter(`labels[${i}].request_id must be a non-empty string (the x-request-id of the prediction)`);
    }
    const label = e.label;
    if (!(typeof label === "string" || typeof label === "boolean" || (typeof label === "number" && Number.isFinite(label)))) {
      throw invalidParameter(`labels[${i}].label must be a string, a finite number or a boolean, got ${JSON.stringify(label) ?? "nothing"}`);
    }
    return { requestId: e.request_id, label };
  });
}

/** Labels from a table with a `request_id` column and a label column (default `label`). */
export function labelsFromFrame(frame: Frame, labelColumn = "label"): LabelRecord[] {
  const ids = frame.columns.find((c) => c.name === "request_id");
  const labels = frame.columns.find((c) => c.name === labelColumn);
  const names = frame.columns.map((c) => c.name).join(", ");
  if (!ids) throw invalidParameter(`the labels table has no 'request_id' column; its columns are ${names}`);
  if (!labels) throw invalidParameter(`the labels table has no '${labelColumn}' column; its columns are ${names} (pick one with --label-column)`);
  const records: LabelRecord[] = [];
  for (let r = 0; r < frame.rowCount; r++) {
    // A missing id in a numeric column is NaN, which must not become the request id "NaN".
    const id = ids.kind === "string" ? ids.values[r] : Number.isFinite(ids.values[r]) ? String(ids.values[r]) : null;
    const label = labels.kind === "string" ? labels.values[r] : labels.values[r];
    if (id === null || id === "" || label === null || (typeof label === "number" && !Number.isFinite(label))) continue;
    records.push({ requestId: id, label });
  }
  return records;
}

/**
 * Appends labels under `root` (the prediction log's root) and returns how many it was given. An id given twice
 * is written once, with the last label given for it. Each file is written under a temporary name and renamed,
 * so a reader never sees half a file.
 */
export async function writeLabels(root: string, given: readonly LabelRecord[], now = Date.now()): Promise<number> {
  // Labels of one call share a timestamp, so the reader could not tell which of two for one id came later.
  const labels = [...new Map(given.map((l) => [l.requestId, l])).values()];
  if (labels.length === 0) return 0;
  const iso = new Date(now).toISOString();
  const dir = join(root, LABELS_DIRECTORY, `date=${iso.slice(0, 10)}`);
  await mkdir(dir, { recursive: true });
  const stamp = `,"timestamp":${JSON.stringify(iso)}}`;
  for (let start = 0; start < labels.length; start += MAX_FILE_ROWS) {
    const part = labels.slice(start, start + MAX_FILE_ROWS);
    const text = part.map((l) => `{"request_id":${JSON.stringify(l.requestId)},"label":${JSON.stringify(l.label)}${stamp}`).join("\n");
    const name = `part-${now}-${randomBytes(4).toString("hex")}.ndjson`;
    await writeFile(join(dir, `.${name}.tmp`), `${text}\n`);
    await rename(join(dir, `.${name}.tmp`), join(dir, name));
  }
  return given.length;
}
