/**
 * What readTable and dataDigest share: which DuckDB reader a file needs, a short-lived in-memory DuckDB, and
 * the file's columns with their DuckDB types (before any override).
 */
import { stat } from "node:fs/promises";
import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection, DuckDBTypeId } from "@duckdb/node-api";
import { KeelError, invalidParameter } from "../../core/errors.js";
import type { ValueKind } from "./infer-types.js";

export type TableFormat = "csv" | "parquet";

export interface SourceColumn {
  readonly name: string;
  readonly type: DuckDBTypeId;
}

/** The reader a file needs, from its extension (compressed CSV such as `.csv.gz` included). */
export function tableFormat(path: string): TableFormat {
  const lower = path.toLowerCase().replace(/\.(gz|zst)$/, "");
  if (/\.(csv|tsv|txt)$/.test(lower)) return "csv";
  if (/\.(parquet|pq)$/.test(lower)) return "parquet";
  throw invalidParameter(`cannot tell the format of '${path}' from its extension; use a .csv or .parquet file`);
}

/** Fails with INVALID_PARAMETER_VALUE naming the file when it is missing or not a regular file. */
export async function checkReadable(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw invalidParameter(`data file '${path}' does not exist; check the path`);
  }
  if (!info.isFile()) throw invalidParameter(`data file '${path}' is not a regular file`);
}

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const DUCKDB_TYPE_OF_KIND: Readonly<Record<ValueKind, string>> = { number: "DOUBLE", string: "VARCHAR" };

/**
 * The table-function call reading `path`. For CSV the overrides go to the reader itself, so that a column read
 * as text keeps its exact characters ("01234" stays "01234") and a column forced to numbers fails on bad text.
 */
export function tableFunction(path: string, format: TableFormat, types: Readonly<Record<string, ValueKind>> = {}): string {
  if (format === "parquet") return `read_parquet(${sqlString(path)})`;
  const entries = Object.entries(types);
  if (entries.length === 0) return `read_csv_auto(${sqlString(path)})`;
  const struct = entries.map(([name, kind]) => `${sqlString(name)}: ${sqlString(DUCKDB_TYPE_OF_KIND[kind])}`).join(", ");
  return `read_csv_auto(${sqlString(path)}, types={${struct}})`;
}

/** Runs `fn` on a fresh in-memory DuckDB, closed afterwards; DuckDB's errors become errors naming `path`. */
export async function withDuckDb<T>(path: string, format: TableFormat, fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:");
  try {
    const connection = await instance.connect();
    try {
      return await fn(connection);
    } finally {
      connection.closeSync();
    }
  } catch (err) {
    if (err instanceof KeelError) throw err;
    const detail = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new KeelError("INVALID_PARAMETER_VALUE", `could not read '${path}' as ${format === "csv" ? "CSV" : "Parquet"}: ${detail}`, {
      cause: err,
    });
  } finally {
    instance.closeSync();
  }
}

/** The file's columns and DuckDB's types for them, without reading the rows. */
export async function describeColumns(connection: DuckDBConnection, source: string): Promise<SourceColumn[]> {
  const result = await connection.run(`SELECT * FROM ${source} LIMIT 0`);
  return result.columnNames().map((name, i) => ({ name, type: result.columnTypeId(i) }));
}

/** Checks that the caller's column names exist, naming the ones that do not. */
export function checkColumnNames(path: string, available: readonly SourceColumn[], wanted: Iterable<string>, what: string): void {
  const names = new Set(available.map((c) => c.name));
  const missing = [...wanted].filter((name) => !names.has(name));
  if (missing.length > 0) {
    throw invalidParameter(
      `${what} ${missing.map((m) => `'${m}'`).join(", ")} not in '${path}'; its columns are ${available.map((c) => `'${c.name}'`).join(", ")}`,
    );
  }
}
