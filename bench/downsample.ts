import { loadavg } from "node:os";
import { STEPS, populate as populateHistory } from "./history.js";
import type { Backend } from "./support.js";
import { backendArg, freshDatabase, machine, percentile, spawnServer } from "./support.js";

const REQUESTS = 20;
const WARMUP = 2;
const SPIKE_STEP = 654_321;

/** A loss curve with one spike, which downsampling must keep. */
function populate(uri: string): Promise<string> {
  return populateHistory(uri, { runName: "downsample-bench", millisPerStep: 10, value: (step) => (step === SPIKE_STEP ? 100 : 1 / (1 + step)) });
}

interface Timing {
  readonly name: string;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly bytes: number;
  readonly points: number;
}

/** Times whole answers (until the last byte arrives), after a warm-up; `count` checks each answer. */
async function time(name: string, url: string, count: (body: unknown) => number, requests = REQUESTS): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await (await fetch(url)).text();
  const ms: number[] = [];
  let text = "";
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const response = await fetch(url);
    text = await response.text();
    ms.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`${name}: ${response.status} ${text.slice(0, 200)}`);
  }
  ms.sort((a, b) => a - b);
  return { name, medianMs: percentile(ms, 50), p95Ms: percentile(ms, 95), bytes: Buffer.byteLength(text), points: count(JSON.parse(text)) };
}

export async function main(argv: readonly string[]): Promise<void> {
  const backend: Backend = backendArg(argv);
  const db = await freshDatabase(backend);
  try {
    const runId = await populate(db.uri);
    const server = await spawnServer(db.uri);
    const rows: Timing[] = [];
    try {
      const api = `${server.url}/ajax-api/2.0`;
      const downsampled = (body: unknown): number => {
        const series = (body as { series: { x: number[]; y: number[] }[] }).series[0];
        if (!series.y.includes(100)) throw new Error("the spike did not survive downsampling");
        return series.x.length;
      };
      const metrics = (body: unknown) => (body as { metrics: unknown[] }).metrics.length;
      rows.push(await time("keel/metrics/downsampled, buckets=1000, x=step", `${api}/keel/metrics/downsampled?run_id=${runId}&metric_key=loss&buckets=1000`, downsampled));
      rows.push(await time("keel/metrics/downsampled, buckets=1000, x=wall", `${api}/keel/metrics/downsampled?run_id=${runId}&metric_key=loss&buckets=1000&x=wall`, downsampled));
      rows.push(
        await time(
          "keel/metrics/downsampled, buckets=1000, zoomed to steps 600,000–700,000",
          `${api}/keel/metrics/downsampled?run_id=${runId}&metric_key=loss&buckets=1000&start_step=600000&end_step=700000`,
          downsampled,
        ),
      );
      rows.push(await time("mlflow/metrics/get-history-bulk-interval, 1 run, max_results=2500", `${api}/mlflow/metrics/get-history-bulk-interval?run_ids=${runId}&metric_key=loss&max_results=2500`, metrics));
      rows.push(await time("baseline: mlflow/metrics/get-history, whole history", `${api}/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`, metrics));
    } finally {
      await server.stop();
    }
    const date = new Date().toISOString().slice(0, 10);
    process.stdout.write(`\ndownsample (${backend}), ${date}, one metric of ${STEPS.toLocaleString("en")} steps, ${REQUESTS} requests each over loopback HTTP after ${WARMUP} warm-up; ${machine()}; load average ${loadavg()[0].toFixed(1)} at the end (other work on the machine slows every row)\n\n`);
    process.stdout.write("| request | points answered | answer bytes | median | p95 | target |\n| --- | --- | --- | --- | --- | --- |\n");
    for (const r of rows) {
      const baseline = r.name.startsWith("baseline");
      const target = baseline ? "(baseline)" : `≤ 200 ms ${r.p95Ms <= 200 ? "✔" : "✘"}`;
      process.stdout.write(`| ${r.name} | ${r.points.toLocaleString("en")} | ${r.bytes.toLocaleString("en")} | ${r.medianMs.toFixed(1)} ms | ${r.p95Ms.toFixed(1)} ms | ${target} |\n`);
    }
  } finally {
    await db.cleanup();
  }
}
