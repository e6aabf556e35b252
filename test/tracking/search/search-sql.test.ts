import type { Dialect } from "kysely";
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteDialect,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { describe, expect, it } from "vitest";
import type { SqlDialect } from "../../../src/store/dialect.js";
import { postgresDialect, sqliteDialect } from "../../../src/store/dialect.js";
import type { KeelDatabase } from "../../../src/store/schema.js";
import { buildSearchExperimentsQuery, planExperimentSearch } from "../../../src/tracking/search-experiments-query.js";
import { buildSearchRunsQuery, planRunSearch } from "../../../src/tracking/search-runs-query.js";

/** Kysely instances that compile but never connect, as kysely's own tests pin SQL per dialect. */
const COMPILERS: Readonly<Record<"sqlite" | "postgresql", Kysely<KeelDatabase>>> = {
  sqlite: new Kysely<KeelDatabase>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    } satisfies Dialect,
  }),
  postgresql: new Kysely<KeelDatabase>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    } satisfies Dialect,
  }),
};

/** The dialects' SQL helpers; their kysely dialects are never asked for a connection. */
const DIALECTS: Readonly<Record<"sqlite" | "postgresql", SqlDialect>> = {
  sqlite: sqliteDialect(new SqliteDialect({ database: () => Promise.reject(new Error("compile only")) })),
  postgresql: postgresDialect(new PostgresDialect({ pool: () => Promise.reject(new Error("compile only")) })),
};

/** `?` placeholders become `$1, $2, ...` for PostgreSQL; the statements are otherwise the same text. */
function forDialect(sqlText: string, dialect: "sqlite" | "postgresql"): string {
  const oneLine = sqlText.trim().replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")");
  let n = 0;
  return dialect === "sqlite" ? oneLine : oneLine.replace(/\?/g, () => `$${++n}`);
}

// The benchmark's search (filter on a metric and a param, order by another metric), second page, read by
// walking the order_by metric's index: the shape chosen when neither filter is selective.
const SECOND_PAGE_BY_METRIC = `
  select "r"."run_id",
    case when "o0"."run_id" is null then 2 when "o0"."is_nan" = 1 then 1 else 0 end as "k0",
    case when "o0"."is_nan" = 0 then "o0"."value" else 0 end as "k1",
    "r"."start_time" as "k2", "r"."run_id" as "k3"
  from "latest_metrics" as "o0" cross join "runs" as "r"
  where "o0"."run_id" = "r"."run_id" and "o0"."key" = ? and "o0"."is_nan" = ?
    and "r"."experiment_id" in (?) and "r"."lifecycle_stage" in (?)
    and exists (select "f"."run_id" from "latest_metrics" as "f"
      where "f"."key" = ? and "f"."value" > ? and "f"."is_nan" = ? and "f"."run_id" = "r"."run_id")
    and exists (select "f"."run_id" from "params" as "f"
      where "f"."key" = ? and "f"."value" = ? and "f"."run_id" = "r"."run_id")
    and ("o0"."value" <= ? and ("o0"."value" < ? or ("r"."start_time" <= ? and ("r"."start_time" < ? or "r"."run_id" > ?))))
  order by "o0"."value" desc, "r"."start_time" desc, "r"."run_id" asc
  limit ?`;

const PARAMS_DRIVEN = `
  select "r"."run_id",
    case when "o0"."run_id" is null then 2 when "o0"."is_nan" = 1 then 1 else 0 end as "k0",
    case when "o0"."is_nan" = 0 then "o0"."value" else 0 end as "k1",
    "r"."start_time" as "k2", "r"."run_id" as "k3"
  from "runs" as "r"
  left join "latest_metrics" as "o0" on "o0"."run_id" = "r"."run_id" and "o0"."key" = ?
  where "r"."experiment_id" in (?) and "r"."lifecycle_stage" in (?)
    and exists (select "f"."run_id" from "latest_metrics" as "f"
      where "f"."key" = ? and "f"."value" > ? and "f"."is_nan" = ? and "f"."run_id" = "r"."run_id")
    and "r"."run_id" in (select "f"."run_id" from "params" as "f" where "f"."key" = ? and "f"."value" = ?)
  order by case when "o0"."run_id" is null then 2 when "o0"."is_nan" = 1 then 1 else 0 end asc,
    case when "o0"."is_nan" = 0 then "o0"."value" else 0 end desc, "r"."start_time" desc, "r"."run_id" asc
  limit ?`;

// ILIKE is the one comparison whose SQL differs: SQLite lowers both sides, PostgreSQL has it natively.
const NAME_ILIKE = {
  sqlite: `lower("e"."name") like lower(?) escape '\\'`,
  postgresql: `"e"."name" ilike ? escape '\\'`,
} as const;

const experimentsByNameAndTag = (dialect: "sqlite" | "postgresql") => `
  select "e"."experiment_id", "e"."creation_time" as "k0", "e"."experiment_id" as "k1"
  from "experiments" as "e"
  where "e"."lifecycle_stage" in (?) and ${NAME_ILIKE[dialect]}
    and "e"."experiment_id" in (select "t"."experiment_id" from "experiment_tags" as "t" where "t"."key" = ? and "t"."value" = ?)
  order by "e"."creation_time" desc, "e"."experiment_id" asc
  limit ?`;

describe.each(["sqlite", "postgresql"] as const)("compiled search SQL (%s)", (dialect) => {
  const db = COMPILERS[dialect];
  const sqlDialect = DIALECTS[dialect];
  const plan = planRunSearch({ experimentIds: ["1"], filter: "metrics.m1 > 0.5 and params.p1 = 'a'", orderBy: ["metrics.m2 DESC"], maxResults: 100 });

  it("walks the order_by metric's index and seeks past the previous page", () => {
    const compiled = buildSearchRunsQuery(db, sqlDialect, { ...plan, after: [0, 0.75, 1700, "abc"] }, { segment: 0 }).compile();
    expect(compiled.sql).toBe(forDialect(SECOND_PAGE_BY_METRIC, dialect));
    expect(compiled.parameters).toEqual(["m2", 0, 1, "active", "m1", 0.5, 0, "p1", "a", 0.75, 0.75, 1700, 1700, "abc", 101]);
  });

  it("starts from a selective filter and sorts its matches", () => {
    const compiled = buildSearchRunsQuery(db, sqlDialect, plan, { driving: 1 }).compile();
    expect(compiled.sql).toBe(forDialect(PARAMS_DRIVEN, dialect));
    expect(compiled.parameters).toEqual(["m2", 1, "active", "m1", 0.5, 0, "p1", "a", 101]);
  });

  it("filters experiments by name and tag in MLflow's default order", () => {
    const compiled = buildSearchExperimentsQuery(db, sqlDialect, planExperimentSearch({ filter: "name ILIKE 'a%' and tags.team = 'x'" })).compile();
    expect(compiled.sql).toBe(forDialect(experimentsByNameAndTag(dialect), dialect));
    expect(compiled.parameters).toEqual(["active", "a%", "team", "x", 1001]);
  });
});
