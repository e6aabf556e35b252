/**
 * MLflow's search grammar for runs and experiments, parsed by hand (MLflow uses sqlparse; Keel needs no SQL
 * parser for a language this small): `clause [AND clause]*` where a clause is `identifier comparator value`,
 * and order-by items `identifier [ASC|DESC]`, read from the tokens of `search-tokens.ts`. The parsers only check
 * the text; `search-runs-query.ts` and `search-experiments-query.ts` turn the trees into SQL.
 */
import type { ListComparator, NumericComparator, RawClause, StringComparator } from "../store/search-grammar.js";
import {
  LIST_COMPARATORS,
  NUMERIC_COMPARATORS,
  STRING_COMPARATORS,
  checkComparator,
  entityType,
  isList,
  listOf,
  numberOf,
  readClauses,
  readOrderBy,
  stringOf,
} from "../store/search-grammar.js";
import { clip, refuse } from "../store/search-tokens.js";

export type { Comparator, ListComparator, NumericComparator, StringComparator } from "../store/search-grammar.js";

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
