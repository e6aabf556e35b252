/**
 * MLflow's search grammar for runs and experiments, parsed by hand (MLflow uses sqlparse; Keel needs no SQL
 * parser for a language this small): `clause [AND clause]*` where a clause is `identifier comparator value`,
 * and order-by items `identifier [ASC|DESC]`. The parsers only check the text; `search-runs-query.ts` and
 * `search-experiments-query.ts` turn the trees into SQL.
 */
import type { KeelError } from "../core/errors.js";
import { invalidParameter } from "../core/errors.js";

export type NumericComparator = "=" | "!=" | ">" | ">=" | "<" | "<=";
export type StringComparator = "=" | "!=" | "LIKE" | "ILIKE";
export type ListComparator = "IN" | "NOT IN";
export type Comparator = NumericComparator | StringComparator | ListComparator;

export type NumericRunAttribute = "start_time" | "end_time";
export type StringRunAttribute = "run_id" | "run_name" | "status" | "user_id" | "artifact_uri";
export type RunAttribute = NumericRunAttribute | StringRunAttribute;
export type DatasetKey = "name" | "digest" | "context";

export interface MetricClause {
  readonly type: "metric";
  readonly key: string;
  readonly comparator: NumericComparator;
  readonly value: number;
}

export interface ParamClause {
  readonly type: "param" | "tag";
  readonly key: string;
  readonly comparator: StringComparator;
  readonly value: string;
}

export type AttributeClause =
  | { readonly type: "attribute"; readonly key: NumericRunAttribute; readonly comparator: NumericComparator; readonly value: number }
  | { readonly type: "attribute"; readonly key: StringRunAttribute; readonly comparator: StringComparator; readonly value: string }
  | { readonly type: "attribute"; readonly key: "run_id"; readonly comparator: ListComparator; readonly value: readonly string[] };

export type DatasetClause =
  | { readonly type: "dataset"; readonly key: DatasetKey; readonly comparator: StringComparator; readonly value: string }
  | { readonly type: "dataset"; readonly key: DatasetKey; readonly comparator: ListComparator; readonly value: readonly string[] };

/** One AND-ed clause of a run filter. Aliases are resolved: `created` is `start_time`, `run name` is `run_name`. */
export type RunFilterClause = MetricClause | ParamClause | AttributeClause | DatasetClause;

/** One order_by item; attribute aliases are resolved as in filters. */
export type RunOrderBy =
  | { readonly type: "metric" | "param" | "tag"; readonly key: string; readonly ascending: boolean }
  | { readonly type: "attribute"; readonly key: RunAttribute; readonly ascending: boolean };

export type ExperimentAttribute = "name" | "creation_time" | "last_update_time";
export type ExperimentOrderKey = ExperimentAttribute | "experiment_id";

export type ExperimentFilterClause =
  | { readonly type: "attribute"; readonly key: "name"; readonly comparator: StringComparator; readonly value: string }
  | { readonly type: "attribute"; readonly key: "creation_time" | "last_update_time"; readonly comparator: NumericComparator; readonly value: number }
  | { readonly type: "tag"; readonly key: string; readonly comparator: StringComparator; readonly value: string };

export interface ExperimentOrderBy {
  readonly key: ExperimentOrderKey;
  readonly ascending: boolean;
}

const NUMERIC_COMPARATORS: readonly string[] = ["=", "!=", ">", ">=", "<", "<="];
const STRING_COMPARATORS: readonly string[] = ["=", "!=", "LIKE", "ILIKE"];
const LIST_COMPARATORS: readonly string[] = ["IN", "NOT IN"];
const ENTITY_TYPES: ReadonlyMap<string, RunFilterClause["type"]> = new Map([
  ["metric", "metric"], ["metrics", "metric"],
  ["param", "param"], ["params", "param"], ["parameter", "param"], ["parameters", "param"],
  ["tag", "tag"], ["tags", "tag"],
  ["attribute", "attribute"], ["attributes", "attribute"], ["attr", "attribute"], ["run", "attribute"],
  ["dataset", "dataset"], ["datasets", "dataset"],
]);
const RUN_ATTRIBUTES: readonly RunAttribute[] = ["artifact_uri", "end_time", "run_id", "run_name", "start_time", "status", "user_id"];
const RUN_ATTRIBUTE_ALIASES: ReadonlyMap<string, RunAttribute> = new Map([
  ["created", "start_time"], ["Created", "start_time"], ["run name", "run_name"], ["Run name", "run_name"], ["Run Name", "run_name"],
]);
const DATASET_KEYS: readonly DatasetKey[] = ["name", "digest", "context"];
const EXPERIMENT_ATTRIBUTES: readonly ExperimentAttribute[] = ["name", "creation_time", "last_update_time"];
const EXPERIMENT_ORDER_KEYS: readonly ExperimentOrderKey[] = ["name", "experiment_id", "creation_time", "last_update_time"];

