/**
 * MLflow's search grammar for runs and experiments, parsed by hand (MLflow uses sqlparse; Keel needs no SQL
 * parser for a language this small): `clause [AND clause]*` where a clause is `identifier comparator value`,
 * and order-by items `identifier [ASC|DESC]`, read from the tokens of `search-tokens.ts`. The parsers only check
 * the text; `search-runs-query.ts` and `search-experiments-query.ts` turn the trees into SQL.
 */
import type { Token } from "./search-tokens.js";
import { clip, isWord, readList, refuse, span, splitIdentifier, stringValue, tokenize } from "./search-tokens.js";

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

// ---------------------------------------------------------------------------------------------- clauses

interface RawClause {
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
