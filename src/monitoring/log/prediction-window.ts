/**
 * Reads one model's prediction log for a time window into columns, with the late labels joined by request id.
 * The log is what `keel serve` writes (`<root>/predictions/model=<m>/date=<d>/hour=<h>/part-*.ndjson`); labels
 * are what `writeLabels` writes (`<root>/labels/date=<d>/part-*.ndjson`). DuckDB reads and joins the NDJSON
 * files on all cores; JavaScript only receives the finished columns.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";
import { KeelError, invalidParameter } from "../../core/errors.js";
import type { Column, Frame } from "../../core/frame.js";
import type { PlannedColumn } from "../../learn/data/index.js";
import { queryFrame, sqlDictionaryCode, sqlIdentifier, sqlNumber, sqlString } from "../../learn/data/index.js";
import { partitionSegment } from "../../serving/prediction-log.js";
import { LABELS_DIRECTORY } from "./labels.js";

export interface PredictionWindowOptions {
  /** The prediction log's root directory (`keel serve --prediction-log`, default `./keel-data`). */
  readonly root: string;
  /** The name predictions are logged under (the served model's name). */
  readonly model: string;
  /** Window start, inclusive, UTC milliseconds. */
  readonly from: number;
  /** Window end, exclusive, UTC milliseconds. */
  readonly to: number;
  /** Only this model version's answers (default: every version). Shadow answers are always left out. */
  readonly version?: string;
}

/** List outputs wider than this (a long embedding, say) are not split into columns. */
const MAX_LIST_WIDTH = 64;
/** Text columns with at most this many distinct values come back as dictionary codes (see queryFrame). */
const MAX_DICTIONARY = 256;

export interface PredictionWindow {
  readonly rows: number;
  /** The request id of each labelled row (null for the others: a million ids would cost a second to read). */
  readonly requestIds: readonly (string | null)[];
  /** UTC milliseconds of each prediction. */
  readonly timestamps: Float64Array;
  /** Input features, one column per logged input name. */
  readonly inputs: Frame;
  /** Outputs: scalar ones as they are named, list ones split into `<name>_<j>` (e.g. probabilities_1). */
  readonly outputs: Frame;
  /** The late label of each row, as text (null where none arrived yet). */
  readonly labels: readonly (string | null)[];
  readonly labelledRows: number;
  /** Rows per model version. */
  readonly versions: Readonly<Record<string, number>>;
}

function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