// ---------------------------------------------------------------------------------------------- tokens

/** Input quoted in an error message, cut short so that a huge filter does not make a huge message. */
function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

function refuse(message: string): KeelError {
  return invalidParameter(clip(message, 2000));
}

interface IdentPart {
  readonly text: string;
  /** The quote the part was written in: none, "double" or `backtick`. */
  readonly quote: "" | '"' | "`";
}

/** `text` is the token as written; `start` and `end` are its offsets in the input. */
type Token = { readonly text: string; readonly start: number; readonly end: number } & (
  | { readonly kind: "ident"; readonly parts: readonly IdentPart[] }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "op" | "(" | ")" | "," }
);

// Sticky patterns, matched at a position rather than on a copy of the rest of the input.
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![\w.])/y;
const OPERATOR = /!=|<>|==|>=|<=|=|>|</y;
const BARE_PART = /[A-Za-z0-9_]+/y;

function matchAt(pattern: RegExp, input: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(input)?.[0];
}

/** Reads `quote ... quote`, where a doubled quote stands for one; returns the text and the index after it. */
function readQuoted(input: string, start: number, what: string): { text: string; end: number } {
  const quote = input[start];
  let text = "";
  let i = start + 1;
  for (;;) {
    const close = input.indexOf(quote, i);
    if (close < 0) throw refuse(`${what}: unterminated ${quote} quote starting at position ${start}`);
    text += input.slice(i, close);
    if (input[close + 1] !== quote) return { text, end: close + 1 };
    text += quote;
    i = close + 2;
  }
}

/** An identifier is dot-separated parts, each bare or quoted: metrics.`my metric`, tags."mlflow.runName". */
function readIdentifier(input: string, start: number, what: string): Token {
  const parts: IdentPart[] = [];
  let i = start;
  for (;;) {
    const q = input[i];
    if (q === '"' || q === "`") {
      const { text, end } = readQuoted(input, i, what);
      parts.push({ text, quote: q });
      i = end;
    } else {
      const bare = matchAt(BARE_PART, input, i);
      if (!bare) throw refuse(`${what}: expected a name after '.' at position ${i}`);
      parts.push({ text: bare, quote: "" });
      i += bare.length;
    }
    if (input[i] !== ".") return { kind: "ident", parts, text: input.slice(start, i), start, end: i };
    i += 1;
  }
}

function tokenize(input: string, what: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    let number: string | undefined;
    let operator: string | undefined;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    let token: Token;
    if (c === "(" || c === ")" || c === ",") {
      token = { kind: c, text: c, start: i, end: i + 1 };
    } else if (c === "'") {
      const { text, end } = readQuoted(input, i, what);
      token = { kind: "string", value: text, text: input.slice(i, end), start: i, end };
    } else if ((number = matchAt(NUMBER, input, i)) !== undefined) {
      token = { kind: "number", value: Number(number), text: number, start: i, end: i + number.length };
    } else if ((operator = matchAt(OPERATOR, input, i)) !== undefined) {
      token = { kind: "op", text: operator, start: i, end: i + operator.length };
    } else if (c === '"' || c === "`" || /[A-Za-z_]/.test(c)) {
      token = readIdentifier(input, i, what);
    } else {
      throw refuse(`${what}: unexpected character '${c}' at position ${i}`);
    }
    tokens.push(token);
    i = token.end;
  }
  return tokens;
}

