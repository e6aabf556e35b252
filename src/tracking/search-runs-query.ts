/**
 * search_runs compiled to SQL: filter clauses become subqueries on params, tags and latest_metrics, order_by
 * keys become joins sorted as MLflow's SQL store sorts them (values, then NaN, then missing, whatever the
 * direction), and pages are cut by keyset, never by offset. Nothing is filtered or sorted in memory.
 *
 * The plan adapts to the data as a cost-based optimizer would, because SQLite's guesses without statistics
 * are poor: a cheap count decides whether a filter is selective enough to start from (then it is
 * `run_id IN (subquery)` and the few matches are sorted), or whether to walk the order_by key's index and
 * check each run with EXISTS until the page is full.
 */
import type { Expression, Kysely, SelectQueryBuilder, SqlBool } from "kysely";
import { sql } from "kysely";
import { invalidParameter } from "../core/errors.js";
import type { SqlDialect } from "../store/dialect.js";
import type { KeelDatabase, RunsTable } from "../store/schema.js";
import type { CursorValue, SortKey } from "../store/page-token.js";
import { cursorOf, decodePageToken, encodePageToken, orderSignature, pageSize, seekPredicate, sortKeyAlias } from "../store/page-token.js";
import { listPredicate } from "../store/sql-predicates.js";
import type { RunFilterClause, RunOrderBy } from "./search-filter.js";
import { parseRunFilter, parseRunOrderBy } from "./search-filter.js";
import type { SubqueryClause } from "./search-predicates.js";
import { ATTRIBUTE_COLUMNS, clauseRunIds, runClausePredicate } from "./search-predicates.js";
import type { SearchRunsInput } from "./tracking-store.js";
import type { ViewType } from "./types.js";
import { VIEW_TYPES } from "./types.js";
import { SEARCH_PAGE_LIMITS } from "./validation.js";

const MAX_INT32 = 2_147_483_647;
/**
 * A filter matching fewer runs than this is where a search starts (see `chooseShape`): reading and sorting
 * 2,000 runs takes a few milliseconds, about what walking an order_by index for a 100-run page costs.
 */
const SELECTIVE_ROWS = 2000;

export interface SearchRunsOptions {
  /** Overrides SELECTIVE_ROWS; tests use 0 and Infinity to force each plan shape. */
  readonly selectiveRows?: number;
}

/** A search_runs request, checked and parsed; what `buildSearchRunsQuery` compiles. */
export interface RunSearchPlan {
  readonly experimentIds: readonly number[];
  readonly lifecycleStages: readonly string[] | undefined;
  readonly clauses: readonly RunFilterClause[];
  readonly orderBy: readonly RunOrderBy[];
  readonly maxResults: number;
  /** Sort-key values of the last row of the previous page. */
  readonly after: readonly CursorValue[] | undefined;
}

/** How a plan runs; every shape returns the same rows in the same order. */
export interface QueryShape {
  /** Index of the clause compiled as `run_id IN (subquery)`, the set the search starts from; others use EXISTS. */
  readonly driving?: number;
  /**
   * With an order_by led by a metric, param or tag: read only the runs whose value ranks here (0 present,
   * then for metrics 1 NaN, then missing), starting from that key's index rather than from the runs.
   */
  readonly segment?: number;
}

/**
 * The page query, typed as one over `runs as r` with loose rows: the joined aliases (o0, o1, ...) are chosen
 * at run time, beyond kysely's static types, and are referenced with `sql.ref`.
 */
type RunsQuery = SelectQueryBuilder<KeelDatabase & { r: RunsTable }, "r", Record<string, unknown>>;
type RunsDb = Kysely<KeelDatabase>;

// ---------------------------------------------------------------------------------------------- ordering

interface OrderTerm {
  readonly keys: readonly SortKey[];
  /** The metric, param or tag the term sorts by, joined as `[table, alias, key]`. */
  readonly join?: readonly ["latest_metrics" | "params" | "tags", string, string];
  /** How many rank segments the term has: values, (NaN,) missing. */
  readonly segments: number;
}

/**
 * The sort keys of one order_by item. Missing values rank after present ones in both directions, and NaN
 * metrics between the two, as in MLflow's SQL store; a rank key and a COALESCEd value make the order total,
 * so that a page token can name a position in it.
 */
