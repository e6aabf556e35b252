import type { ColumnDefinitionBuilder, Dialect } from "kysely";
import { PostgresDialect, SqliteDialect } from "kysely";

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
  };
}
