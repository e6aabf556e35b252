import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { createArtifactStore } from "../artifacts/create-artifact-store.js";
import { createPredictionLog } from "./prediction-log.js";
import type { PredictionRecord } from "./prediction-log.js";

const root = mkdtempSync(join(tmpdir(), "keel-prediction-log-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
});

let dirCount = 0;
function freshDir(): string {
  dirCount += 1;
  return join(root, `store-${dirCount}`);
}

/** Every file under `dir`, '/'-separated and sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; parentPath: string; name: string }>)
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1).split("\\").join("/"))
    .sort();
}

const T0 = Date.UTC(2024, 4, 1, 7, 59, 30);

function record(overrides: Partial<PredictionRecord> = {}): PredictionRecord {
  return {
    requestId: "req-1",
    timestamp: T0,
    model: "churn",
    version: "3",
    protocol: "mlflow",
    inputs: { tenure: 12, plan: "basic" },
    outputs: { prediction: 1, probability: [0.25, 0.75] },
    latencyMs: 1.5,
    ...overrides,
  };
}

/** A store holding files in memory whose `put` calls can be made to fail or to wait. */
function memoryStore(): ArtifactStore & { files: Map<string, string>; failNext: number; puts: number; active: number; maxActive: number } {
  const files = new Map<string, string>();
  const store = {
    rootUri: "memory://",
    files,
    failNext: 0,
    puts: 0,
    active: 0,
    maxActive: 0,
    async put(path: string, body: Buffer | Readable): Promise<void> {
      store.puts += 1;
      store.active += 1;
      store.maxActive = Math.max(store.maxActive, store.active);
      try {
        await new Promise((resolve) => setImmediate(resolve));
        if (store.failNext > 0) {
          store.failNext -= 1;
          throw new Error("bucket unavailable");
        }
        files.set(path, (body as Buffer).toString("utf8"));
      } finally {
        store.active -= 1;
      }
    },
    get: () => Promise.reject(new Error("not used")),
    list: () => Promise.resolve([]),
    delete: () => Promise.reject(new Error("not used")),
  };
  return store;
}

