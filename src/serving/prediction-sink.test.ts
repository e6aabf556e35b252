import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createArtifactStore } from "../artifacts/create-artifact-store.js";
import { createPredictionLog } from "./prediction-log.js";
import type { LoggedModel } from "./prediction-records.js";
import type { PredictionSink } from "./prediction-sink.js";
import { inlinePredictionSink, startWorkerPredictionSink } from "./prediction-sink.js";

const root = mkdtempSync(join(tmpdir(), "keel-prediction-sink-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MODEL: LoggedModel = {
  version: "4",
  inputs: [{ name: "input", type: "float32", rowShape: [3] }],
  outputs: [
    { name: "label", type: "int64", rowShape: [] },
    { name: "probabilities", type: "float32", rowShape: [2] },
  ],
  columnNames: ["age", "tenure", "calls"],
};
const TIME = Date.UTC(2026, 10, 23, 9, 30);

/** Every NDJSON line written under `dir`, parsed. */
function linesUnder(dir: string): Record<string, unknown>[] {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".ndjson"));
  return files.flatMap((f) => readFileSync(join(dir, f), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>));
}

/** Two requests through `sink`: one of two rows, one of one row (outputs as views into a larger batch, as the batcher gives them). */
async function logTwoRequests(sink: PredictionSink): Promise<void> {
  const batchOut = { label: new BigInt64Array([1n, 0n, 1n]), probabilities: new Float32Array([0.25, 0.75, 0.5, 0.5, 0.125, 0.875]) };
  sink.log({ requestId: "a", timestamp: TIME, model: "churn", protocol: "plain", latencyMs: 1.5 }, MODEL,
    { rows: 2, inputs: { input: new Float32Array([30, 12, 1, 40, 2, 5]) } },
    { rows: 2, outputs: { label: batchOut.label.subarray(0, 2), probabilities: batchOut.probabilities.subarray(0, 4) } });
  sink.log({ requestId: "b", timestamp: TIME, model: "churn", protocol: "v2", latencyMs: 2, shadow: true }, MODEL,
    { rows: 1, inputs: { input: new Float32Array([50, 24, 0]) } },
    { rows: 1, outputs: { label: batchOut.label.subarray(2), probabilities: batchOut.probabilities.subarray(4) } });
  await sink.close();
}

const EXPECTED = [
  { request_id: "a:0", model: "churn", version: "4", protocol: "plain", shadow: false, inputs: { age: 30, tenure: 12, calls: 1 }, outputs: { label: 1, probabilities: [0.25, 0.75] } },
  { request_id: "a:1", inputs: { age: 40, tenure: 2, calls: 5 }, outputs: { label: 0, probabilities: [0.5, 0.5] } },
  { request_id: "b", protocol: "v2", shadow: true, inputs: { age: 50, tenure: 24, calls: 0 }, outputs: { label: 1, probabilities: [0.125, 0.875] } },
];

describe("prediction sinks", () => {
  it("write one line per row on a worker thread, each request's own rows, features named by the signature", async () => {
    const dir = join(root, "worker");
    const sink = await startWorkerPredictionSink({ destination: dir, flushRows: 1000, flushIntervalMs: 1000, maxBufferedRows: 100, onDropped: () => {}, onError: () => {} });
    expect(sink).not.toBeNull();
    await logTwoRequests(sink as PredictionSink);
    const lines = linesUnder(dir).sort((x, y) => String(x.request_id).localeCompare(String(y.request_id)));
    expect(lines).toMatchObject(EXPECTED);
    expect(lines[0].timestamp).toBe("2026-11-23T09:30:00.000Z");
  });

  it("write the same lines on this thread when there is no worker", async () => {
    const dir = join(root, "inline");
    await logTwoRequests(inlinePredictionSink(createPredictionLog({ store: createArtifactStore(dir) })));
    const lines = linesUnder(dir).sort((x, y) => String(x.request_id).localeCompare(String(y.request_id)));
    expect(lines).toMatchObject(EXPECTED);
  });

  it("count the rows they cannot hold instead of dropping them silently", async () => {
    const dropped: number[] = [];
    const sink = await startWorkerPredictionSink({ destination: join(root, "full"), flushRows: 1000, flushIntervalMs: 1000, maxBufferedRows: 2, onDropped: (n) => dropped.push(n), onError: () => {} });
    await logTwoRequests(sink as PredictionSink);
    expect(dropped).toEqual([1]);
  });
});