function isWord(token: Token | undefined, word: string): boolean {
  return token?.kind === "ident" && token.parts.length === 1 && token.parts[0].quote === "" && token.parts[0].text.toUpperCase() === word;
}

/** A single double-quoted identifier is a string value, as in MLflow (`params.a = "x"`). */
function stringValue(token: Token | undefined): string | undefined {
  if (token?.kind === "string") return token.value;
  if (token?.kind === "ident" && token.parts.length === 1 && token.parts[0].quote === '"') return token.parts[0].text;
  return undefined;
}

// ---------------------------------------------------------------------------------------------- clauses

interface RawClause {
  readonly entity: string | undefined;
  readonly key: string;
  readonly comparator: string;
  readonly value: Token | readonly string[];
  readonly text: string;
}

/** The input text of `tokens[from..to)`, as the user wrote it. */
function span(input: string, tokens: readonly Token[], from: number, to = tokens.length): string {
  if (from >= to) return "";
  return input.slice(tokens[from].start, tokens[to - 1].end);
}

/** Splits an identifier into entity type (undefined for a bare key) and key; `params.a.b` has key `a.b`. */
function splitIdentifier(token: Token, what: string): { entity: string | undefined; key: string } {
  if (token.kind !== "ident") throw refuse(`${what}: expected an identifier such as metrics.loss, found '${token.text}'`);
  const [first, ...rest] = token.parts;
  if (rest.length === 0) return { entity: undefined, key: first.text };
  if (first.quote === '"') throw refuse(`${what}: invalid identifier '${token.text}'`);
  if (rest.length > 1 && rest.some((p) => p.quote !== "")) {
    throw refuse(`${what}: invalid identifier '${token.text}'; quote the whole key, e.g. ${first.text}.\`a.b\``);
  }
  return { entity: first.text, key: rest.map((p) => p.text).join(".") };
}

/** Reads `(string, string, ...)` starting at `tokens[i]`, the opening parenthesis. */
function readList(tokens: readonly Token[], i: number, what: string): { values: string[]; end: number } {
  const values: string[] = [];
  let j = i + 1;
  if (tokens[j]?.kind === ")") throw refuse(`${what}: expected a non-empty list of quoted strings, got ()`);
  for (;;) {
    const value = stringValue(tokens[j]);
    if (value === undefined) {
      throw refuse(`${what}: expected a list of quoted strings such as ('a', 'b'), found '${tokens[j]?.text ?? "end of input"}'`);
    }
    values.push(value);
    const next = tokens[j + 1];
    if (next?.kind === ")") return { values, end: j + 2 };
    if (next?.kind !== ",") throw refuse(`${what}: expected ',' or ')' in list, found '${next?.text ?? "end of input"}'`);
    j += 2;
  }
}

function invalidClause(input: string, tokens: readonly Token[], from: number, why: string): never {
  const rest = span(input, tokens, from);
  throw refuse(`Invalid clause(s) in filter string: '${clip(rest)}'. ${why}`);
}

