/**
 * The shared part of MLflow's search grammar, used by every search in Keel (runs, experiments, registered
 * models, model versions): `clause [AND clause]*` where a clause is `identifier comparator value`, and
 * order-by items `identifier [ASC|DESC]`, read from the tokens of `search-tokens.ts`. Each domain maps the raw
 * clauses onto its own fields; this module only checks the text.
 */
import type { Token } from "./search-tokens.js";
import { clip, isWord, readList, refuse, span, splitIdentifier, stringValue, tokenize } from "./search-tokens.js";

export type NumericComparator = "=" | "!=" | ">" | ">=" | "<" | "<=";
export type StringComparator = "=" | "!=" | "LIKE" | "ILIKE";
export type ListComparator = "IN" | "NOT IN";
export type Comparator = NumericComparator | StringComparator | ListComparator;

export const NUMERIC_COMPARATORS: readonly string[] = ["=", "!=", ">", ">=", "<", "<="];
export const STRING_COMPARATORS: readonly string[] = ["=", "!=", "LIKE", "ILIKE"];
export const LIST_COMPARATORS: readonly string[] = ["IN", "NOT IN"];
// ---------------------------------------------------------------------------------------------- clauses

export interface RawClause {
  readonly entity: string | undefined;
  readonly key: string;
  readonly comparator: string;
  readonly value: Token | readonly string[];
  readonly text: string;
}

function invalidClause(input: string, tokens: readonly Token[], from: number, why: string): never {
  const rest = span(input, tokens, from);
  throw refuse(`Invalid clause(s) in filter string: '${clip(rest)}'. ${why}`);
}

/** Splits `a = 1 AND b LIKE 'x' AND c IN ('y')` into raw clauses, refusing OR and parenthesised groups. */
export function readClauses(filter: string): RawClause[] {
  const what = `Invalid filter '${clip(filter)}'`;
  const tokens = tokenize(filter, what);
  const clauses: RawClause[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (clauses.length > 0) {
      if (!isWord(tokens[i], "AND")) {
        invalidClause(filter, tokens, i, "Clauses may only be joined with AND; OR and parentheses are not supported.");
      }
      i += 1;
      if (i >= tokens.length) throw refuse(`${what}: expected a clause after the final AND`);
    }
    const start = i;
    const left = tokens[i];
    if (left.kind === "(") invalidClause(filter, tokens, i, "Parenthesised groups are not supported; join clauses with AND.");
    if (isWord(left, "OR") || isWord(left, "AND")) invalidClause(filter, tokens, i, "Expected a clause such as metrics.loss < 0.5.");
    const { entity, key } = splitIdentifier(left, what);
    let comparator: string;
    const op = tokens[i + 1];
    if (op?.kind === "op") {
      comparator = op.text;
      i += 2;
    } else if (isWord(op, "LIKE") || isWord(op, "ILIKE") || isWord(op, "IN")) {
      comparator = op.text.toUpperCase();
      i += 2;
    } else if (isWord(op, "NOT") && isWord(tokens[i + 2], "IN")) {
      comparator = "NOT IN";
      i += 3;
    } else {
      const found = op?.text ?? "end of input";
      invalidClause(filter, tokens, start, `Expected a comparator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN) after '${left.text}', found '${found}'.`);
    }
    const right = tokens[i];
    if (right === undefined) throw refuse(`${what}: expected a value after '${span(filter, tokens, start, i)}'`);
    let value: Token | readonly string[];
    if (right.kind === "(") {
      const list = readList(tokens, i, what);
      value = list.values;
      i = list.end;
    } else {
      value = right;
      i += 1;
    }
    clauses.push({ entity, key, comparator, value, text: span(filter, tokens, start, i) });
  }
  return clauses;
}

export function checkComparator(clause: RawClause, allowed: readonly string[], subject: string): void {
  if (!allowed.includes(clause.comparator)) {
    throw refuse(`Invalid comparator '${clause.comparator}' for ${subject} in '${clip(clause.text)}'; use one of ${allowed.join(", ")}`);
  }
}

export function isList(value: Token | readonly string[]): value is readonly string[] {
  return Array.isArray(value);
}

export function numberOf(clause: RawClause, subject: string): number {
  const value = clause.value;
  if (isList(value) || value.kind !== "number") {
    throw refuse(`Expected numeric value type for ${subject}. Found ${describeValue(value)} in '${clip(clause.text)}'`);
  }
  return value.value;
}

export function stringOf(clause: RawClause, subject: string): string {
  const value = clause.value;
  const text = isList(value) ? undefined : stringValue(value);
  if (text === undefined) {
    throw refuse(`Expected a quoted string value for ${subject} (e.g. 'my-value'). Got value ${describeValue(value)} in '${clip(clause.text)}'`);
  }
  return text;
}

export function listOf(clause: RawClause, subject: string): readonly string[] {
  if (!isList(clause.value)) {
    throw refuse(`${clause.comparator} needs a parenthesised list of quoted strings for ${subject}, e.g. ${clause.comparator} ('a', 'b'); got '${clip(clause.text)}'`);
  }
  return clause.value;
}

function describeValue(value: Token | readonly string[]): string {
  return isList(value) ? `(${value.map((v) => `'${v}'`).join(", ")})` : value.text;
}

export function entityType<T extends string>(entity: string, valid: ReadonlyMap<string, T>): T {
  const type = valid.get(entity);
  if (type === undefined) {
    const names = [...new Set(valid.values())].join("', '");
    throw refuse(`Invalid entity type '${entity}'. Valid values are '${names}'`);
  }
  return type;
}

// ---------------------------------------------------------------------------------------------- order by

export function readOrderBy(orderBy: string): { entity: string | undefined; key: string; ascending: boolean } {
  const what = `Invalid order_by clause '${clip(orderBy)}'`;
  const tokens = tokenize(orderBy, what);
  if (tokens.length === 0 || tokens.length > 2) throw refuse(`${what}. Could not be parsed; use '<identifier> [ASC|DESC]'`);
  const { entity, key } = splitIdentifier(tokens[0], what);
  const direction = tokens[1];
  if (direction !== undefined && !isWord(direction, "ASC") && !isWord(direction, "DESC")) {
    throw refuse(`Invalid ordering key in order_by clause '${clip(orderBy)}'; use ASC or DESC`);
  }
  return { entity, key, ascending: !isWord(direction, "DESC") };
}