function orderTerm(item: RunOrderBy, index: number): OrderTerm {
  const descending = !item.ascending;
  if (item.type === "attribute") {
    const column = ATTRIBUTE_COLUMNS[item.key];
    const ref = sql.ref(`r.${column}`);
    if (column !== "end_time") return { keys: [{ expression: ref, descending, kind: column === "start_time" ? "number" : "string" }], segments: 1 };
    return {
      keys: [
        { expression: sql`case when ${ref} is null then 1 else 0 end`, descending: false, kind: "number" },
        { expression: sql`coalesce(${ref}, 0)`, descending, kind: "number" },
      ],
      segments: 1,
    };
  }
  const alias = `o${index}`;
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  if (item.type === "metric") {
    return {
      keys: [
        { expression: sql`case when ${col("run_id")} is null then 2 when ${col("is_nan")} = 1 then 1 else 0 end`, descending: false, kind: "number" },
        { expression: sql`case when ${col("is_nan")} = 0 then ${col("value")} else 0 end`, descending, kind: "number" },
      ],
      join: ["latest_metrics", alias, item.key],
      segments: 3,
    };
  }
  return {
    keys: [
      { expression: sql`case when ${col("value")} is null then 1 else 0 end`, descending: false, kind: "number" },
      { expression: sql`coalesce(${col("value")}, '')`, descending, kind: "string" },
    ],
    join: [item.type === "param" ? "params" : "tags", alias, item.key],
    segments: 2,
  };
}

/** The order_by terms followed by MLflow's tie-breakers, start_time DESC then run_id ASC. */
function orderTerms(orderBy: readonly RunOrderBy[]): OrderTerm[] {
  const terms = orderBy.map(orderTerm);
  const has = (key: string) => orderBy.some((o) => o.type === "attribute" && o.key === key);
  if (!has("start_time")) terms.push(orderTerm({ type: "attribute", key: "start_time", ascending: false }, -1));
  if (!has("run_id")) terms.push(orderTerm({ type: "attribute", key: "run_id", ascending: true }, -1));
  return terms;
}

function signatureOf(orderBy: readonly RunOrderBy[]): string {
  return orderSignature(["runs", ...orderBy.map((o) => `${o.type}:${o.key}:${o.ascending ? "asc" : "desc"}`)]);
}

// ---------------------------------------------------------------------------------------------- plan

function viewTypeStages(viewType: ViewType | undefined): readonly string[] | undefined {
  if (viewType !== undefined && !VIEW_TYPES.includes(viewType)) {
    throw invalidParameter(`Invalid run_view_type '${String(viewType)}'; use one of ${VIEW_TYPES.join(", ")}`);
  }
  if (viewType === "ALL") return undefined;
  return viewType === "DELETED_ONLY" ? ["deleted"] : ["active"];
}

function experimentIds(ids: readonly string[]): number[] {
  const numbers: number[] = [];
  for (const id of ids) {
    if (typeof id !== "string" || !/^\d+$/.test(id)) {
      throw invalidParameter(`Invalid experiment id '${String(id)}'; experiment ids are decimal integers such as '0'`);
    }
    // An id no integer column can hold names no experiment: it matches nothing rather than failing.
    if (Number(id) <= MAX_INT32) numbers.push(Number(id));
  }
  return numbers;
}

/** Checks and parses a search_runs request; every refusal is INVALID_PARAMETER_VALUE. */
export function planRunSearch(input: SearchRunsInput): RunSearchPlan {
  const orderBy = parseRunOrderBy(input.orderBy);
  const plan = {
    experimentIds: experimentIds(input.experimentIds ?? []),
    lifecycleStages: viewTypeStages(input.viewType),
    clauses: parseRunFilter(input.filter),
    orderBy,
    maxResults: pageSize(input.maxResults, SEARCH_PAGE_LIMITS),
  };
  if (!input.pageToken) return { ...plan, after: undefined };
  const kinds = orderTerms(orderBy).flatMap((t) => t.keys.map((k) => k.kind));
  return { ...plan, after: decodePageToken(input.pageToken, signatureOf(orderBy), kinds) };
}

// ---------------------------------------------------------------------------------------------- query

/** A sort key a query orders and seeks on, with its position among all the keys a page token holds. */
interface LiveKey {
  readonly key: SortKey;
  readonly index: number;
}

