import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/store/database.js";
import type { SearchRunsOptions } from "../../../src/tracking/search-runs-query.js";
import { searchRunIds } from "../../../src/tracking/search-runs-query.js";
import type { SearchRunsInput } from "../../../src/tracking/tracking-store.js";
import { SQL_BACKENDS } from "../../support/databases.js";
import type { RunFixture } from "./fixtures.js";
import { expectInvalid, insertExperiment, insertRuns } from "./fixtures.js";

/** Five active runs in experiment 1, a deleted one, and one in experiment 2. Default order: run4 run7 run3 run2 run1. */
const RUNS: readonly RunFixture[] = [
  {
    id: "run1", name: "alpha", user: "ann", status: "FINISHED", start: 1000, end: 2000,
    metrics: { acc: 0.9, loss: 0.1, "my metric": 5 }, params: { model: "rf", lr: "0.1", path: "axb" },
    tags: { team: "Vision", "mlflow.runName": "alpha" }, datasets: [{ name: "train-ds", digest: "abc", context: "training" }],
  },
  {
    id: "run2", name: "Beta", user: "bob", status: "RUNNING", start: 2000,
    metrics: { acc: NaN, loss: 0.2 }, params: { model: "cnn" }, tags: { team: "vision", "mlflow.runName": "Beta" },
    datasets: [{ name: "eval-ds", digest: "def", context: "eval" }],
  },
  { id: "run3", name: "gamma", user: "ann", status: "FAILED", start: 3000, end: 3500, metrics: { acc: Infinity, loss: 0.3 }, params: { model: "RF" }, tags: { "mlflow.runName": "gamma" } },
  {
    id: "run4", name: "delta_1", user: "cy", status: "FINISHED", start: 4000, end: 4100,
    metrics: { loss: -Infinity }, params: { model: "rf", lr: "0.01", path: "a_b" }, tags: { team: "nlp" },
    datasets: [{ name: "train-ds", digest: "abc", context: "training" }],
  },
  { id: "run7", name: "eta", user: "bob", status: "RUNNING", start: 4000, metrics: { acc: 0.9, loss: 0.2 }, params: { model: "cnn" }, tags: { team: "nlp" } },
  { id: "run5", name: "eps", start: 5000, deleted: true, metrics: { acc: 0.7 }, params: { model: "rf" } },
  { id: "run6", experimentId: 2, name: "zeta", start: 6000, metrics: { acc: 0.95 }, params: { model: "rf" } },
];
const ALL_ACTIVE = ["run4", "run7", "run3", "run2", "run1"];

const FILTERS: readonly (readonly [string, readonly string[]])[] = [
  ["", ALL_ACTIVE],
  ["metrics.acc > 0.6", ["run7", "run3", "run1"]],
  ["metrics.acc = 0.9", ["run7", "run1"]],
  ["metrics.acc != 0.9", ["run3", "run2"]],
  ["metrics.acc = 0", []],
  ["metrics.acc < 0.1", []],
  ["metrics.acc >= 1e400", ["run3"]],
  ["metrics.acc < 1e400", ["run7", "run1"]],
  ["metrics.loss < 0", ["run4"]],
  ["metrics.loss <= 0.2", ["run4", "run7", "run2", "run1"]],
  ["metrics.loss > -1e400", ["run7", "run3", "run2", "run1"]],
  ["metrics.`my metric` = 5", ["run1"]],
  ['metrics."my metric" >= 5', ["run1"]],
  ["params.model = 'rf'", ["run4", "run1"]],
  ["params.model != 'rf'", ["run7", "run3", "run2"]],
  ["params.model LIKE 'r%'", ["run4", "run1"]],
  ["params.model ILIKE 'R%'", ["run4", "run3", "run1"]],
  ["params.model LIKE '_F'", ["run3"]],
  ["params.path LIKE 'a_b'", ["run4", "run1"]],
  ["params.path LIKE 'a\\_b'", ["run4"]],
  ["params.lr = '0.1'", ["run1"]],
  ["params.missing = 'x'", []],
  ["tags.team = 'vision'", ["run2"]],
  ["tags.team ILIKE 'VISION'", ["run2", "run1"]],
  ["tags.team LIKE 'V%'", ["run1"]],
  ["tags.team != 'nlp'", ["run2", "run1"]],
  ["tags.\"mlflow.runName\" = 'alpha'", ["run1"]],
  ["attributes.run_name = 'Beta'", ["run2"]],
  ["run_name ILIKE 'beta'", ["run2"]],
  ["`run name` LIKE '%a'", ["run7", "run3", "run2", "run1"]],
  ["run_name LIKE 'delta\\_1'", ["run4"]],
  ["status = 'FINISHED'", ["run4", "run1"]],
  ["attributes.status != 'FINISHED'", ["run7", "run3", "run2"]],
  ["user_id = 'ann'", ["run3", "run1"]],
  ["run_id IN ('run1', 'run3', 'run5')", ["run3", "run1"]],
  ["run_id NOT IN ('run1', 'run7')", ["run4", "run3", "run2"]],
  ["run_id = 'run2'", ["run2"]],
  ["artifact_uri LIKE '%/run2/%'", ["run2"]],
  ["start_time >= 2000 and start_time < 4000", ["run3", "run2"]],
  ["created > 3000", ["run4", "run7"]],
  ["end_time > 2000", ["run4", "run3"]],
  ["end_time != 2000", ["run4", "run3"]],
  ["start_time > 1999.5", ["run4", "run7", "run3", "run2"]],
  ["start_time = 2000.5", []],
  ["start_time != 2000.5", ALL_ACTIVE],
  ["start_time < 1e300 and start_time > -1e300", ALL_ACTIVE],
  ["metrics.acc > 0.5 and params.model = 'rf' and tags.team ILIKE 'vision'", ["run1"]],
  ["dataset.name = 'train-ds'", ["run4", "run1"]],
  ["datasets.digest IN ('def')", ["run2"]],
  ["dataset.context = 'eval'", ["run2"]],
  ["dataset.name LIKE '%-ds'", ["run4", "run2", "run1"]],
  ["dataset.name NOT IN ('train-ds')", ["run2"]],
  ["dataset.context ILIKE 'TRAIN%'", ["run4", "run1"]],
];

