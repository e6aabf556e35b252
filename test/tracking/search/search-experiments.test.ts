import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/store/database.js";
import { searchExperimentIds } from "../../../src/tracking/search-experiments-query.js";
import type { SearchExperimentsInput } from "../../../src/tracking/tracking-store.js";
import { SQL_BACKENDS } from "../../support/databases.js";
import { expectInvalid, insertExperiment } from "./fixtures.js";

/** Later than the Default experiment the migration creates now, so that it sorts after the fixtures. */
const T = 10_000_000_000_000;

const FILTERS: readonly (readonly [string, readonly string[]])[] = [
  ["", ["5", "4", "2", "1", "0"]],
  ["name = 'churn'", ["1"]],
  ["name LIKE 'churn%'", ["1"]],
  ["name ILIKE 'churn%'", ["2", "1"]],
  ["attribute.name != 'churn'", ["5", "4", "2", "0"]],
  ["name LIKE 'a\\_b'", ["5"]],
  ["name LIKE 'a%'", ["5", "4"]],
  ["tags.team = 'risk'", ["1"]],
  ["tags.team ILIKE 'risk'", ["4", "1"]],
  ["tag.team != 'risk'", ["4", "2"]],
  ["tags.owner LIKE 'A%'", ["1"]],
  [`creation_time >= ${T + 3}`, ["5", "4"]],
  [`creation_time = ${T + 2}`, ["2"]],
  [`creation_time > ${T + 2.5}`, ["5", "4"]],
  [`last_update_time < ${T + 25}`, ["5", "2", "0"]],
  ["name ILIKE '%c%' and tags.team = 'growth'", ["2"]],
];

const ORDERS: readonly (readonly [readonly string[], readonly string[]])[] = [
  [["name"], ["2", "0", "5", "4", "1"]],
  [["name DESC"], ["1", "4", "5", "0", "2"]],
  [["last_update_time DESC"], ["1", "4", "2", "5", "0"]],
  [["creation_time ASC"], ["0", "1", "2", "4", "5"]],
  [["experiment_id DESC"], ["5", "4", "2", "1", "0"]],
];

for (const backend of SQL_BACKENDS) {
  describe.skipIf(backend.skip)(`searchExperimentIds (${backend.name})`, () => {
    let database: Database & { dispose(): Promise<void> };

    beforeAll(async () => {
      database = await backend.open();
      await insertExperiment(database.db, 1, "churn", { created: T + 1, updated: T + 50, tags: { team: "risk", owner: "Ann" } });
      await insertExperiment(database.db, 2, "Churn-v2", { created: T + 2, updated: T + 20, tags: { team: "growth" } });
      await insertExperiment(database.db, 3, "fraud", { created: T + 3, updated: T + 30, deleted: true });
      await insertExperiment(database.db, 4, "ads", { created: T + 3, updated: T + 40, tags: { team: "Risk" } });
      await insertExperiment(database.db, 5, "a_b", { created: T + 5, updated: T + 5 });
    });
    afterAll(async () => database?.dispose());

    async function all(input: SearchExperimentsInput): Promise<string[]> {
      const ids: string[] = [];
      let pageToken: string | undefined;
      do {
        const page = await searchExperimentIds(database.db, database.dialect, { ...input, pageToken });
        ids.push(...page.experimentIds);
        pageToken = page.nextPageToken;
      } while (pageToken);
      return ids;
    }

    it.each(FILTERS)("filters %j, newest first by default", async (filter, expected) => {
      expect(await all({ filter })).toEqual(expected);
    });

    it.each(ORDERS)("orders by %j, in one page and page by page", async (orderBy, expected) => {
      for (const maxResults of [undefined, 1, 2]) expect(await all({ orderBy, maxResults })).toEqual(expected);
    });

    it("selects by view type, breaking ties by experiment id descending as MLflow does", async () => {
      expect(await all({ viewType: "DELETED_ONLY" })).toEqual(["3"]);
      expect(await all({ viewType: "ALL" })).toEqual(["5", "3", "4", "2", "1", "0"]);
      expect(await all({ viewType: "ALL", orderBy: ["creation_time"], maxResults: 1 })).toEqual(["0", "1", "2", "4", "3", "5"]);
    });

    it("pages without skipping or repeating while experiments are created", async () => {
      const name = (id: number) => `p-${id % 7}-${id}`;
      const initial = Array.from({ length: 10 }, (_, i) => 100 + i);
      for (const id of initial) await insertExperiment(database.db, id, name(id));
      const seen: string[] = [];
      let pageToken: string | undefined;
      let next = 200;
      do {
        const page = await searchExperimentIds(database.db, database.dialect, { orderBy: ["name"], maxResults: 3, pageToken, filter: "name LIKE 'p-%'" });
        seen.push(...page.experimentIds);
        pageToken = page.nextPageToken;
        await insertExperiment(database.db, next, name(next));
        next += 1;
      } while (pageToken);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(initial.map(String)));
      const seenNames = seen.map((id) => name(Number(id)));
      expect(seenNames).toEqual([...seenNames].sort());
      await database.db.deleteFrom("experiments").where("experiment_id", ">=", 100).execute();
    });

    it("checks max_results, view_type and page tokens", async () => {
      await expectInvalid(searchExperimentIds(database.db, database.dialect, { maxResults: 0 }), /max_results/);
      await expectInvalid(searchExperimentIds(database.db, database.dialect, { maxResults: 50_001 }), /at most 50000/);
      expect((await searchExperimentIds(database.db, database.dialect, { maxResults: 50_000 })).experimentIds).toHaveLength(5);
      await expectInvalid(searchExperimentIds(database.db, database.dialect, { pageToken: "%%" }), /Invalid page_token/);
      const { nextPageToken } = await searchExperimentIds(database.db, database.dialect, { maxResults: 1 });
      await expectInvalid(searchExperimentIds(database.db, database.dialect, { orderBy: ["name"], pageToken: nextPageToken }), /different order_by/);
      await expectInvalid(searchExperimentIds(database.db, database.dialect, { filter: "tags.team > 'a'" }), /Invalid comparator/);
    });
  });
}
