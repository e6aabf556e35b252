/**
 * search_registered_models and search_model_versions: MLflow's filter grammar over the registry's fields,
 * compiled to one keyset-paged SQL query each. Filters: models by `name` and `tags.<key>`; versions by `name`,
 * `run_id`, `source_path`, `version_number`, `current_stage` and `tags.<key>`.
 */
import type { Expression, Kysely, SelectQueryBuilder, SqlBool } from "kysely";
import { sql } from "kysely";
import type { SqlDialect } from "../store/dialect.js";
import type { CursorValue, PageLimits, SortKey } from "../store/page-token.js";
import { cursorOf, decodePageToken, encodePageToken, orderSignature, pageSize, seekPredicate, sortKeyAlias } from "../store/page-token.js";
import type { ListComparator, NumericComparator, RawClause, StringComparator } from "../store/search-grammar.js";
import {
  LIST_COMPARATORS,
  NUMERIC_COMPARATORS,
  STRING_COMPARATORS,
  checkComparator,
  entityType,
  listOf,
  numberOf,
  readClauses,
  readOrderBy,
  stringOf,
} from "../store/search-grammar.js";
import { clip, refuse } from "../store/search-tokens.js";
import { integerPredicate, listPredicate, stringPredicate } from "../store/sql-predicates.js";
import type { KeelDatabase, RegisteredModelsTable } from "../store/schema.js";
import type { RegistrySearchInput } from "./registry-store.js";

export const MODEL_PAGE_LIMITS: PageLimits = { defaultSize: 100, maxSize: 1000 };
export const VERSION_PAGE_LIMITS: PageLimits = { defaultSize: 10_000, maxSize: 200_000 };

type Kind = "models" | "versions";
type RegistryQuery = SelectQueryBuilder<KeelDatabase & { x: RegisteredModelsTable }, "x", Record<string, unknown>>;

interface FieldSpec {
  readonly column: string;
  readonly kind: "string" | "number";
  readonly comparators: readonly string[];
}

const MODEL_FIELDS: ReadonlyMap<string, FieldSpec> = new Map([["name", { column: "name", kind: "string", comparators: STRING_COMPARATORS }]]);
const VERSION_FIELDS: ReadonlyMap<string, FieldSpec> = new Map([
  ["name", { column: "name", kind: "string", comparators: STRING_COMPARATORS }],
  ["run_id", { column: "run_id", kind: "string", comparators: [...STRING_COMPARATORS, ...LIST_COMPARATORS] }],
  ["source_path", { column: "source", kind: "string", comparators: STRING_COMPARATORS }],
  ["current_stage", { column: "current_stage", kind: "string", comparators: [...STRING_COMPARATORS, ...LIST_COMPARATORS] }],
  ["version_number", { column: "version", kind: "number", comparators: NUMERIC_COMPARATORS }],
]);

const ORDER_COLUMNS: Readonly<Record<Kind, ReadonlyMap<string, FieldSpec>>> = {
  models: new Map([
    ["name", { column: "name", kind: "string", comparators: [] }],
    ["creation_timestamp", { column: "creation_time", kind: "number", comparators: [] }],
    ["timestamp", { column: "creation_time", kind: "number", comparators: [] }],
    ["last_updated_timestamp", { column: "last_updated_time", kind: "number", comparators: [] }],
  ]),
  versions: new Map([
    ["name", { column: "name", kind: "string", comparators: [] }],
    ["version_number", { column: "version", kind: "number", comparators: [] }],
    ["creation_timestamp", { column: "creation_time", kind: "number", comparators: [] }],
    ["timestamp", { column: "creation_time", kind: "number", comparators: [] }],
    ["last_updated_timestamp", { column: "last_updated_time", kind: "number", comparators: [] }],
  ]),
};

const ENTITIES: ReadonlyMap<string, "attribute" | "tag"> = new Map([
  ["attribute", "attribute"],
  ["attributes", "attribute"],
  ["tag", "tag"],
  ["tags", "tag"],
]);

type Clause =
  | { readonly type: "tag"; readonly key: string; readonly comparator: StringComparator; readonly value: string }
  | { readonly type: "field"; readonly column: string; readonly comparator: StringComparator; readonly value: string }
  | { readonly type: "field"; readonly column: string; readonly comparator: ListComparator; readonly value: readonly string[] }
  | { readonly type: "field"; readonly column: string; readonly comparator: NumericComparator; readonly value: number };

function toClause(raw: RawClause, fields: ReadonlyMap<string, FieldSpec>): Clause {
  const type = raw.entity === undefined ? "attribute" : entityType(raw.entity, ENTITIES);
  if (type === "tag") {
    checkComparator(raw, STRING_COMPARATORS, "tags");
    return { type, key: raw.key, comparator: raw.comparator as StringComparator, value: stringOf(raw, "tag") };
  }
  const field = fields.get(raw.key);
  if (!field) throw refuse(`Invalid attribute key '${raw.key}' specified. Valid keys are '${[...fields.keys()].join("', '")}'`);
  checkComparator(raw, field.comparators, `attribute ${raw.key}`);
  if (field.kind === "number") {
    return { type: "field", column: field.column, comparator: raw.comparator as NumericComparator, value: numberOf(raw, `numeric attribute: ${raw.key}`) };
  }
  if (LIST_COMPARATORS.includes(raw.comparator)) {
    return { type: "field", column: field.column, comparator: raw.comparator as ListComparator, value: listOf(raw, raw.key) };
  }
  return { type: "field", column: field.column, comparator: raw.comparator as StringComparator, value: stringOf(raw, "attributes") };
}

