import { invalidParameter } from "../core/errors.js";

/**
 * Sample model input as rows: what the latency check feeds the model. Cells hold scalars, or nested arrays
 * for tensor examples. Input examples and latency samples are small, so rows are fine here.
 */
export interface InputRows {
  /** Column names; null for unnamed tensor data (a bare nested array), where each row has one cell. */
  readonly columns: readonly string[] | null;
  readonly rows: readonly (readonly unknown[])[];
}

const SUPPORTED =
  'use pandas split orient {"columns": [...], "data": [[...]]}, records [{"col": value}], ' +
  '{"inputs": [[...]]}, {"inputs": {"name": [...]}} or a nested array';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fromSplit(split: Record<string, unknown>): InputRows {
  const { columns, data } = split;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === "string") || !Array.isArray(data)) {
    throw invalidParameter(`the input example's split form needs "columns" (names) and "data" (rows); ${SUPPORTED}`);
  }
  data.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw invalidParameter(`row ${i} of the input example has ${Array.isArray(row) ? row.length : 0} values for ${columns.length} columns`);
    }
  });
  return { columns, rows: data as unknown[][] };
}

function fromRecords(records: readonly Record<string, unknown>[]): InputRows {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return { columns, rows: records.map((record) => columns.map((c) => record[c])) };
}

/** A tensor's first dimension is the batch, as numpy's is: a 1-D array is a batch of scalars. */
function fromTensor(value: unknown): InputRows {
  if (!Array.isArray(value)) throw invalidParameter(`the input example's tensor is not an array; ${SUPPORTED}`);
  return { columns: null, rows: value.map((row: unknown) => [row]) };
}

function fromNamedTensors(tensors: Record<string, unknown>): InputRows {
  const columns = Object.keys(tensors);
  const batches = columns.map((c) => (Array.isArray(tensors[c]) ? (tensors[c] as unknown[]) : [tensors[c]]));
  const length = batches[0]?.length ?? 0;
  batches.forEach((batch, i) => {
    if (batch.length !== length) {
      throw invalidParameter(`the input example's tensors have different batch sizes ('${columns[0]}' ${length}, '${columns[i]}' ${batch.length})`);
    }
  });
  return { columns, rows: Array.from({ length }, (_, r) => batches.map((batch) => batch[r])) };
}

/**
 * Reads an input example in any form MLflow writes (input_example.json, or serving_input_example.json).
 * @example inputRowsFromExample({ columns: ["age"], data: [[42]] }) // { columns: ["age"], rows: [[42]] }
 */
export function inputRowsFromExample(example: unknown): InputRows {
  let rows: InputRows;
  if (Array.isArray(example)) {
    rows = example.length > 0 && example.every(isRecord) ? fromRecords(example) : fromTensor(example);
  } else if (isRecord(example)) {
    if (isRecord(example.dataframe_split)) rows = fromSplit(example.dataframe_split);
    else if (Array.isArray(example.dataframe_records) && example.dataframe_records.every(isRecord)) {
      rows = fromRecords(example.dataframe_records);
    } else if ("columns" in example && "data" in example) rows = fromSplit(example);
    else {
      const tensors = example.inputs ?? example.instances;
      if (isRecord(tensors)) rows = fromNamedTensors(tensors);
      else if (tensors !== undefined) rows = fromTensor(tensors);
      else throw invalidParameter(`the input example has an unknown form (keys ${Object.keys(example).join(", ")}); ${SUPPORTED}`);
    }
  } else {
    throw invalidParameter(`the input example is ${example === null ? "null" : `a ${typeof example}`}; ${SUPPORTED}`);
  }
  if (rows.rows.length === 0) throw invalidParameter("the input example has no rows");
  return rows;
}

/** Splits CSV text (RFC 4180: quoted fields may hold commas, quotes doubled, newlines) into records. */
function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  // Blank lines carry no row; a trailing newline would otherwise add an empty one.
  return records.filter((r) => !(r.length === 1 && r[0] === ""));
}

/**
 * Reads a CSV sample with a header row; values stay text until the model's input types say what they are.
 * @example inputRowsFromCsv("age,plan\n42,pro\n") // { columns: ["age", "plan"], rows: [["42", "pro"]] }
 */
export function inputRowsFromCsv(text: string, source: string): InputRows {
  const [header, ...rows] = parseCsvRecords(text.startsWith("\uFEFF") ? text.slice(1) : text);
  if (!header) throw invalidParameter(`${source} is empty; it needs a header row and at least one data row`);
  if (rows.length === 0) throw invalidParameter(`${source} has a header but no data rows`);
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw invalidParameter(`${source} row ${i + 1} has ${row.length} fields; the header has ${header.length}`);
    }
  });
  return { columns: header.map((h) => h.trim()), rows };
}
