/**
 * The WHERE-clause pieces of a run search: the subqueries that find the runs matching a metric, param, tag or
 * dataset clause (column comparisons come from `store/sql-predicates.ts`). `search-runs-query.ts` and
 * `search-experiments-query.ts` assemble them into whole queries.
 */
import type { Expression, Kysely, RawBuilder, SqlBool } from "kysely";
import { sql } from "kysely";
import type { SqlDialect } from "../store/dialect.js";
import type { KeelDatabase, RunsTable } from "../store/schema.js";
import { integerPredicate, listPredicate, stringPredicate } from "../store/sql-predicates.js";
import { toStoredValue } from "./metric-values.js";
import type { NumericComparator, RunAttribute, RunFilterClause, StringComparator } from "./search-filter.js";

/** Input tag under which MLflow keeps a dataset's role (train, eval, ...). */
const DATASET_CONTEXT_TAG = "mlflow.data.context";

// ---------------------------------------------------------------------------------------------- filters

export const ATTRIBUTE_COLUMNS: Readonly<Record<RunAttribute, keyof RunsTable>> = {
  run_id: "run_id",
  run_name: "name",
  status: "status",
  user_id: "user_id",
  artifact_uri: "artifact_uri",
  start_time: "start_time",
  end_time: "end_time",
};

export type SubqueryClause = Extract<RunFilterClause, { type: "metric" | "param" | "tag" | "dataset" }>;

function isSubqueryClause(clause: RunFilterClause): clause is SubqueryClause {
  return clause.type !== "attribute";
}

export interface SubqueryOptions {
  /** Correlate with the outer `r` (for EXISTS) instead of listing every matching run (for IN). */
  readonly correlate?: boolean;
  /**
   * Count candidates for `chooseShape`: at most this many, and for metrics without the is_nan check, so that
   * the (key, value, run_id) index answers alone; NaN stored as 0 may only make the count too high.
   */
  readonly estimate?: number;
}

/**
 * Runs matching a metric, param, tag or dataset clause, as a query of `run_id`. Metrics compare as IEEE
 * numbers: NaN equals nothing and differs from everything; ±Infinity is stored as ±MAX_DOUBLE.
 */
export function clauseRunIds(
  db: Kysely<KeelDatabase>,
  dialect: SqlDialect,
  clause: SubqueryClause,
  options: SubqueryOptions = {},
): Expression<unknown> {
  const correlated = (column: string) => sql<SqlBool>`${sql.ref(column)} = ${sql.ref("r.run_id")}`;
  const limit = options.estimate ?? 0;
  if (clause.type === "metric") {
    const bound = toStoredValue(clause.value).value;
    return db
      .selectFrom("latest_metrics as f")
      .select("f.run_id")
      .where("f.key", "=", clause.key)
      .$if(clause.comparator === "!=", (q) => q.where((eb) => eb.or([eb("f.is_nan", "=", 1), eb("f.value", "!=", bound)])))
      .$if(clause.comparator !== "!=", (q) => q.where("f.value", clause.comparator, bound))
      .$if(clause.comparator !== "!=" && limit === 0, (q) => q.where("f.is_nan", "=", 0))
      .$if(options.correlate === true, (q) => q.where(correlated("f.run_id")))
      .$if(limit > 0, (q) => q.limit(limit));
  }
  if (clause.type === "param" || clause.type === "tag") {
    const matches = stringPredicate(dialect, sql.ref("f.value"), clause.comparator, clause.value);
    // params and tags have the same columns; only the table differs.
    return db
      .selectFrom(clause.type === "param" ? "params as f" : ("tags as f" as "params as f"))
      .select("f.run_id")
      .where("f.key", "=", clause.key)
      .where(matches)
      .$if(options.correlate === true, (q) => q.where(correlated("f.run_id")))
      .$if(limit > 0, (q) => q.limit(limit));
  }
  const compare = (column: Expression<unknown>): RawBuilder<SqlBool> =>
    typeof clause.value === "string"
      ? stringPredicate(dialect, column, clause.comparator as StringComparator, clause.value)
      : listPredicate(column, clause.comparator === "NOT IN", clause.value);
  return db
    .selectFrom("inputs as f")
    .innerJoin("datasets as d", "d.dataset_uuid", "f.source_id")
    .select("f.destination_id as run_id")
    .where("f.source_type", "=", "DATASET")
    .where("f.destination_type", "=", "RUN")
    .$if(clause.key !== "context", (q) => q.where(compare(sql.ref(`d.${clause.key}`))))
    .$if(clause.key === "context", (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom("input_tags as t")
            .select("t.key")
            .whereRef("t.input_uuid", "=", "f.input_uuid")
            .where("t.key", "=", DATASET_CONTEXT_TAG)
            .where(compare(sql.ref("t.value"))),
        ),
      ),
    )
    .$if(options.correlate === true, (q) => q.where(correlated("f.destination_id")))
    .$if(limit > 0, (q) => q.limit(limit));
}

/** One run filter clause as a condition on `runs as r`; the driving clause is `run_id IN`, others EXISTS. */
export function runClausePredicate(db: Kysely<KeelDatabase>, dialect: SqlDialect, clause: RunFilterClause, driving: boolean): Expression<SqlBool> {
  if (isSubqueryClause(clause)) {
    if (driving) return sql<SqlBool>`${sql.ref("r.run_id")} in ${clauseRunIds(db, dialect, clause)}`;
    return sql<SqlBool>`exists ${clauseRunIds(db, dialect, clause, { correlate: true })}`;
  }
  const column = sql.ref(`r.${ATTRIBUTE_COLUMNS[clause.key]}`);
  if (typeof clause.value === "number") return integerPredicate(column, clause.comparator as NumericComparator, clause.value);
  if (typeof clause.value === "string") return stringPredicate(dialect, column, clause.comparator as StringComparator, clause.value);
  return listPredicate(column, clause.comparator === "NOT IN", clause.value);
}
