/**
 * Comparisons of a column with a search-filter value, shared by every search: strings (=, !=, LIKE, ILIKE),
 * integer times, and IN lists.
 */
import type { Expression, RawBuilder, SqlBool } from "kysely";
import { sql } from "kysely";
import { invalidParameter } from "../core/errors.js";
import type { SqlDialect } from "./dialect.js";
import type { NumericComparator, StringComparator } from "./search-grammar.js";

function likePattern(pattern: string): string {
  let trailing = 0;
  while (pattern[pattern.length - 1 - trailing] === "\\") trailing += 1;
  if (trailing % 2 === 1) {
    const shown = pattern.length > 200 ? `…${pattern.slice(-200)}` : pattern;
    throw invalidParameter(`LIKE pattern '${shown}' ends with an unescaped backslash; write \\\\ for a literal backslash`);
  }
  return pattern;
}

/**
 * `column <comparator> value` for strings. LIKE is case-sensitive on both databases (SQLite runs with
 * case_sensitive_like); ILIKE is the dialect's case-insensitive match. A backslash escapes `%` and `_` on both,
 * as in PostgreSQL.
 */
export function stringPredicate(
  dialect: SqlDialect,
  column: Expression<unknown>,
  comparator: StringComparator,
  value: string,
): RawBuilder<SqlBool> {
  switch (comparator) {
    case "=":
      return sql<SqlBool>`${column} = ${value}`;
    case "!=":
      return sql<SqlBool>`${column} != ${value}`;
    case "LIKE":
      return sql<SqlBool>`${column} like ${likePattern(value)} escape '\\'`;
    case "ILIKE":
      return dialect.ilike(column, likePattern(value));
  }
}

/**
 * `column <comparator> value` for an integer column (times in milliseconds). A fractional or huge bound is
 * moved to the integer that selects the same rows, because PostgreSQL refuses `bigint > 1.5`.
 */
export function integerPredicate(column: Expression<unknown>, comparator: NumericComparator, value: number): RawBuilder<SqlBool> {
  const bound = Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, value));
  const exact = Number.isInteger(value) && bound === value;
  switch (comparator) {
    case "=":
      return exact ? sql<SqlBool>`${column} = ${bound}` : sql<SqlBool>`1 = 0`;
    case "!=":
      return exact ? sql<SqlBool>`${column} != ${bound}` : sql<SqlBool>`${column} is not null`;
    case ">":
      return sql<SqlBool>`${column} > ${Math.floor(bound)}`;
    case ">=":
      return sql<SqlBool>`${column} >= ${Math.ceil(bound)}`;
    case "<":
      return sql<SqlBool>`${column} < ${Math.ceil(bound)}`;
    case "<=":
      return sql<SqlBool>`${column} <= ${Math.floor(bound)}`;
  }
}

export function listPredicate(column: Expression<unknown>, negate: boolean, values: readonly (string | number)[]): RawBuilder<SqlBool> {
  const list = sql.join(values.map((v) => sql`${v}`));
  return negate ? sql<SqlBool>`${column} not in (${list})` : sql<SqlBool>`${column} in (${list})`;
}
