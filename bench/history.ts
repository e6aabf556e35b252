import { openDatabase } from "../src/store/database.js";
import { createSqlTrackingStore } from "../src/tracking/sql-tracking-store.js";
import type { Backend } from "./support.js";
import { backendArg, freshDatabase, machine, median, spawnServer } from "./support.js";

export const STEPS = 1_000_000;
const REPEATS = 5;

export interface HistoryShape {
  readonly runName?: string;
  /** The value logged at a step (default a decaying loss, 1 / (1 + step)). */
  readonly value?: (step: number) => number;
  /** Milliseconds between steps' timestamps (default 1). */
  readonly millisPerStep?: number;
}

/** One run with a 1,000,000-step `loss`, logged as a training loop would, through log-batch in calls of 1000 points. */
export async function populate(uri: string, shape: HistoryShape = {}): Promise<string> {
  const database = await openDatabase(uri);
  const store = createSqlTrackingStore(database);
  const run = await store.createRun({ experimentId: "0", runName: shape.runName ?? "history-bench", startTime: 1_700_000_000_000 });
  const runId = run.info.runId;
  const value = shape.value ?? ((step: number) => 1 / (1 + step));
  const millisPerStep = shape.millisPerStep ?? 1;
  for (let start = 0; start < STEPS; start += 1000) {
    const metrics = [];
    for (let step = start; step < start + 1000; step++) {
      metrics.push({ key: "loss", step, timestamp: 1_700_000_000_000 + step * millisPerStep, value: value(step) });
    }
    await store.logBatch({ runId, metrics });
  }
  await database.close();
  return runId;
}

export async function main(argv: readonly string[]): Promise<void> {
  const backend: Backend = backendArg(argv);
  const db = await freshDatabase(backend);
  try {
    const runId = await populate(db.uri);
    const server = await spawnServer(db.uri);
    const whole: number[] = [];
    const paged: number[] = [];
    try {
      const base = `${server.url}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`;
      for (let i = 0; i < REPEATS; i++) {
        let started = performance.now();
        // The figure is the time until the whole answer has arrived; parsing 80 MB of JSON is the client's cost.
        const text = await (await fetch(base)).text();
        whole.push(performance.now() - started);
        const all = JSON.parse(text) as { metrics: unknown[] };
        if (all.metrics.length !== STEPS) throw new Error(`expected ${STEPS} points, got ${all.metrics.length}`);
        started = performance.now();
        let token: string | undefined;
        let count = 0;
        do {
          const page = (await (await fetch(`${base}&max_results=25000${token ? `&page_token=${token}` : ""}`)).json()) as { metrics: unknown[]; next_page_token?: string };
          count += page.metrics.length;
          token = page.next_page_token;
        } while (token);
        paged.push(performance.now() - started);
        if (count !== STEPS) throw new Error(`expected ${STEPS} paged points, got ${count}`);
      }
    } finally {
      await server.stop();
    }
    const database = await openDatabase(db.uri);
    const store = createSqlTrackingStore(database);
    const direct: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      await store.getMetricHistory({ runId, key: "loss" });
      direct.push(performance.now() - started);
    }
    await database.close();
    const row = {
      bench: "history",
      backend,
      date: new Date().toISOString().slice(0, 10),
      wholeMs: Math.round(median(whole)),
      pagedMs: Math.round(median(paged)),
      storeMs: Math.round(median(direct)),
      target: "<= 1000 ms for 1,000,000 steps",
      machine: machine(),
    };
    process.stdout.write(`${JSON.stringify(row)}\n`);
    process.stdout.write(
      `| history (${backend}) | ${row.date} | one call ${row.wholeMs} ms; 40 pages of 25,000 ${row.pagedMs} ms | in-process store read ${row.storeMs} ms | ${(row.wholeMs / row.storeMs).toFixed(2)} | ${row.machine} |\n`,
    );
  } finally {
    await db.cleanup();
  }
}
