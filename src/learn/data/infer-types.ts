/**
 * How DuckDB's column types become Frame columns and MLflow column types. Numbers (integers, decimals, floats)
 * and booleans (as 0/1) become number columns; everything else (text, dates, timestamps, ...) is read as text.
 */
import { DuckDBTypeId } from "@duckdb/node-api";
import type { ColumnType } from "../../core/model-signature.js";

export type ValueKind = "number" | "string";

const NUMBER_TYPES: ReadonlySet<DuckDBTypeId> = new Set([
  DuckDBTypeId.BOOLEAN,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
]);

/** The Frame kind DuckDB's type is read as. */
export function kindOfDuckDbType(type: DuckDBTypeId): ValueKind {
  return NUMBER_TYPES.has(type) ? "number" : "string";
}

/**
 * The MLflow column type pandas would give the same column (int64 → long, float64 → double, ...), for the
 * dataset schema logged with a run. A kind overridden by the caller wins over DuckDB's type.
 */
export function mlflowTypeOf(type: DuckDBTypeId, override?: ValueKind): ColumnType {
  if (override === "number") return "double";
  if (override === "string") return "string";
  switch (type) {
    case DuckDBTypeId.BOOLEAN:
      return "boolean";
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return "integer";
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT:
      return "long";
    case DuckDBTypeId.FLOAT:
      return "float";
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return "double";
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return "datetime";
    case DuckDBTypeId.BLOB:
      return "binary";
    default:
      return "string";
  }
}
