import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { sql } from "kysely";
import { openDatabase } from "../src/store/database.js";
import type { Backend } from "./support.js";
import { backendArg, freshDatabase, machine, postJson, spawnServer } from "./support.js";

const TOTAL_POINTS = 1_000_000;
const PER_CALL = 1000;
const CLIENTS = 4;
const KEYS = 10;

interface Point {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** The points one call carries: 10 keys × 100 steps, so latest-metric upkeep is exercised as in training. */
function pointsFor(call: number): Point[] {
  const points: Point[] = [];
  const stepBase = call * (PER_CALL / KEYS);
  for (let i = 0; i < PER_CALL; i++) {
    const step = stepBase + Math.floor(i / KEYS);
    points.push({ key: `m${i % KEYS}`, value: Math.sin(step) + i / PER_CALL, timestamp: 1_700_000_000_000 + step, step });
  }
  return points;
}

/** Keel: log-batch over HTTP to `keel server`, 4 clients each on its own run. */
async function keelIngest(backend: Backend): Promise<number> {
  const db = await freshDatabase(backend);
  const server = await spawnServer(db.uri);
  try {
    const api = `${server.url}/api/2.0/mlflow`;
    const runIds: string[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      const response = await fetch(`${api}/runs/create`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ experiment_id: "0" }) });
      runIds.push(((await response.json()) as { run: { info: { run_id: string } } }).run.info.run_id);
    }
    const callsPerClient = TOTAL_POINTS / PER_CALL / CLIENTS;
    // Bodies are serialised before the clock starts: the figure is the server's, not the client's JSON.stringify.
    const bodies = runIds.map((runId) =>
      Array.from({ length: callsPerClient }, (_, call) => JSON.stringify({ run_id: runId, metrics: pointsFor(call) })),
    );
    const started = performance.now();
    await Promise.all(bodies.map(async (clientBodies) => {
      for (const body of clientBodies) await postJson(`${api}/runs/log-batch`, body);
    }));
    return TOTAL_POINTS / ((performance.now() - started) / 1000);
  } finally {
    await server.stop();
    await db.cleanup();
  }
}

/**
 * Baseline: the bare driver inserting the same points, one row each, into a table laid out as MLflow's SQL
 * store keeps metrics (the whole point as primary key), with no HTTP and no validation: the storage floor of
 * MLflow's design on the same database.
 */
async function bareIngest(backend: Backend): Promise<number> {
  const db = await freshDatabase(backend);
  const migrated = await openDatabase(db.uri);
  await sql`create table metrics (run_id varchar(64) not null, key varchar(250) not null, step bigint not null,
    timestamp bigint not null, value double precision not null, is_nan integer not null,
    primary key (run_id, key, step, timestamp, value, is_nan))`.execute(migrated.db);
  await migrated.close();
  const runIds = Array.from({ length: CLIENTS }, (_, c) => `bench${c}`.padEnd(32, "0"));
  const callsPerClient = TOTAL_POINTS / PER_CALL / CLIENTS;
  try {
    if (backend === "sqlite") {
      const sqlite = new BetterSqlite3(db.uri.slice("sqlite:///".length));
      sqlite.pragma("journal_mode = WAL");
      sqlite.pragma("synchronous = NORMAL");
      const insert = sqlite.prepare("insert into metrics (run_id, key, step, timestamp, value, is_nan) values (?, ?, ?, ?, ?, 0)");
      const batch = sqlite.transaction((runId: string, points: Point[]) => {
        for (const p of points) insert.run(runId, p.key, p.step, p.timestamp, p.value);
      });
      const calls = runIds.flatMap((runId) => Array.from({ length: callsPerClient }, (_, call) => [runId, pointsFor(call)] as const));
      const started = performance.now();
      for (const [runId, points] of calls) batch(runId, points);
      const seconds = (performance.now() - started) / 1000;
      sqlite.close();
      return TOTAL_POINTS / seconds;
    }
    const pool = new pg.Pool({ connectionString: db.uri, max: CLIENTS });
    const statements = runIds.map((runId) =>
      Array.from({ length: callsPerClient }, (_, call) => {
        const points = pointsFor(call);
        const values: unknown[] = [];
        const tuples = points.map((p, i) => {
          values.push(runId, p.key, p.step, p.timestamp, p.value);
          const o = i * 5;
          return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, 0)`;
        });
        return { text: `insert into metrics (run_id, key, step, timestamp, value, is_nan) values ${tuples.join(",")}`, values };
      }),
    );
    const started = performance.now();
    await Promise.all(statements.map(async (list) => {
      for (const statement of list) await pool.query(statement.text, statement.values);
    }));
    const seconds = (performance.now() - started) / 1000;
    await pool.end();
    return TOTAL_POINTS / seconds;
  } finally {
    await db.cleanup();
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const backend = backendArg(argv);
  const keel = await keelIngest(backend);
  const bare = await bareIngest(backend);
  const row = {
    bench: "ingest",
    backend,
    date: new Date().toISOString().slice(0, 10),
    keelPointsPerSecond: Math.round(keel),
    barePointsPerSecond: Math.round(bare),
    ratio: Number((keel / bare).toFixed(2)),
    target: ">= 200000 points/s (SQLite)",
    machine: machine(),
  };
  process.stdout.write(`${JSON.stringify(row)}\n`);
  process.stdout.write(
    `| ingest (${backend}) | ${row.date} | ${row.keelPointsPerSecond.toLocaleString("en")} points/s | bare driver insert ${row.barePointsPerSecond.toLocaleString("en")} points/s | ${row.ratio} | ${row.machine} |\n`,
  );
}
