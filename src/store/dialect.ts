import type { ColumnDefinitionBuilder, Dialect, RawBuilder } from "kysely";
import { PostgresDialect, SqliteDialect, sql } from "kysely";

/** One column of rows passed as a JSON array of arrays (see `SqlDialect.jsonRows`). */
export interface JsonColumn {
  readonly type: "text" | "bigint" | "double precision" | "integer";
}

/**
 * Everything that differs between SQLite and PostgreSQL lives in this module, so that the stores above it
 * are written once. Add a member here rather than branching on the dialect anywhere else.
 */
export interface SqlDialect {
  readonly name: "sqlite" | "postgresql";
  readonly kysely: Dialect;
  /** Column definition for an auto-incrementing integer primary key. */
  readonly autoIncrementType: "integer" | "serial";
  autoIncrement(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** True when a driver error is a unique or primary-key violation. */
  isUniqueViolation(error: unknown): boolean;
  /** Largest number of bound parameters one statement may carry. */
  readonly maxParameters: number;
  /**
   * A SELECT yielding one row per element of `json`, a JSON array of arrays, with element i of each inner
   * array as column i. Bulk inserts send their rows as this one parameter: the statement text stays the same
   * whatever the row count, so it is cheap to compile and prepare, and the database parses the rows in C.
   */
  jsonRows(json: string, columns: readonly JsonColumn[]): RawBuilder<unknown>;
}

function errorCode(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
}

export function sqliteDialect(kysely: SqliteDialect): SqlDialect {
  return {
    name: "sqlite",
    kysely,
    autoIncrementType: "integer",
    autoIncrement: (col) => col.primaryKey().autoIncrement(),
    isUniqueViolation: (error) => /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test(errorCode(error)),
    maxParameters: 32_000,
    // `where true` keeps SQLite from reading a following ON CONFLICT as part of a join.
    jsonRows: (json, columns) =>
      sql`select ${sql.join(columns.map((_, i) => sql`j.value ->> ${sql.lit(i)}`))} from json_each(${json}) as j where true`,
  };
}

export function postgresDialect(kysely: PostgresDialect): SqlDialect {
  return {
    name: "postgresql",
    kysely,
    autoIncrementType: "serial",
    autoIncrement: (col) => col.primaryKey(),
    isUniqueViolation: (error) => errorCode(error) === "23505",
    maxParameters: 65_000,
    jsonRows: (json, columns) =>
      sql`select ${sql.join(columns.map((c, i) => sql`cast(j.value ->> ${sql.lit(i)} as ${sql.raw(c.type)})`))} from json_array_elements(cast(${json} as json)) as j(value) where true`,
  };
}
