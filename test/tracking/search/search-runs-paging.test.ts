import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../../src/store/database.js";
import type { SearchRunsOptions } from "../../../src/tracking/search-runs-query.js";
import { chooseShape, planRunSearch, searchRunIds } from "../../../src/tracking/search-runs-query.js";
import { SQL_BACKENDS } from "../../support/databases.js";
import type { RunFixture } from "./fixtures.js";
import { insertExperiment, insertRuns, seeded } from "./fixtures.js";

const ORDERINGS: readonly (readonly string[])[] = [
  [],
  ["metrics.m DESC"],
  ["metrics.m ASC", "params.p DESC"],
  ["params.p ASC", "metrics.m ASC"],
  ["tags.t DESC"],
  ["end_time DESC"],
  ["run_name ASC"],
];
/** Unfiltered, and filtered by an indexed equality that a plan may start from. */
const CASES = ["", "tags.t = 'x'"].flatMap((filter) => ORDERINGS.map((orderBy) => [filter, orderBy] as const));

/** Plan shapes, by page number; tokens must carry over between shapes, as the adaptive plan may switch. */
const STRATEGIES: readonly (readonly [string, (page: number) => SearchRunsOptions])[] = [
  ["adaptive", () => ({})],
  ["walking the order index", () => ({ selectiveRows: 0 })],
  ["starting from a filter", () => ({ selectiveRows: Infinity })],
  ["switching shape every page", (page) => [{}, { selectiveRows: 0 }, { selectiveRows: Infinity }][page % 3]],
];

/** A run with a random metric (sometimes NaN or missing), param and tag, and start times that often tie. */
function randomRun(random: () => number, id: string): RunFixture {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const m = random();
  const metrics: Record<string, number> = m < 0.1 ? {} : { m: m < 0.2 ? NaN : pick([0.25, 0.5, 0.75, -Infinity, Infinity, m]) };
  const params: Record<string, string> = random() < 0.15 ? {} : { p: pick(["a", "b", "c"]) };
  const tags: Record<string, string> = random() < 0.3 ? {} : { t: pick(["x", "y"]) };
  return { id, name: pick(["n1", "n2", "n3"]), start: 1000 + Math.floor(random() * 20) * 10, end: random() < 0.3 ? null : 5000 + Math.floor(random() * 5), metrics, params, tags };
}

for (const backend of SQL_BACKENDS) {
  describe.skipIf(backend.skip)(`searchRunIds paging while runs change (${backend.name})`, () => {
    let database: Database & { dispose(): Promise<void> };
    let experiment = 0;
    // One database for the suite; each test has an experiment of its own.
    beforeAll(async () => {
      database = await backend.open();
    });
    afterAll(async () => database?.dispose());
    beforeEach(async () => {
      experiment += 1;
      await insertExperiment(database.db, experiment, `paging-${experiment}`);
    });

    it("runs each plan shape the strategies name", async () => {
      await insertRuns(database.db, [{ ...randomRun(seeded(1), `e${experiment}-r0`), experimentId: experiment }]);
      const experimentIds = [String(experiment)];
      const plan = planRunSearch({ experimentIds, filter: "tags.t = 'x' and metrics.m > 0", orderBy: ["metrics.m DESC"] });
      expect(await chooseShape(database.db, database.dialect, plan, { selectiveRows: 0 })).toEqual({ segment: 0 });
      expect(await chooseShape(database.db, database.dialect, plan, { selectiveRows: Infinity })).toEqual({ driving: expect.any(Number) });
      expect(await chooseShape(database.db, database.dialect, plan)).toEqual({ driving: expect.any(Number) });
      expect(await chooseShape(database.db, database.dialect, planRunSearch({ experimentIds, orderBy: ["metrics.m DESC"] }))).toEqual({});
    });

    describe.each(STRATEGIES)("%s", (_name, optionsFor) => {
      it.each(CASES)("never skips or repeats a run that exists throughout, filtered by %j, ordered by %j", async (filter, orderBy) => {
        const random = seeded(orderBy.join().length + filter.length + 7);
        const experimentIds = [String(experiment)];
        let next = 0;
        const newRuns = (n: number) =>
          Array.from({ length: n }, () => ({ ...randomRun(random, `e${experiment}-r${String(next++).padStart(3, "0")}`), experimentId: experiment }));
        const initial = newRuns(60);
        await insertRuns(database.db, initial);
        const removed = new Set<string>();
        const remove = async (id: string, hard: boolean) => {
          removed.add(id);
          if (hard) await database.db.deleteFrom("runs").where("run_id", "=", id).execute();
          else await database.db.updateTable("runs").set({ lifecycle_stage: "deleted" }).where("run_id", "=", id).execute();
        };
        const seen: string[] = [];
        let pageToken: string | undefined;
        let pages = 0;
        do {
          const page = await searchRunIds(database.db, database.dialect, { experimentIds, filter, orderBy, maxResults: 7, pageToken }, optionsFor(pages));
          seen.push(...page.runIds);
          pageToken = page.nextPageToken;
          pages += 1;
          // Between pages: new runs arrive anywhere in the order, and runs go, softly and for good, including
          // the very run the token points after.
          await insertRuns(database.db, newRuns(3));
          const victims = initial.filter((r) => !removed.has(r.id)).slice(pages * 2, pages * 2 + 2);
          for (const [i, victim] of victims.entries()) await remove(victim.id, i === 1);
          const last = page.runIds.at(-1);
          if (last && pages % 2 === 0) await remove(last, true);
        } while (pageToken && pages < 100);
        expect(pageToken).toBeUndefined();
        expect(new Set(seen).size).toBe(seen.length);
        const matching = filter === "" ? initial : initial.filter((r) => r.tags?.t === "x");
        const survivors = matching.map((r) => r.id).filter((id) => !removed.has(id));
        expect(seen).toEqual(expect.arrayContaining(survivors));
        // The pages, read one after another, follow the order a single search gives now.
        const now = (await searchRunIds(database.db, database.dialect, { experimentIds, filter, orderBy, maxResults: 50_000 })).runIds;
        const stable = new Set(survivors);
        expect(seen.filter((id) => stable.has(id))).toEqual(now.filter((id) => stable.has(id)));
      });
    });
  });
}