function linesOf(text: string): Array<Record<string, unknown>> {
  return text.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("createPredictionLog", () => {
  it("writes NDJSON files partitioned by model, date and hour, with snake_case fields", async () => {
    const dir = freshDir();
    const log = createPredictionLog({ store: createArtifactStore(dir), now: () => 1_714_550_000_000 });
    log.append(record({ requestId: "a" }));
    log.append(record({ requestId: "b", timestamp: T0 + 60_000, shadow: true, version: "4" }));
    log.append(record({ requestId: "c", model: "fraud", inputs: { amount: 10n, v: new Float32Array([0.5, 1.5]) }, outputs: { label: new BigInt64Array([1n]) } }));
    expect(log.bufferedRows).toBe(3);
    await log.flush();
    expect(log.bufferedRows).toBe(0);

    const files = filesUnder(dir);
    expect(files).toHaveLength(3);
    expect(files[0]).toMatch(/^predictions\/model=churn\/date=2024-05-01\/hour=07\/part-1714550000000-[0-9a-f]{8}-\d{6}\.ndjson$/);
    expect(files[1]).toMatch(/^predictions\/model=churn\/date=2024-05-01\/hour=08\/part-/);
    expect(files[2]).toMatch(/^predictions\/model=fraud\/date=2024-05-01\/hour=07\/part-/);

    expect(linesOf(readFileSync(join(dir, files[0]), "utf8"))).toEqual([
      {
        request_id: "a",
        timestamp: "2024-05-01T07:59:30.000Z",
        model: "churn",
        version: "3",
        protocol: "mlflow",
        shadow: false,
        latency_ms: 1.5,
        inputs: { tenure: 12, plan: "basic" },
        outputs: { prediction: 1, probability: [0.25, 0.75] },
      },
    ]);
    expect(linesOf(readFileSync(join(dir, files[1]), "utf8"))[0]).toMatchObject({ request_id: "b", shadow: true, version: "4" });
    expect(linesOf(readFileSync(join(dir, files[2]), "utf8"))[0]).toMatchObject({ inputs: { amount: 10, v: [0.5, 1.5] }, outputs: { label: [1] } });
    await log.close();
  });

  it("writes files DuckDB reads with hive partitioning, inputs and outputs as struct columns", async () => {
    const dir = freshDir();
    const log = createPredictionLog({ store: createArtifactStore(dir), prefix: "logs/predictions" });
    for (let i = 0; i < 5; i += 1) {
      log.append(record({ requestId: `r${i}`, timestamp: T0 + i * 20_000, inputs: { tenure: i, plan: i % 2 === 0 ? "basic" : "pro" }, outputs: { prediction: i % 2, probability: [0.5, 0.5] } }));
    }
    log.append(record({ requestId: "odd-name", model: "team/churn v2" }));
    await log.close();
    expect(filesUnder(dir).some((f) => f.startsWith("logs/predictions/model=team%2Fchurn%20v2/"))).toBe(true);

    const instance = await DuckDBInstance.create(":memory:");
    try {
      const connection = await instance.connect();
      const glob = `${dir}/logs/predictions/**/*.ndjson`.replaceAll("'", "''");
      const reader = await connection.runAndReadAll(
        `SELECT model, CAST(date AS VARCHAR) AS day, hour, count(*)::INTEGER AS n, sum(inputs.tenure)::INTEGER AS tenure,
                sum(outputs.prediction)::INTEGER AS positives, min(outputs.probability[2]) AS p1,
                min(timestamp)::VARCHAR AS first
         FROM read_json_auto('${glob}', hive_partitioning = true)
         GROUP BY ALL ORDER BY model, hour`,
      );
      expect(reader.getRowObjectsJson()).toEqual([
        { model: "churn", day: "2024-05-01", hour: "07", n: 2, tenure: 1, positives: 1, p1: 0.5, first: "2024-05-01 07:59:30" },
        { model: "churn", day: "2024-05-01", hour: "08", n: 3, tenure: 9, positives: 1, p1: 0.5, first: "2024-05-01 08:00:10" },
        { model: "team/churn v2", day: "2024-05-01", hour: "07", n: 1, tenure: 12, positives: 1, p1: 0.75, first: "2024-05-01 07:59:30" },
      ]);
      connection.closeSync();
    } finally {
      instance.closeSync();
    }
  });

  it("drops records beyond maxBufferedRows and counts every one of them", async () => {
    const store = memoryStore();
    const dropped: number[] = [];
    const log = createPredictionLog({ store, maxBufferedRows: 3, flushRows: 100, onDropped: (n) => dropped.push(n) });
    for (let i = 0; i < 5; i += 1) log.append(record({ requestId: `r${i}` }));
    expect(log.bufferedRows).toBe(3);
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(2);
    await log.close();
    expect(linesOf([...store.files.values()][0]).map((line) => line.request_id)).toEqual(["r0", "r1", "r2"]);
    log.append(record({ requestId: "late" }));
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it("keeps the rows of a failed write, reports the error and writes them at the next flush", async () => {
    const store = memoryStore();
    store.failNext = 1;
    const errors: unknown[] = [];
    const flushed: number[] = [];
    const log = createPredictionLog({ store, onError: (e) => errors.push(e), onFlushed: (n) => flushed.push(n) });
    log.append(record({ requestId: "a" }));
    log.append(record({ requestId: "b" }));
    await expect(log.flush()).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(store.files.size).toBe(0);
    expect(log.bufferedRows).toBe(2);
    log.append(record({ requestId: "c" }));
    await log.flush();
    expect(flushed).toEqual([3]);
    expect(linesOf([...store.files.values()][0]).map((line) => line.request_id)).toEqual(["a", "b", "c"]);
    await log.close();
  });

  it("counts rows waiting for a retry against maxBufferedRows", async () => {
    const store = memoryStore();
    store.failNext = 1;
    let dropped = 0;
    const log = createPredictionLog({ store, maxBufferedRows: 2, onDropped: (n) => (dropped += n), onError: () => undefined });
    log.append(record({ requestId: "a" }));
    log.append(record({ requestId: "b" }));
    await log.flush();
    log.append(record({ requestId: "c" }));
    expect(dropped).toBe(1);
    expect(log.bufferedRows).toBe(2);
    await log.close();
  });

  it("runs one flush at a time, and a flush asked for during another writes the rows appended meanwhile", async () => {
    const store = memoryStore();
    const log = createPredictionLog({ store });
    log.append(record({ requestId: "a" }));
    const first = log.flush();
    log.append(record({ requestId: "b", model: "other" }));
    const second = log.flush();
    log.append(record({ requestId: "c", model: "third" }));
    expect(log.flush()).toBe(second);
    await Promise.all([first, second]);
    expect(store.maxActive).toBe(1);
    expect(store.puts).toBe(3);
    expect(log.bufferedRows).toBe(0);
    await log.close();
  });

  it("flushes on its timer and when flushRows records wait", async () => {
    // Only the interval is faked: the memory store and the flushRows trigger use real setImmediate.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const store = memoryStore();
    const log = createPredictionLog({ store, flushIntervalMs: 500, flushRows: 3 });
    log.append(record({ requestId: "a" }));
    await vi.advanceTimersByTimeAsync(499);
    expect(store.puts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.puts).toBe(1);
    await log.flush();
    expect(store.files.size).toBe(1);
    for (const id of ["b", "c"]) log.append(record({ requestId: id }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.puts).toBe(1);
    log.append(record({ requestId: "d" }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.puts).toBe(2);
    await log.close();
    expect(store.files.size).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("never throws from append: an unencodable record is dropped, counted and reported", async () => {
    const store = memoryStore();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let dropped = 0;
    const errors: unknown[] = [];
    const log = createPredictionLog({ store, onDropped: (n) => (dropped += n), onError: (e) => errors.push(e) });
    expect(() => log.append(record({ requestId: "cyclic", inputs: cyclic }))).not.toThrow();
    log.append(record({ requestId: "bad-time", timestamp: Number.NaN }));
    log.append(record({ requestId: "ok", model: "line\nbreak" }));
    await log.close();
    expect(dropped).toBe(2);
    expect(errors).toHaveLength(2);
    const [path] = [...store.files.keys()];
    expect(path).toMatch(/^predictions\/model=_[A-Za-z0-9_-]+\/date=2024-05-01\/hour=07\//);
    expect(linesOf(store.files.get(path) ?? "")[0]).toMatchObject({ request_id: "ok", model: "line\nbreak" });
  });
});
