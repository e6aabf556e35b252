import { sql } from "kysely";
import { openDatabase } from "../src/store/database.js";
import { createSqlTrackingStore } from "../src/tracking/sql-tracking-store.js";
import { bulkInsert, seeded } from "./populate.js";
import type { Backend } from "./support.js";
import { backendArg, freshDatabase, machine, percentile, spawnServer } from "./support.js";

const RUNS = 100_000;
const QUERIES = 200;
const REQUEST = {
  filter: "metrics.m1 > 0.5 and params.p1 = 'a'",
  order_by: ["metrics.m2 DESC"],
  max_results: 100,
};

/** 100,000 runs in one experiment, each with 5 params, 5 metrics (latest values) and 3 tags. */
export async function populate(uri: string): Promise<string> {
  const database = await openDatabase(uri);
  const store = createSqlTrackingStore(database);
  const experimentId = await store.createExperiment({ name: "search-bench" });
  const random = seeded(42);
  const choices = ["a", "b", "c", "d"];
  const chunk = 10_000;
  for (let start = 0; start < RUNS; start += chunk) {
    const runs = [];
    const params = [];
    const metrics = [];
    const tags = [];
    for (let i = start; i < Math.min(RUNS, start + chunk); i++) {
      const runId = i.toString(16).padStart(32, "0");
      runs.push({
        run_id: runId,
        experiment_id: Number(experimentId),
        name: `run-${i}`,
        user_id: "bench",
        status: "FINISHED",
        start_time: 1_700_000_000_000 + i,
        end_time: 1_700_000_000_000 + i + 1000,
        lifecycle_stage: "active",
        artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
        deleted_time: null,
      });
      for (let p = 1; p <= 5; p++) params.push({ run_id: runId, key: `p${p}`, value: choices[Math.floor(random() * choices.length)] });
      for (let m = 1; m <= 5; m++) {
        const row = { run_id: runId, key: `m${m}`, value: random(), timestamp: 1_700_000_000_000 + i, step: 0, is_nan: 0 };
        metrics.push(row);
      }
      tags.push({ run_id: runId, key: "mlflow.runName", value: `run-${i}` }, { run_id: runId, key: "team", value: choices[i % 4] }, { run_id: runId, key: "mlflow.user", value: "bench" });
    }
    await bulkInsert(database, "runs", runs);
    await bulkInsert(database, "params", params);
    await bulkInsert(database, "latest_metrics", metrics);
    await bulkInsert(database, "tags", tags);
  }
  // The rows went in behind the server's back: gather the planner statistics autovacuum keeps on a live
  // PostgreSQL (the test server runs without it), or it plans blind and the query takes minutes. SQLite's
  // statistics come from the PRAGMA optimize the server runs when it opens the database.
  if (database.dialect.name === "postgresql") await sql`analyze`.execute(database.db);
  await database.close();
  return experimentId;
}

async function timeQueries(run: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

export async function main(argv: readonly string[]): Promise<void> {
  const backend: Backend = backendArg(argv);
  const db = await freshDatabase(backend);
  try {
    const experimentId = await populate(db.uri);
    const server = await spawnServer(db.uri);
    let keel: { p50: number; p99: number };
    let count = 0;
    try {
      const body = JSON.stringify({ experiment_ids: [experimentId], ...REQUEST });
      keel = await timeQueries(async () => {
        const response = await fetch(`${server.url}/api/2.0/mlflow/runs/search`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
        const json = (await response.json()) as { runs: unknown[] };
        count = json.runs.length;
      });
    } finally {
      await server.stop();
    }
    // Baseline: the same search through the store in-process, without HTTP or JSON: the floor HTTP adds to.
    const database = await openDatabase(db.uri);
    const store = createSqlTrackingStore(database);
    const direct = await timeQueries(async () => {
      await store.searchRuns({ experimentIds: [experimentId], filter: REQUEST.filter, orderBy: REQUEST.order_by, maxResults: REQUEST.max_results });
    });
    await database.close();
    const row = {
      bench: "search",
      backend,
      date: new Date().toISOString().slice(0, 10),
      runsReturned: count,
      keelP50Ms: Number(keel.p50.toFixed(1)),
      keelP99Ms: Number(keel.p99.toFixed(1)),
      storeP50Ms: Number(direct.p50.toFixed(1)),
      storeP99Ms: Number(direct.p99.toFixed(1)),
      target: "p50 <= 50 ms (SQLite)",
      machine: machine(),
    };
    process.stdout.write(`${JSON.stringify(row)}\n`);
    process.stdout.write(
      `| search (${backend}) | ${row.date} | p50 ${row.keelP50Ms} ms, p99 ${row.keelP99Ms} ms over HTTP | in-process store p50 ${row.storeP50Ms} ms, p99 ${row.storeP99Ms} ms | ${(row.keelP50Ms / row.storeP50Ms).toFixed(2)} | ${row.machine} |\n`,
    );
  } finally {
    await db.cleanup();
  }
}