async function subdirectories(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** The globs of every existing `date=` directory that can hold rows of [from, to). */
async function windowGlobs(modelDir: string, from: number, to: number): Promise<string[]> {
  const first = dateOf(from);
  const last = dateOf(to - 1);
  const dates = (await subdirectories(modelDir)).filter((d) => d.startsWith("date=") && d.slice(5) >= first && d.slice(5) <= last);
  return dates.sort().map((d) => join(modelDir, d, "*", "*.ndjson"));
}

async function labelGlobs(root: string, from: number): Promise<string[]> {
  // Labels arrive after the prediction they answer, so files dated before the window cannot hold its labels.
  const dir = join(root, LABELS_DIRECTORY);
  const dates = (await subdirectories(dir)).filter((d) => d.startsWith("date=") && d.slice(5) >= dateOf(from));
  return dates.sort().map((d) => join(dir, d, "*.ndjson"));
}

function fileList(globs: readonly string[]): string {
  return `[${globs.map(sqlString).join(", ")}]`;
}

interface StructField {
  readonly name: string;
  readonly type: string;
}

async function structFields(connection: DuckDBConnection, field: "inputs" | "outputs"): Promise<StructField[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE SELECT unnest(${field}) FROM window_rows`);
  return reader.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

const NUMERIC_TYPE = /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

function kindOf(type: string): PlannedColumn["kind"] {
  return NUMERIC_TYPE.test(type) ? "number" : "string";
}

/** The distinct values of a text expression over `table w`, when there are at most MAX_DICTIONARY of them. */
async function dictionaryOf(connection: DuckDBConnection, expr: string, table: string): Promise<string[] | undefined> {
  const reader = await connection.runAndReadAll(`SELECT DISTINCT CAST(${expr} AS VARCHAR) FROM ${table} w WHERE ${expr} IS NOT NULL LIMIT ${MAX_DICTIONARY + 1}`);
  const values = reader.getRowsJS().map((row) => String(row[0]));
  return values.length <= MAX_DICTIONARY ? values : undefined;
}

interface SelectedColumn {
  readonly select: string;
  readonly plan: PlannedColumn;
}

/** How one value is selected: a number, or text (as dictionary codes when it has few distinct values). */
async function selectValue(connection: DuckDBConnection, expr: string, type: string, name: string, table = "window_rows"): Promise<SelectedColumn> {
  if (kindOf(type) === "number") return { select: sqlNumber(expr), plan: { name, kind: "number" } };
  const dictionary = await dictionaryOf(connection, expr, table);
  return dictionary
    ? { select: sqlDictionaryCode(expr, dictionary), plan: { name, kind: "string", dictionary } }
    : { select: `CAST(${expr} AS VARCHAR)`, plan: { name, kind: "string" } };
}

/**
 * Select expressions (over `window_rows w`) and plan for one struct's fields; list fields become one column per
 * position. The alias is written here rather than added to the finished text, which would also rewrite a
 * field named like `raw.inputs.n`.
 */
async function fieldColumns(connection: DuckDBConnection, field: "inputs" | "outputs", prefix: string): Promise<SelectedColumn[]> {
  const columns: SelectedColumn[] = [];
  for (const f of await structFields(connection, field)) {
    const source = `w.${field}.${sqlIdentifier(f.name)}`;
    const list = /^(.*)\[\]$/.exec(f.type);
    if (list) {
      const widthReader = await connection.runAndReadAll(`SELECT max(len(${source})) FROM window_rows w`);
      const width = Number(widthReader.getRowsJS()[0][0] ?? 0);
      if (width > MAX_LIST_WIDTH) continue;
      for (let j = 0; j < width; j++) columns.push(await selectValue(connection, `${source}[${j + 1}]`, list[1], `${prefix}${f.name}_${j}`));
    } else if (!f.type.startsWith("STRUCT") && !f.type.startsWith("MAP")) {
      columns.push(await selectValue(connection, source, f.type, `${prefix}${f.name}`));
    }
  }
  return columns;
}

const OUTPUT_PREFIX = "\u0000out:";

function emptyWindow(): PredictionWindow {
  const empty: Frame = { columns: [], rowCount: 0 };
  return { rows: 0, requestIds: [], timestamps: new Float64Array(0), inputs: empty, outputs: empty, labels: [], labelledRows: 0, versions: {} };
}

/**
 * The window's predictions (shadow answers left out) with their labels. A window with no log file gives zero
 * rows; a log DuckDB cannot read fails with INVALID_PARAMETER_VALUE naming the directory.
 * @example
 * const day = await readPredictionWindow({ root: "./keel-data", model: "churn", from: Date.now() - 86_400_000, to: Date.now() });
 */
export async function readPredictionWindow(options: PredictionWindowOptions): Promise<PredictionWindow> {
  const { root, model, from, to } = options;
  if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) {
    throw invalidParameter(`the window must have a start before its end, got ${from} .. ${to}`);
  }
  const modelDir = join(root, "predictions", partitionSegment(model));
  const globs = await windowGlobs(modelDir, from, to);
  if (globs.length === 0) return emptyWindow();
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const versionFilter = options.version === undefined ? "" : ` AND CAST(version AS VARCHAR) = ${sqlString(options.version)}`;
    await connection.run(
      // One parse of the JSON: the field list, list widths and the final select all read this table.
      `CREATE TEMP TABLE window_rows AS SELECT * FROM (SELECT *, epoch_ms(CAST("timestamp" AS TIMESTAMP)) AS timestamp_ms ` +
        `FROM read_json(${fileList(globs)}, format='newline_delimited', union_by_name=true, hive_partitioning=false)) ` +
        `WHERE timestamp_ms >= ${Math.floor(from)} AND timestamp_ms < ${Math.ceil(to)} AND NOT coalesce(shadow, false)${versionFilter}`,
    );
    const labels = await labelGlobs(root, from);
    const labelSource = labels.length
      ? `(SELECT CAST(request_id AS VARCHAR) AS request_id, CAST(arg_max(label, "timestamp") AS VARCHAR) AS label ` +
        `FROM read_json(${fileList(labels)}, format='newline_delimited', union_by_name=true, hive_partitioning=false, columns={request_id: 'VARCHAR', label: 'JSON', "timestamp": 'VARCHAR'}) GROUP BY request_id)`
      : `(SELECT NULL::VARCHAR AS request_id, NULL::VARCHAR AS label WHERE false)`;
    const inputs = await fieldColumns(connection, "inputs", "");
    const outputs = await fieldColumns(connection, "outputs", OUTPUT_PREFIX);
    // A label written as a JSON string keeps its quotes through the JSON type; they are taken off here.
    await connection.run(
      `CREATE TEMP TABLE labelled_rows AS SELECT w.*, CASE WHEN json_type(l.label::JSON) = 'VARCHAR' THEN json_extract_string(l.label::JSON, '$') ELSE l.label END AS true_label ` +
        `FROM window_rows w LEFT JOIN ${labelSource} l ON l.request_id = CAST(w.request_id AS VARCHAR)`,
    );
    const meta: SelectedColumn[] = [
      { select: "CASE WHEN w.true_label IS NOT NULL THEN CAST(w.request_id AS VARCHAR) END", plan: { name: "request_id", kind: "string" } },
      { select: sqlNumber("w.timestamp_ms"), plan: { name: "timestamp_ms", kind: "number" } },
      await selectValue(connection, "w.version", "VARCHAR", "version", "labelled_rows"),
      await selectValue(connection, "w.true_label", "VARCHAR", "label", "labelled_rows"),
    ];
    const all = [...meta, ...inputs, ...outputs];
    const frame = await queryFrame(connection, `SELECT ${all.map((c) => c.select).join(", ")} FROM labelled_rows w`, all.map((c) => c.plan));
    return toWindow(frame);
  } catch (error) {
    if (error instanceof KeelError) throw error;
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw invalidParameter(`could not read the prediction log of '${model}' under '${modelDir}': ${detail}`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function toWindow(frame: Frame): PredictionWindow {
  const [requestId, timestamps, version, label, ...rest] = frame.columns;
  const strings = (c: Column): readonly (string | null)[] => (c.kind === "string" ? c.values : Array.from(c.values, String));
  const versions: Record<string, number> = {};
  for (const v of strings(version)) versions[v ?? ""] = (versions[v ?? ""] ?? 0) + 1;
  const labels = strings(label);
  const inputs = rest.filter((c) => !c.name.startsWith(OUTPUT_PREFIX));
  const outputs = rest.filter((c) => c.name.startsWith(OUTPUT_PREFIX)).map((c) => ({ ...c, name: c.name.slice(OUTPUT_PREFIX.length) }) as Column);
  return {
    rows: frame.rowCount,
    requestIds: strings(requestId),
    timestamps: timestamps.kind === "number" ? timestamps.values : new Float64Array(0),
    inputs: { columns: inputs, rowCount: frame.rowCount },
    outputs: { columns: outputs, rowCount: frame.rowCount },
    labels,
    labelledRows: labels.reduce((n, l) => (l === null ? n : n + 1), 0),
    versions,
  };
}
