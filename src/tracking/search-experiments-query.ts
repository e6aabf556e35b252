/**
 * search_experiments compiled to one SQL query, paged by keyset like search_runs. Experiments are few
 * (thousands, not millions), so one plan serves: filters on the row, tag clauses as `IN (subquery)`.
 */
import type { Expression, Kysely, SelectQueryBuilder, SqlBool } from "kysely";
import { sql } from "kysely";
import { invalidParameter } from "../core/errors.js";
import type { SqlDialect } from "../store/dialect.js";
import type { ExperimentsTable, KeelDatabase } from "../store/schema.js";
import type { CursorValue, SortKey } from "../store/page-token.js";
import { cursorOf, decodePageToken, encodePageToken, orderSignature, pageSize, seekPredicate, sortKeyAlias } from "../store/page-token.js";
import type { ExperimentFilterClause, ExperimentOrderBy } from "./search-filter.js";
import { parseExperimentFilter, parseExperimentOrderBy } from "./search-filter.js";
import { integerPredicate, listPredicate, stringPredicate } from "../store/sql-predicates.js";
import type { SearchExperimentsInput } from "./tracking-store.js";
import { VIEW_TYPES } from "./types.js";
import { SEARCH_PAGE_LIMITS } from "./validation.js";

/** MLflow's default: newest first, then by id. */
const DEFAULT_ORDER: readonly ExperimentOrderBy[] = [
  { key: "creation_time", ascending: false },
  { key: "experiment_id", ascending: true },
];

/** A search_experiments request, checked and parsed; what `buildSearchExperimentsQuery` compiles. */
export interface ExperimentSearchPlan {
  readonly lifecycleStages: readonly string[] | undefined;
  readonly clauses: readonly ExperimentFilterClause[];
  /** The order_by items with MLflow's tie-breaker appended: experiment_id DESC unless already named. */
  readonly orderBy: readonly ExperimentOrderBy[];
  readonly maxResults: number;
  readonly after: readonly CursorValue[] | undefined;
}

type ExperimentsQuery = SelectQueryBuilder<KeelDatabase & { e: ExperimentsTable }, "e", Record<string, unknown>>;

function sortKeys(orderBy: readonly ExperimentOrderBy[]): SortKey[] {
  return orderBy.map((o) => ({ expression: sql.ref(`e.${o.key}`), descending: !o.ascending, kind: o.key === "name" ? "string" : "number" }));
}

function clausePredicate(db: Kysely<KeelDatabase>, dialect: SqlDialect, clause: ExperimentFilterClause): Expression<SqlBool> {
  if (clause.type === "tag") {
    const ids = db
      .selectFrom("experiment_tags as t")
      .select("t.experiment_id")
      .where("t.key", "=", clause.key)
      .where(stringPredicate(dialect, sql.ref("t.value"), clause.comparator, clause.value));
    return sql<SqlBool>`${sql.ref("e.experiment_id")} in ${ids}`;
  }
  if (clause.key === "name") return stringPredicate(dialect, sql.ref("e.name"), clause.comparator, clause.value);
  return integerPredicate(sql.ref(`e.${clause.key}`), clause.comparator, clause.value);
}

/** Checks and parses a search_experiments request; every refusal is INVALID_PARAMETER_VALUE. */
export function planExperimentSearch(input: SearchExperimentsInput): ExperimentSearchPlan {
  const viewType = input.viewType;
  if (viewType !== undefined && !VIEW_TYPES.includes(viewType)) {
    throw invalidParameter(`Invalid view_type '${String(viewType)}'; use one of ${VIEW_TYPES.join(", ")}`);
  }
  const parsed = parseExperimentOrderBy(input.orderBy);
  const orderBy = parsed.length === 0 ? DEFAULT_ORDER : parsed;
  const complete = orderBy.some((o) => o.key === "experiment_id") ? orderBy : [...orderBy, { key: "experiment_id" as const, ascending: false }];
  const plan = {
    lifecycleStages: viewType === "ALL" ? undefined : viewType === "DELETED_ONLY" ? ["deleted"] : ["active"],
    clauses: parseExperimentFilter(input.filter),
    orderBy: complete,
    maxResults: pageSize(input.maxResults, SEARCH_PAGE_LIMITS),
  };
  if (!input.pageToken) return { ...plan, after: undefined };
  const kinds = sortKeys(complete).map((k) => k.kind);
  return { ...plan, after: decodePageToken(input.pageToken, signatureOf(complete), kinds) };
}

function signatureOf(orderBy: readonly ExperimentOrderBy[]): string {
  return orderSignature(["experiments", ...orderBy.map((o) => `${o.key}:${o.ascending ? "asc" : "desc"}`)]);
}

/** The SQL of one page plus one row, built but not run. Selects `experiment_id` and the sort keys. */
export function buildSearchExperimentsQuery(db: Kysely<KeelDatabase>, dialect: SqlDialect, plan: ExperimentSearchPlan): ExperimentsQuery {
  const keys = sortKeys(plan.orderBy);
  let query = db.selectFrom("experiments as e").select("e.experiment_id") as unknown as ExperimentsQuery;
  query = query.select(keys.map((k, i) => sql`${k.expression}`.as(sortKeyAlias(i))));
  if (plan.lifecycleStages) query = query.where(listPredicate(sql.ref("e.lifecycle_stage"), false, plan.lifecycleStages));
  for (const clause of plan.clauses) query = query.where(clausePredicate(db, dialect, clause));
  if (plan.after) query = query.where(seekPredicate(keys, plan.after));
  for (const key of keys) query = query.orderBy(sql`${key.expression}`, key.descending ? "desc" : "asc");
  return query.limit(plan.maxResults + 1);
}

/**
 * Ids of the experiments matching a search_experiments request, in order (default: creation_time DESC,
 * then experiment_id), one page at a time; the token never skips or repeats an experiment.
 */
export async function searchExperimentIds(
  db: Kysely<KeelDatabase>,
  dialect: SqlDialect,
  input: SearchExperimentsInput,
): Promise<{ experimentIds: string[]; nextPageToken?: string }> {
  const plan = planExperimentSearch(input);
  const rows = await buildSearchExperimentsQuery(db, dialect, plan).execute();
  const page = rows.slice(0, plan.maxResults);
  const experimentIds = page.map((row) => String(row.experiment_id));
  if (rows.length <= plan.maxResults) return { experimentIds };
  const cursor = cursorOf(page[page.length - 1], sortKeys(plan.orderBy));
  return { experimentIds, nextPageToken: encodePageToken(signatureOf(plan.orderBy), cursor) };
}