/** Where a query's rows come from, what it selects as each sort key, and which keys still vary. */
interface Source {
  readonly query: RunsQuery;
  readonly selected: readonly Expression<unknown>[];
  readonly live: readonly LiveKey[];
}

function runsSource(db: RunsDb, keys: readonly SortKey[]): Source {
  const query = db.selectFrom("runs as r").select("r.run_id") as unknown as RunsQuery;
  return { query, selected: keys.map((k) => k.expression), live: keys.map((key, index) => ({ key, index })) };
}

/**
 * The runs whose first order_by term ranks `segment`. Present values come from the key's own rows in a
 * CROSS JOIN, which keeps them as SQLite's outer loop, read in (key, value) index order (PostgreSQL plans
 * it freely); the term's rank is fixed, and so is its value past the values segment.
 */
function segmentSource(db: RunsDb, first: OrderTerm, segment: number, keys: readonly SortKey[]): Source {
  if (!first.join) return runsSource(db, keys);
  const [table, alias, key] = first.join;
  const width = first.keys.length;
  const rest = keys.map((k, index) => ({ key: k, index })).filter(({ index }) => index >= width);
  const joined = sql<SqlBool>`${sql.ref(`${alias}.run_id`)} = ${sql.ref("r.run_id")} and ${sql.ref(`${alias}.key`)} = ${key}`;
  if (segment === first.segments - 1) {
    const runs = runsSource(db, keys).query.where(sql<SqlBool>`not exists (select 1 from ${sql.table(table)} as ${sql.id(alias)} where ${joined})`);
    // No row to join: select the rank and value that the LEFT JOIN form computes for a missing key.
    const missing = [sql.lit(segment), sql.lit(first.keys[1].kind === "number" ? 0 : "")];
    return { query: runs, selected: [...missing, ...rest.map((l) => l.key.expression)], live: rest };
  }
  let query = (db.selectFrom(sql.table(table).as(alias)).crossJoin("runs as r") as unknown as RunsQuery).select("r.run_id").where(joined);
  if (table === "latest_metrics") query = query.where(sql<SqlBool>`${sql.ref(`${alias}.is_nan`)} = ${segment}`);
  // In the values segment the bare column is the value, so that the index yields the order.
  const value = { index: 1, key: { ...first.keys[1], expression: sql.ref(`${alias}.value`) } };
  return { query, selected: keys.map((k) => k.expression), live: segment === 0 ? [value, ...rest] : rest };
}

/**
 * The SQL for (part of) one page, built but not run: `.compile()` shows the statement, `.execute()` runs it.
 * Selects `run_id` and the sort keys as `k0, k1, ...` (see `sortKeyAlias`); at most `limit` rows.
 */
export function buildSearchRunsQuery(
  db: RunsDb,
  dialect: SqlDialect,
  plan: RunSearchPlan,
  shape: QueryShape = {},
  limit = plan.maxResults + 1,
): RunsQuery {
  const terms = orderTerms(plan.orderBy);
  const keys = terms.flatMap((t) => t.keys);
  const { segment } = shape;
  const source = segment === undefined ? runsSource(db, keys) : segmentSource(db, terms[0], segment, keys);
  let query = source.query.select(source.selected.map((e, i) => sql`${e}`.as(sortKeyAlias(i))));
  for (const [i, term] of terms.entries()) {
    if (!term.join || (segment !== undefined && i === 0)) continue;
    const [table, alias, key] = term.join;
    query = query.leftJoin(sql.table(table).as(alias), (on) =>
      on.on(sql<SqlBool>`${sql.ref(`${alias}.run_id`)} = ${sql.ref("r.run_id")} and ${sql.ref(`${alias}.key`)} = ${key}`),
    ) as unknown as RunsQuery;
  }
  query = query.where(listPredicate(sql.ref("r.experiment_id"), false, plan.experimentIds));
  if (plan.lifecycleStages) query = query.where(listPredicate(sql.ref("r.lifecycle_stage"), false, plan.lifecycleStages));
  for (const [i, clause] of plan.clauses.entries()) query = query.where(runClausePredicate(db, dialect, clause, i === shape.driving));
  const after = plan.after;
  // A later segment starts at its beginning; the one the token points into resumes after the token's row.
  if (after && (segment === undefined || after[0] === segment)) {
    query = query.where(seekPredicate(source.live.map((l) => l.key), source.live.map((l) => after[l.index])));
  }
  for (const { key } of source.live) query = query.orderBy(sql`${key.expression}`, key.descending ? "desc" : "asc");
  return query.limit(limit);
}