/** Splits `a = 1 AND b LIKE 'x' AND c IN ('y')` into raw clauses, refusing OR and parenthesised groups. */
function readClauses(filter: string): RawClause[] {
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

function checkComparator(clause: RawClause, allowed: readonly string[], subject: string): void {
  if (!allowed.includes(clause.comparator)) {
    throw refuse(`Invalid comparator '${clause.comparator}' for ${subject} in '${clip(clause.text)}'; use one of ${allowed.join(", ")}`);
  }
}

function isList(value: Token | readonly string[]): value is readonly string[] {
  return Array.isArray(value);
}

function numberOf(clause: RawClause, subject: string): number {
  const value = clause.value;
  if (isList(value) || value.kind !== "number") {
    throw refuse(`Expected numeric value type for ${subject}. Found ${describeValue(value)} in '${clip(clause.text)}'`);
  }
  return value.value;
}

function stringOf(clause: RawClause, subject: string): string {
  const value = clause.value;
  const text = isList(value) ? undefined : stringValue(value);
  if (text === undefined) {
    throw refuse(`Expected a quoted string value for ${subject} (e.g. 'my-value'). Got value ${describeValue(value)} in '${clip(clause.text)}'`);
  }
  return text;
}

function listOf(clause: RawClause, subject: string): readonly string[] {
  if (!isList(clause.value)) {
    throw refuse(`${clause.comparator} needs a parenthesised list of quoted strings for ${subject}, e.g. ${clause.comparator} ('a', 'b'); got '${clip(clause.text)}'`);
  }
  return clause.value;
}

function describeValue(value: Token | readonly string[]): string {
  return isList(value) ? `(${value.map((v) => `'${v}'`).join(", ")})` : value.text;
}

function entityType<T extends string>(entity: string, valid: ReadonlyMap<string, T>): T {
  const type = valid.get(entity);
  if (type === undefined) {
    const names = [...new Set(valid.values())].join("', '");
    throw refuse(`Invalid entity type '${entity}'. Valid values are '${names}'`);
  }
  return type;
}

function runAttribute(key: string, valid: readonly string[]): RunAttribute {
  const name = RUN_ATTRIBUTE_ALIASES.get(key) ?? key;
  if (!valid.includes(name)) {
    throw refuse(`Invalid attribute key '${key}' specified. Valid keys are '${[...valid].sort().join("', '")}'`);
  }
  return name as RunAttribute;
}

function isNumericRunAttribute(key: RunAttribute): key is NumericRunAttribute {
  return key === "start_time" || key === "end_time";
}

function toRunClause(raw: RawClause): RunFilterClause {
  const type = raw.entity === undefined ? "attribute" : entityType(raw.entity, ENTITY_TYPES);
  const { key, comparator } = raw;
  switch (type) {
    case "metric":
      checkComparator(raw, NUMERIC_COMPARATORS, "metrics");
      return { type, key, comparator: comparator as NumericComparator, value: numberOf(raw, "metric") };
    case "param":
    case "tag":
      checkComparator(raw, STRING_COMPARATORS, type === "param" ? "params" : "tags");
      return { type, key, comparator: comparator as StringComparator, value: stringOf(raw, type) };
    case "dataset": {
      if (!(DATASET_KEYS as readonly string[]).includes(key)) {
        throw refuse(`Invalid dataset key '${key}' specified. Valid keys are '${DATASET_KEYS.join("', '")}'`);
      }
      const datasetKey = key as DatasetKey;
      checkComparator(raw, [...STRING_COMPARATORS, ...LIST_COMPARATORS], "datasets");
      if (LIST_COMPARATORS.includes(comparator)) {
        return { type, key: datasetKey, comparator: comparator as ListComparator, value: listOf(raw, `dataset.${key}`) };
      }
      return { type, key: datasetKey, comparator: comparator as StringComparator, value: stringOf(raw, "dataset attributes") };
    }
    default: {
      const attribute = runAttribute(key, RUN_ATTRIBUTES);
      if (isNumericRunAttribute(attribute)) {
        checkComparator(raw, NUMERIC_COMPARATORS, `numeric attribute ${attribute}`);
        return { type: "attribute", key: attribute, comparator: comparator as NumericComparator, value: numberOf(raw, `numeric attribute: ${attribute}`) };
      }
      checkComparator(raw, attribute === "run_id" ? [...STRING_COMPARATORS, ...LIST_COMPARATORS] : STRING_COMPARATORS, `attribute ${attribute}`);
      if (attribute === "run_id" && LIST_COMPARATORS.includes(comparator)) {
        return { type: "attribute", key: attribute, comparator: comparator as ListComparator, value: listOf(raw, "run_id") };
      }
      if (isList(raw.value)) {
        throw refuse(`Only the 'run_id' attribute supports comparison with a list of quoted string values; got '${raw.text}'`);
      }
      return { type: "attribute", key: attribute, comparator: comparator as StringComparator, value: stringOf(raw, "attributes") };
    }
  }
}

/**
 * Parses a search_runs filter such as `metrics.loss < 0.5 and params.model = 'cnn'` into AND-ed clauses; an
 * empty or blank filter has none. Throws INVALID_PARAMETER_VALUE, saying what was wrong, for anything else.
 */
export function parseRunFilter(filter: string | undefined): RunFilterClause[] {
  if (!filter || filter.trim() === "") return [];
  return readClauses(filter).map(toRunClause);
}

// ---------------------------------------------------------------------------------------------- order by

function readOrderBy(orderBy: string): { entity: string | undefined; key: string; ascending: boolean } {
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

/** Parses search_runs order_by items (`metrics.loss DESC`, `start_time`, ...). Duplicated keys are refused. */
export function parseRunOrderBy(orderBy: readonly string[] | undefined): RunOrderBy[] {
  const parsed: RunOrderBy[] = [];
  for (const item of orderBy ?? []) {
    const { entity, key, ascending } = readOrderBy(item);
    const type = entity === undefined ? "attribute" : entityType(entity, ENTITY_TYPES);
    if (type === "dataset") throw refuse(`Invalid order_by clause '${clip(item)}': runs cannot be ordered by dataset fields`);
    const parsedItem: RunOrderBy = type === "attribute" ? { type, key: runAttribute(key, RUN_ATTRIBUTES), ascending } : { type, key, ascending };
    if (parsed.some((p) => p.type === parsedItem.type && p.key === parsedItem.key)) {
      throw refuse(`\`order_by\` contains duplicate fields: ${clip(JSON.stringify(orderBy))}`);
    }
    parsed.push(parsedItem);
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------- experiments

const EXPERIMENT_ENTITY_TYPES: ReadonlyMap<string, "attribute" | "tag"> = new Map([
  ["attribute", "attribute"],
  ["tag", "tag"],
  ["tags", "tag"],
]);

function experimentAttribute<K extends string>(key: string, valid: readonly K[]): K {
  if (!(valid as readonly string[]).includes(key)) {
    throw refuse(`Invalid attribute key '${key}' specified. Valid keys are '${valid.join("', '")}'`);
  }
  return key as K;
}

function toExperimentClause(raw: RawClause): ExperimentFilterClause {
  const type = raw.entity === undefined ? "attribute" : entityType(raw.entity, EXPERIMENT_ENTITY_TYPES);
  if (type === "tag") {
    checkComparator(raw, STRING_COMPARATORS, "tags");
    return { type, key: raw.key, comparator: raw.comparator as StringComparator, value: stringOf(raw, "tag") };
  }
  const key = experimentAttribute(raw.key, EXPERIMENT_ATTRIBUTES);
  if (key === "name") {
    checkComparator(raw, STRING_COMPARATORS, "attribute name");
    return { type, key, comparator: raw.comparator as StringComparator, value: stringOf(raw, "attributes") };
  }
  checkComparator(raw, NUMERIC_COMPARATORS, `numeric attribute ${key}`);
  return { type, key, comparator: raw.comparator as NumericComparator, value: numberOf(raw, `numeric attribute: ${key}`) };
}

/** Parses a search_experiments filter: `name`, `creation_time`, `last_update_time` and `tags.<key>` clauses. */
export function parseExperimentFilter(filter: string | undefined): ExperimentFilterClause[] {
  if (!filter || filter.trim() === "") return [];
  return readClauses(filter).map(toExperimentClause);
}

/** Parses search_experiments order_by items; only attributes (name, experiment_id, creation_time, last_update_time). */
export function parseExperimentOrderBy(orderBy: readonly string[] | undefined): ExperimentOrderBy[] {
  const parsed: ExperimentOrderBy[] = [];
  for (const item of orderBy ?? []) {
    const { entity, key, ascending } = readOrderBy(item);
    if (entity !== undefined && entityType(entity, EXPERIMENT_ENTITY_TYPES) !== "attribute") {
      throw refuse(`Invalid order_by entity '${entity}' in '${clip(item)}'; experiments can only be ordered by ${EXPERIMENT_ORDER_KEYS.join(", ")}`);
    }
    const resolved = experimentAttribute(key, EXPERIMENT_ORDER_KEYS);
    if (parsed.some((p) => p.key === resolved)) throw refuse(`\`order_by\` contains duplicate fields: ${clip(JSON.stringify(orderBy))}`);
    parsed.push({ key: resolved, ascending });
  }
  return parsed;
}