const ORDERS: readonly (readonly [readonly string[], readonly string[]])[] = [
  [["metrics.acc DESC"], ["run3", "run7", "run1", "run2", "run4"]],
  [["metrics.acc ASC"], ["run7", "run1", "run3", "run2", "run4"]],
  [["metrics.loss ASC"], ["run4", "run1", "run7", "run2", "run3"]],
  [["metrics.loss DESC"], ["run3", "run7", "run2", "run1", "run4"]],
  [["params.model ASC"], ["run3", "run7", "run2", "run4", "run1"]],
  [["params.lr DESC"], ["run1", "run4", "run7", "run3", "run2"]],
  [["params.lr"], ["run4", "run1", "run7", "run3", "run2"]],
  [["tags.team DESC"], ["run2", "run4", "run7", "run1", "run3"]],
  [["start_time ASC"], ["run1", "run2", "run3", "run4", "run7"]],
  [["created DESC"], ALL_ACTIVE],
  [["end_time ASC"], ["run1", "run3", "run4", "run7", "run2"]],
  [["end_time DESC"], ["run4", "run3", "run1", "run7", "run2"]],
  [["attributes.run_name"], ["run2", "run1", "run4", "run7", "run3"]],
  [["status DESC", "run_name ASC"], ["run2", "run7", "run1", "run4", "run3"]],
  [["params.model DESC", "metrics.loss ASC"], ["run4", "run1", "run7", "run2", "run3"]],
  [["run_id DESC"], ["run7", "run4", "run3", "run2", "run1"]],
  [["user_id", "metrics.acc DESC"], ["run3", "run1", "run7", "run2", "run4"]],
  [["metrics.nope DESC"], ALL_ACTIVE],
  [["artifact_uri DESC"], ["run7", "run4", "run3", "run2", "run1"]],
];

/** Each shape of plan the store may choose; all must return the same runs in the same order. */
const STRATEGIES: readonly (readonly [string, SearchRunsOptions])[] = [
  ["adaptive", {}],
  ["walking the order index", { selectiveRows: 0 }],
  ["starting from a filter", { selectiveRows: Infinity }],
];