// ---------------------------------------------------------------------------------------------- execution

/** Counts the rows of `query`, a subquery that stops at SELECTIVE_ROWS. */
async function countOf(db: RunsDb, query: Expression<unknown>): Promise<number> {
  const row = await db.selectFrom(sql`${query}`.as("p")).select(sql<number>`count(*)`.as("n")).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A metric range or a param or tag equality is answered from a (key, value) index; others are not counted. */
function isIndexable(clause: RunFilterClause): clause is SubqueryClause {
  if (clause.type === "metric") return clause.comparator !== "!=";
  return (clause.type === "param" || clause.type === "tag") && clause.comparator === "=";
}

/**
 * Picks how to run the plan. If a filter, or the searched experiments themselves, hold few runs, start there
 * and sort the matches; otherwise walk the order_by key in index order and stop once the page is full, which
 * for a broad filter reads a few hundred rows instead of sorting tens of thousands.
 */
export async function chooseShape(
  db: RunsDb,
  dialect: SqlDialect,
  plan: RunSearchPlan,
  options: SearchRunsOptions = {},
): Promise<QueryShape> {
  const threshold = options.selectiveRows ?? SELECTIVE_ROWS;
  const estimate = Math.max(1, Math.min(threshold, MAX_INT32));
  const [first] = orderTerms(plan.orderBy);
  if (!first.join && !plan.clauses.some(isIndexable)) return {};
  let best: { count: number; driving?: number } = { count: threshold };
  for (const [i, clause] of plan.clauses.entries()) {
    if (!isIndexable(clause)) continue;
    const count = await countOf(db, clauseRunIds(db, dialect, clause, { estimate }));
    if (count < best.count) best = { count, driving: i };
  }
  if (best.driving !== undefined) return { driving: best.driving };
  if (!first.join) return {};
  const stages = plan.lifecycleStages;
  const runs = db
    .selectFrom("runs as r")
    .select(sql<number>`1`.as("one"))
    .where(listPredicate(sql.ref("r.experiment_id"), false, plan.experimentIds))
    .$if(stages !== undefined, (q) => q.where(listPredicate(sql.ref("r.lifecycle_stage"), false, stages ?? [])))
    .limit(estimate);
  if ((await countOf(db, runs)) < threshold) return {};
  return { segment: plan.after ? Number(plan.after[0]) : 0 };
}

/** Rows of one page plus one, read segment by segment when the shape walks the order_by key. */
async function pageRows(db: RunsDb, dialect: SqlDialect, plan: RunSearchPlan, shape: QueryShape): Promise<Record<string, unknown>[]> {
  if (shape.segment === undefined) return buildSearchRunsQuery(db, dialect, plan, shape).execute();
  const [first] = orderTerms(plan.orderBy);
  const rows: Record<string, unknown>[] = [];
  for (let segment = shape.segment; segment < first.segments && rows.length <= plan.maxResults; segment++) {
    rows.push(...(await buildSearchRunsQuery(db, dialect, plan, { segment }, plan.maxResults + 1 - rows.length).execute()));
  }
  return rows;
}

/**
 * Ids of the runs matching a search_runs request, in order, one page at a time. The next page token is
 * present only when another page may follow; paging never skips or repeats a run that exists throughout,
 * however many runs are created or deleted between requests.
 */
export async function searchRunIds(
  db: RunsDb,
  dialect: SqlDialect,
  input: SearchRunsInput,
  options: SearchRunsOptions = {},
): Promise<{ runIds: string[]; nextPageToken?: string }> {
  const plan = planRunSearch(input);
  if (plan.experimentIds.length === 0) return { runIds: [] };
  const rows = await pageRows(db, dialect, plan, await chooseShape(db, dialect, plan, options));
  const page = rows.slice(0, plan.maxResults);
  const runIds = page.map((row) => String(row.run_id));
  if (rows.length <= plan.maxResults) return { runIds };
  const keys = orderTerms(plan.orderBy).flatMap((t) => t.keys);
  return { runIds, nextPageToken: encodePageToken(signatureOf(plan.orderBy), cursorOf(page[page.length - 1], keys)) };
}
