import type { ColumnDefinitionBuilder, Dialect, Expression, RawBuilder, SqlBool } from "kysely";
import { PostgresDialect, SqliteDialect, sql } from "kysely";

/**
 * Everything that differs between SQLite and PostgreSQL lives in this module, so that the stores above it
 * are written once. Add a member here rather than branching on the dialect anywhere else.
 */
export interface SqlDialect {
  readonly name: "sqlite" | "postgresql";
  readonly kysely: Dialect;
  /** Column definition for an auto-incrementing integer primary key. */
  readonly autoIncrementType: "integer" | "serial";
  /** Column type for binary data. */
  readonly blobType: "blob" | "bytea";
  /**
   * Whether SELECT ... FOR UPDATE exists. SQLite has no row locks: its writers are serialised by the one
   * connection (and the database lock), so a read-modify-write inside a transaction is already safe there.
   */
  readonly supportsForUpdate: boolean;
  autoIncrement(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** True when a driver error is a unique or primary-key violation. */
  isUniqueViolation(error: unknown): boolean;
  /** Largest number of bound parameters one statement may carry. */
  readonly maxParameters: number;
  /** Case-insensitive LIKE of `column` against `pattern`, where a backslash escapes `%`, `_` and itself. */
  ilike(column: Expression<unknown>, pattern: Expression<unknown> | string): RawBuilder<SqlBool>;
}

function errorCode(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
}

export function sqliteDialect(kysely: SqliteDialect): SqlDialect {
  return {
    name: "sqlite",
    kysely,
    autoIncrementType: "integer",
    blobType: "blob",
    supportsForUpdate: false,
    autoIncrement: (col) => col.primaryKey().autoIncrement(),
    isUniqueViolation: (error) => /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test(errorCode(error)),
    maxParameters: 32_000,
    // SQLite has no ILIKE; its LIKE is case-sensitive here (case_sensitive_like), so both sides are lowered.
    ilike: (column, pattern) => sql<SqlBool>`lower(${column}) like lower(${pattern}) escape '\\'`,
  };
}

export function postgresDialect(kysely: PostgresDialect): SqlDialect {
  return {
    name: "postgresql",
    kysely,
    autoIncrementType: "serial",
    blobType: "bytea",
    supportsForUpdate: true,
    autoIncrement: (col) => col.primaryKey(),
    isUniqueViolation: (error) => errorCode(error) === "23505",
    maxParameters: 65_000,
    // Native ILIKE: PostgreSQL misestimates `lower(col) like lower(pattern)` and plans a scan.
    ilike: (column, pattern) => sql<SqlBool>`${column} ilike ${pattern} escape '\\'`,
  };
}