interface OrderItem {
  readonly field: FieldSpec;
  readonly ascending: boolean;
}

function parseOrderBy(kind: Kind, orderBy: readonly string[] | undefined): OrderItem[] {
  const columns = ORDER_COLUMNS[kind];
  const items: OrderItem[] = [];
  for (const text of orderBy ?? []) {
    const { entity, key, ascending } = readOrderBy(text);
    const field = columns.get(key);
    if ((entity !== undefined && entityType(entity, ENTITIES) !== "attribute") || !field) {
      throw refuse(`Invalid order_by clause '${clip(text)}'; order by one of ${[...columns.keys()].join(", ")}`);
    }
    if (items.some((i) => i.field.column === field.column)) throw refuse(`\`order_by\` contains duplicate fields: ${clip(JSON.stringify(orderBy))}`);
    items.push({ field, ascending });
  }
  // The list must end in unique keys for keyset paging: the name (models), or name and version (versions).
  const unique: OrderItem[] =
    kind === "models"
      ? [{ field: columns.get("name") as FieldSpec, ascending: true }]
      : [{ field: columns.get("name") as FieldSpec, ascending: true }, { field: columns.get("version_number") as FieldSpec, ascending: false }];
  for (const extra of unique) if (!items.some((i) => i.field.column === extra.field.column)) items.push(extra);
  return items;
}

function predicate(db: Kysely<KeelDatabase>, dialect: SqlDialect, kind: Kind, clause: Clause): Expression<SqlBool> {
  if (clause.type === "tag") {
    const matches = stringPredicate(dialect, sql.ref("t.value"), clause.comparator, clause.value);
    if (kind === "models") {
      const names = db.selectFrom("registered_model_tags as t").select("t.name").where("t.key", "=", clause.key).where(matches);
      return sql<SqlBool>`${sql.ref("x.name")} in ${names}`;
    }
    return sql<SqlBool>`exists (select 1 from model_version_tags t where t.name = x.name and t.version = x.version and t.key = ${clause.key} and ${matches})`;
  }
  const column = sql.ref(`x.${clause.column}`);
  if (typeof clause.value === "number") return integerPredicate(column, clause.comparator as NumericComparator, clause.value);
  if (typeof clause.value === "string") return stringPredicate(dialect, column, clause.comparator as StringComparator, clause.value);
  return listPredicate(column, clause.comparator === "NOT IN", clause.value);
}

/** One page of a registry search: the matching rows (every column of the table) in order, and the next page's token. */
export async function searchRegistryRows(
  db: Kysely<KeelDatabase>,
  dialect: SqlDialect,
  kind: Kind,
  input: RegistrySearchInput,
): Promise<{ rows: Record<string, unknown>[]; nextPageToken?: string }> {
  const limits = kind === "models" ? MODEL_PAGE_LIMITS : VERSION_PAGE_LIMITS;
  const size = pageSize(input.maxResults, limits);
  const filter = input.filter?.trim() ? readClauses(input.filter) : [];
  const clauses = filter.map((raw) => toClause(raw, kind === "models" ? MODEL_FIELDS : VERSION_FIELDS));
  const order = parseOrderBy(kind, input.orderBy);
  const sortKeys: SortKey[] = order.map((o) => ({ expression: sql.ref(`x.${o.field.column}`), descending: !o.ascending, kind: o.field.kind }));
  const signature = orderSignature([kind, ...order.map((o) => `${o.field.column}:${o.ascending ? "asc" : "desc"}`)]);
  const after: CursorValue[] | undefined = input.pageToken ? decodePageToken(input.pageToken, signature, sortKeys.map((k) => k.kind)) : undefined;

  // Both tables are read as `x`; the clauses above only name columns that the searched table has.
  const base = kind === "models" ? db.selectFrom("registered_models as x").selectAll("x") : db.selectFrom("model_versions as x").selectAll("x");
  let query = (base as unknown as RegistryQuery).select(sortKeys.map((k, i) => sql`${k.expression}`.as(sortKeyAlias(i))));
  for (const clause of clauses) query = query.where(predicate(db, dialect, kind, clause));
  if (after) query = query.where(seekPredicate(sortKeys, after));
  for (const key of sortKeys) query = query.orderBy(sql`${key.expression}`, key.descending ? "desc" : "asc");
  const rows = await query.limit(size + 1).execute();
  const page = rows.slice(0, size);
  if (rows.length <= size) return { rows: page };
  return { rows: page, nextPageToken: encodePageToken(signature, cursorOf(page[page.length - 1], sortKeys)) };
}
