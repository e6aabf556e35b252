/**
 * CSV request bodies (MLflow's `text/csv`, produced by pandas' `DataFrame.to_csv()`): a header row of column
 * names, then rows of text fields, RFC 4180 quoting. Fields stay text here; each is converted to its input's
 * element type when it is stored, so that a string input keeps "00123" as written.
 */
import { KeelError } from "../core/errors.js";
import type { ElementType } from "./types.js";

export interface CsvTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Parses CSV text. Blank lines are skipped and short rows are padded with empty fields (missing values), as
 * pandas' read_csv does; a row with more fields than the header is refused. A first column with an empty
 * name is the index `to_csv()` writes by default, and is dropped.
 */
export function parseCsv(text: string): CsvTable {
  const records = splitRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (records.length === 0) {
    throw new KeelError("BAD_REQUEST", "The CSV body is empty; send a header row of column names, then one line per row.");
  }
  const header = records[0];
  const dropIndex = header.length > 1 && header[0] === "";
  const columns = dropIndex ? header.slice(1) : header;
  const rows: string[][] = [];
  for (let r = 1; r < records.length; r++) {
    const fields = records[r];
    if (fields.length > header.length) {
      throw new KeelError(
        "BAD_REQUEST",
        `CSV row ${r - 1} has ${fields.length} fields but the header names ${header.length} columns; quote fields that contain commas.`,
      );
    }
    while (fields.length < header.length) fields.push("");
    rows.push(dropIndex ? fields.slice(1) : fields);
  }
  return { columns, rows };
}

function splitRecords(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  // A line is blank (and skipped) until it has a character, a quote or a comma.
  let blank = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') {
        field += c;
      } else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
      }
    } else if (c === '"') {
      quoted = true;
      blank = false;
    } else if (c === ",") {
      fields.push(field);
      field = "";
      blank = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (!blank) {
        fields.push(field);
        records.push(fields);
      }
      fields = [];
      field = "";
      blank = true;
    } else {
      field += c;
      blank = false;
    }
  }
  if (quoted) throw new KeelError("BAD_REQUEST", "The CSV body ends inside a quoted field; close every opening '\"'.");
  if (!blank) {
    fields.push(field);
    records.push(fields);
  }
  return records;
}

/** pandas' default missing-value markers (read_csv na_values). */
const MISSING = new Set(["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^[+-]?inf(inity)?$/i;

/**
 * A CSV field as the JSON value it stands for, given the element type it feeds: numbers for numeric
 * inputs, booleans for bool, null for a missing value; text that fits neither stays a string, which the
 * store step then refuses with a message naming the row and column.
 */
export function csvFieldValue(field: string, type: ElementType): unknown {
  if (type === "string") return field;
  const text = field.trim();
  if (MISSING.has(text)) return null;
  if (type === "bool") {
    const lower = text.toLowerCase();
    if (lower === "true" || lower === "1") return true;
    if (lower === "false" || lower === "0") return false;
    return field;
  }
  if (NUMBER.test(text)) return Number(text);
  if (INFINITY.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  return field;
}
