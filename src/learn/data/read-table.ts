/**
 * Reads a CSV or Parquet file into a columnar Frame through DuckDB. Rows are pulled chunk by chunk straight into
 * one typed array per numeric column; no row objects are ever built.
 */
import type { Frame } from "../../core/frame.js";
import type { ValueKind } from "./infer-types.js";
import { kindOfDuckDbType } from "./infer-types.js";
import type { PlannedColumn } from "./query-frame.js";
import { queryFrame, sqlNumber } from "./query-frame.js";
import type { SourceColumn } from "./table-source.js";
import { checkColumnNames, checkReadable, describeColumns, sqlIdentifier, tableFormat, tableFunction, withDuckDb } from "./table-source.js";

export interface ReadTableOptions {
  /** Per-column kind overriding DuckDB's inference, e.g. `{ zip: "string" }` to keep a code as text. */
  readonly types?: Readonly<Record<string, ValueKind>>;
  /** Read only these columns, in this order (default: all, in the file's order). */
  readonly columns?: readonly string[];
}

/**
 * Reads `path` (.csv or .parquet, chosen by extension). Numeric and boolean columns become number columns (NaN
 * where missing, booleans as 0/1); other columns become text (null where missing). A missing file or one DuckDB
 * cannot parse fails with INVALID_PARAMETER_VALUE naming the file.
 *
 * @example
 * const frame = await readTable("customers.csv", { types: { zip: "string" } });
 */
export async function readTable(path: string, options: ReadTableOptions = {}): Promise<Frame> {
  const format = tableFormat(path);
  await checkReadable(path);
  const types = options.types ?? {};
  return withDuckDb(path, format, async (connection) => {
    const available = await describeColumns(connection, tableFunction(path, format));
    checkColumnNames(path, available, Object.keys(types), "type overrides name columns");
    if (options.columns) checkColumnNames(path, available, options.columns, "columns");
    const plan = planColumns(available, options.columns, types);
    if (plan.length === 0) return { columns: [], rowCount: 0 };
    const select = plan.map((c) => (c.kind === "number" ? sqlNumber(sqlIdentifier(c.name)) : `CAST(${sqlIdentifier(c.name)} AS VARCHAR)`)).join(", ");
    return queryFrame(connection, `SELECT ${select} FROM ${tableFunction(path, format, types)}`, plan);
  });
}

function planColumns(available: readonly SourceColumn[], wanted: readonly string[] | undefined, types: Readonly<Record<string, ValueKind>>): PlannedColumn[] {
  const byName = new Map(available.map((c) => [c.name, c]));
  const names = wanted ?? available.map((c) => c.name);
  return names.map((name) => ({ name, kind: types[name] ?? kindOfDuckDbType((byName.get(name) as SourceColumn).type) }));
}
