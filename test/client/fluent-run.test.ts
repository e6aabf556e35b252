import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FetchFunction, Keel } from "../../src/client/index.js";
import { KeelError, createKeel, downloadArtifacts } from "../../src/client/index.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer, tempDir, tempFiles } from "../support/servers.js";

let server: TestServer;
let keel: Keel;

beforeAll(async () => {
  server = await startTestServer();
  keel = createKeel({ trackingUri: server.url });
});
afterAll(async () => server?.close());

/** Global fetch, recording the JSON body of every log-batch request. */
function recordingFetch(bodies: string[]): FetchFunction {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    if (String(input).endsWith("/runs/log-batch") && typeof init?.body === "string") bodies.push(init.body);
    return fetch(input, init);
  }) as FetchFunction;
}

describe("fluent runs against the real server", () => {
  it("logs params, metrics with steps, tags and an artifact, then ends FINISHED", async () => {
    const files = tempFiles({ "model.onnx": "fake-onnx-bytes" });
    try {
      const run = await keel.startRun({ experiment: "churn", runName: "rf-v1", tags: { owner: "ana" } });
      run.logParam("n_estimators", 200);
      run.logParams({ criterion: "gini", bootstrap: true });
      for (let step = 0; step < 5; step++) run.logMetric("loss", 1 / (step + 1), { step });
      run.logMetrics({ auc: 0.91, f1: 0.8 }, { step: 4 });
      run.setTag("team", "growth");
      run.setTags({ stage: "dev" });
      await run.logArtifact(join(files.dir, "model.onnx"), "model");
      await run.end();

      const got = await keel.client.getRun({ run_id: run.runId });
      expect(got.info).toMatchObject({ run_name: "rf-v1", status: "FINISHED" });
      expect(got.info.end_time).toBeGreaterThanOrEqual(got.info.start_time ?? 0);
      const experiment = await keel.client.getExperimentByName({ experiment_name: "churn" });
      expect(got.info.experiment_id).toBe(experiment.experiment_id);
      expect(Object.fromEntries(got.data.params?.map((p) => [p.key, p.value]) ?? [])).toEqual({ n_estimators: "200", criterion: "gini", bootstrap: "true" });
      const latest = Object.fromEntries(got.data.metrics?.map((m) => [m.key, m.value]) ?? []);
      expect(latest).toEqual({ loss: 0.2, auc: 0.91, f1: 0.8 });
      const tags = Object.fromEntries(got.data.tags?.map((t) => [t.key, t.value]) ?? []);
      expect(tags).toMatchObject({ owner: "ana", team: "growth", stage: "dev", "mlflow.source.type": "LOCAL" });

      const history = await keel.client.getMetricHistory({ run_id: run.runId, metric_key: "loss" }, { allPages: true });
      expect(history.metrics.map((m) => [m.step, m.value])).toEqual([0, 1, 2, 3, 4].map((s) => [s, 1 / (s + 1)]));

      const listed = await keel.client.listArtifacts({ run_id: run.runId, path: "model" });
      expect(listed.files).toEqual([{ path: "model/model.onnx", is_dir: false, file_size: 15 }]);
    } finally {
      files.cleanup();
    }
  });

  it("reuses an experiment that exists and refuses a deleted one with how to restore it", async () => {
    const first = await keel.startRun({ experiment: "reuse" });
    const second = await keel.startRun({ experiment: "reuse" });
    expect(second.experimentId).toBe(first.experimentId);
    await Promise.all([first.end(), second.end()]);
    await keel.client.deleteExperiment({ experiment_id: first.experimentId });
    await expect(keel.startRun({ experiment: "reuse" })).rejects.toThrowError(/is deleted; restore it with `keel experiments restore/);
  });

  it("withRun ends the run FAILED when the callback throws, and rethrows", async () => {
    let runId = "";
    const boom = new Error("training diverged");
    await expect(
      keel.withRun({ experiment: "with-run" }, async (run) => {
        runId = run.runId;
        run.logMetric("loss", NaN);
        throw boom;
      }),
    ).rejects.toBe(boom);
    const got = await keel.client.getRun({ run_id: runId });
    expect(got.info.status).toBe("FAILED");
    expect(got.data.metrics?.[0].value).toBeNaN();
  });

  it("withRun ends FINISHED and resolves with the callback's result", async () => {
    const result = await keel.withRun({ experiment: "with-run" }, async (run) => {
      run.logParam("seed", 7);
      return run.runId;
    });
    const got = await keel.client.getRun({ run_id: result });
    expect(got.info.status).toBe("FINISHED");
    expect(got.data.params).toEqual([{ key: "seed", value: "7" }]);
  });

  it("raises a failed flush from end(), marks the run FAILED and keeps the unflushed items", async () => {
    const run = await keel.startRun({ experiment: "flush-failure" });
    run.logParam("lr", 0.1);
    await run.flush();
    run.logParam("lr", 0.2);
    run.logMetric("loss", 0.5);
    const error = await run.end().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe("INVALID_PARAMETER_VALUE");
    expect((await keel.client.getRun({ run_id: run.runId })).info.status).toBe("FAILED");
    expect(run.unflushed()).toEqual({ metrics: [expect.objectContaining({ key: "loss", value: 0.5 })], params: [{ key: "lr", value: "0.2" }], tags: [] });
    expect(() => run.logMetric("loss", 0.4)).toThrowError(/has ended/);
  });

  it("splits more than 1000 metrics and large tags into log-batch requests the server accepts", async () => {
    const bodies: string[] = [];
    const recording = createKeel({ trackingUri: server.url, fetch: recordingFetch(bodies), flushIntervalMs: 0 });
    const run = await recording.startRun({ experiment: "many-metrics" });
    for (let step = 0; step < 2500; step++) run.logMetric("loss", Math.exp(-step / 500), { step, timestamp: 1_700_000_000_000 + step });
    const big = "v".repeat(7900);
    for (let i = 0; i < 150; i++) run.setTag(`t${i}`, big);
    await run.end();

    expect(bodies.length).toBeGreaterThanOrEqual(3);
    for (const body of bodies) {
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1_000_000);
      const parsed = JSON.parse(body) as { metrics: unknown[]; tags: unknown[] };
      expect(parsed.metrics.length).toBeLessThanOrEqual(1000);
      expect(parsed.tags.length).toBeLessThanOrEqual(100);
    }
    const history = await recording.client.getMetricHistory({ run_id: run.runId, metric_key: "loss" }, { allPages: true });
    expect(history.metrics).toHaveLength(2500);
    expect(history.metrics.map((m) => m.step)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    const got = await recording.client.getRun({ run_id: run.runId });
    expect(got.data.tags?.filter((t) => t.key.startsWith("t") && t.value === big)).toHaveLength(150);
  });

  it("uploads a directory recursively with logArtifacts and downloads it back", async () => {
    const files = tempFiles({ "report.html": "<h1>ok</h1>", "plots/roc.png": new Uint8Array([137, 80, 78, 71]), "plots/deep/pr.json": "{}" });
    const out = tempDir();
    try {
      const run = await keel.startRun();
      expect(run.experimentId).toBe("0");
      await run.logArtifacts(files.dir, "eval");
      await run.end();
      const { localPath, files: written } = await downloadArtifacts(keel.client, { runId: run.runId, path: "eval", dest: out.dir });
      expect(localPath).toBe(join(out.dir, "eval"));
      expect(written).toHaveLength(3);
      expect(readFileSync(join(out.dir, "eval", "report.html"), "utf8")).toBe("<h1>ok</h1>");
      expect([...readFileSync(join(out.dir, "eval", "plots", "roc.png"))]).toEqual([137, 80, 78, 71]);
      expect(readFileSync(join(out.dir, "eval", "plots", "deep", "pr.json"), "utf8")).toBe("{}");
    } finally {
      files.cleanup();
      out.cleanup();
    }
  });

  it("refuses bad input when it is logged, before it can hold back a batch", async () => {
    const run = await keel.startRun();
    expect(() => run.logMetric("../escape", 1)).toThrowError(KeelError);
    expect(() => run.logMetric("loss", "0.3" as unknown as number)).toThrowError(/must be a number/);
    expect(() => run.logMetric("loss", 1, { step: 1.5 })).toThrowError(/step/);
    expect(() => run.logParam("p", "x".repeat(6001))).toThrowError(/limit is 6000/);
    await run.end();
    expect(run.unflushed()).toEqual({ metrics: [], params: [], tags: [] });
  });
});