for (const backend of SQL_BACKENDS) {
  describe.skipIf(backend.skip)(`searchRunIds (${backend.name})`, () => {
    let database: Database & { dispose(): Promise<void> };

    beforeAll(async () => {
      database = await backend.open();
      await insertExperiment(database.db, 1, "one");
      await insertExperiment(database.db, 2, "two");
      await insertRuns(database.db, RUNS);
    });
    afterAll(async () => database?.dispose());

    /** Every run of the search, following page tokens. */
    async function all(input: Omit<SearchRunsInput, "experimentIds"> & { experimentIds?: readonly string[] }, options: SearchRunsOptions = {}): Promise<string[]> {
      const ids: string[] = [];
      let pageToken: string | undefined;
      do {
        const page = await searchRunIds(database.db, database.dialect, { experimentIds: ["1"], ...input, pageToken }, options);
        expect(page.runIds.length).toBeLessThanOrEqual(input.maxResults ?? 1000);
        if (page.nextPageToken) expect(page.runIds.length).toBe(input.maxResults ?? 1000);
        ids.push(...page.runIds);
        pageToken = page.nextPageToken;
      } while (pageToken);
      return ids;
    }

    describe.each(STRATEGIES)("%s", (_name, options) => {
      it.each(FILTERS)("filters %j", async (filter, expected) => {
        expect(await all({ filter }, options)).toEqual(expected);
      });

      it.each(ORDERS)("orders by %j, in one page and page by page", async (orderBy, expected) => {
        expect(await all({ orderBy }, options)).toEqual(expected);
        for (const maxResults of [1, 2, 3]) expect(await all({ orderBy, maxResults }, options)).toEqual(expected);
      });

      it("filters and orders together", async () => {
        expect(await all({ filter: "metrics.acc > 0", orderBy: ["metrics.loss DESC"] }, options)).toEqual(["run3", "run7", "run1"]);
        expect(await all({ filter: "params.model = 'cnn'", orderBy: ["metrics.acc DESC"], maxResults: 1 }, options)).toEqual(["run7", "run2"]);
      });
    });

    it("selects by run_view_type and experiment ids", async () => {
      expect(await all({ viewType: "ACTIVE_ONLY" })).toEqual(ALL_ACTIVE);
      expect(await all({ viewType: "DELETED_ONLY" })).toEqual(["run5"]);
      expect(await all({ viewType: "ALL" })).toEqual(["run5", "run4", "run7", "run3", "run2", "run1"]);
      expect(await all({ experimentIds: ["1", "2"] })).toEqual(["run6", ...ALL_ACTIVE]);
      expect(await all({ experimentIds: ["2"], orderBy: ["metrics.acc"] })).toEqual(["run6"]);
      expect(await all({ experimentIds: [] })).toEqual([]);
      expect(await all({ experimentIds: ["999", "99999999999"] })).toEqual([]);
      await expectInvalid(all({ experimentIds: ["abc"] }), /Invalid experiment id 'abc'/);
    });

    it("returns a token only when another page may follow", async () => {
      const full = await searchRunIds(database.db, database.dialect, { experimentIds: ["1"], maxResults: 5 });
      expect(full).toEqual({ runIds: ALL_ACTIVE });
      const first = await searchRunIds(database.db, database.dialect, { experimentIds: ["1"], maxResults: 4 });
      expect(first.runIds).toEqual(ALL_ACTIVE.slice(0, 4));
      expect(first.nextPageToken).toEqual(expect.any(String));
      const last = await searchRunIds(database.db, database.dialect, { experimentIds: ["1"], maxResults: 4, pageToken: first.nextPageToken });
      expect(last).toEqual({ runIds: ["run1"] });
    });

    it("checks max_results: default 1000, an integer from 1 to 50,000", async () => {
      expect((await searchRunIds(database.db, database.dialect, { experimentIds: ["1"], maxResults: 50_000 })).runIds).toEqual(ALL_ACTIVE);
      for (const maxResults of [0, -1, 1.5, Number.NaN]) {
        await expectInvalid(searchRunIds(database.db, database.dialect, { experimentIds: ["1"], maxResults }), /max_results\. It must be a positive integer/);
      }
      await expectInvalid(searchRunIds(database.db, database.dialect, { experimentIds: ["1"], maxResults: 50_001 }), /at most 50000, but got 50001/);
    });

    it("refuses garbage page tokens and tokens from another ordering", async () => {
      const { nextPageToken } = await searchRunIds(database.db, database.dialect, { experimentIds: ["1"], maxResults: 1, orderBy: ["metrics.acc DESC"] });
      const garbage = ["%%%", "bm90IGpzb24", Buffer.from('{"offset": 3}').toString("base64"), Buffer.from("[1,2]").toString("base64url")];
      for (const pageToken of garbage) {
        await expectInvalid(searchRunIds(database.db, database.dialect, { experimentIds: ["1"], pageToken }), /Invalid page_token/);
      }
      await expectInvalid(searchRunIds(database.db, database.dialect, { experimentIds: ["1"], pageToken: nextPageToken }), /different order_by/);
      await expectInvalid(searchRunIds(database.db, database.dialect, { experimentIds: ["1"], orderBy: ["metrics.acc ASC"], pageToken: nextPageToken }), /different order_by/);
    });

    it("refuses bad filters and orderings before touching the database", async () => {
      await expectInvalid(searchRunIds(database.db, database.dialect, { experimentIds: ["1"], filter: "metrics.acc > 'x'" }), /Expected numeric value type for metric/);
      await expectInvalid(searchRunIds(database.db, database.dialect, { experimentIds: [], filter: "params.a = 1" }), /quoted string/);
      await expectInvalid(searchRunIds(database.db, database.dialect, { experimentIds: ["1"], orderBy: ["metrics.a sideways"] }), /Invalid ordering key/);
      await expectInvalid(searchRunIds(database.db, database.dialect, { experimentIds: ["1"], filter: "params.path LIKE 'a\\'" }), /unescaped backslash/);
    });
  });
}
