import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrackingClient } from "../../src/client/index.js";
import { KeelError, createTrackingClient } from "../../src/client/index.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";

let server: TestServer;
let client: TrackingClient;

beforeAll(async () => {
  server = await startTestServer();
  client = createTrackingClient({ trackingUri: server.url });
});
afterAll(async () => server?.close());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeelError) return error.code;
    throw error;
  }
  return "no error";
}

describe("low-level client against the real server", () => {
  it("answers health", async () => {
    expect(await client.health()).toBe("OK");
  });

  it("creates, finds, renames, tags, deletes and restores experiments", async () => {
    const id = await client.createExperiment({ name: "client-exp", tags: [{ key: "team", value: "growth" }] });
    const byId = await client.getExperiment({ experiment_id: id });
    expect(byId).toMatchObject({ experiment_id: id, name: "client-exp", lifecycle_stage: "active", tags: [{ key: "team", value: "growth" }] });
    expect(byId.artifact_location).toBe(`mlflow-artifacts:/${id}`);
    expect((await client.getExperimentByName({ experiment_name: "client-exp" })).experiment_id).toBe(id);
    expect(await codeOf(client.createExperiment({ name: "client-exp" }))).toBe("RESOURCE_ALREADY_EXISTS");

    await client.updateExperiment({ experiment_id: id, new_name: "client-exp-2" });
    await client.setExperimentTag({ experiment_id: id, key: "stage", value: "dev" });
    await client.deleteExperimentTag({ experiment_id: id, key: "team" });
    const renamed = await client.getExperiment({ experiment_id: id });
    expect(renamed.name).toBe("client-exp-2");
    expect(renamed.tags).toEqual([{ key: "stage", value: "dev" }]);

    const search = await client.searchExperiments({ filter: "name = 'client-exp-2'" });
    expect(search.experiments.map((e) => e.experiment_id)).toEqual([id]);

    await client.deleteExperiment({ experiment_id: id });
    const deleted = await client.searchExperiments({ view_type: "DELETED_ONLY" }, { allPages: true });
    expect(deleted.experiments.map((e) => e.experiment_id)).toContain(id);
    await client.restoreExperiment({ experiment_id: id });
    expect((await client.getExperiment({ experiment_id: id })).lifecycle_stage).toBe("active");
  });

  it("logs to a run through each endpoint and reads it back, NaN and infinities included", async () => {
    const experimentId = await client.createExperiment({ name: "client-runs" });
    const run = await client.createRun({ experiment_id: experimentId, run_name: "r1", start_time: 1_700_000_000_000, tags: [{ key: "a", value: "1" }] });
    const runId = run.info.run_id;
    expect(run.info).toMatchObject({ run_name: "r1", experiment_id: experimentId, status: "RUNNING", lifecycle_stage: "active" });
    expect(run.info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/${runId}/artifacts`);

    await client.logParam({ run_id: runId, key: "lr", value: "0.1" });
    await client.logMetric({ run_id: runId, key: "nan", value: NaN, timestamp: 1_700_000_000_001, step: 0 });
    await client.logMetric({ run_id: runId, key: "inf", value: Infinity, timestamp: 1_700_000_000_001 });
    await client.logMetric({ run_id: runId, key: "ninf", value: -Infinity, timestamp: 1_700_000_000_001 });
    await client.setTag({ run_id: runId, key: "b", value: "2" });
    await client.deleteTag({ run_id: runId, key: "a" });
    await client.logBatch({
      run_id: runId,
      metrics: [1, 2, 3].map((step) => ({ key: "loss", value: 1 / step, timestamp: 1_700_000_000_000 + step, step })),
      params: [{ key: "depth", value: "8" }],
      tags: [{ key: "c", value: "3" }],
    });
    await client.logInputs({
      run_id: runId,
      datasets: [{ dataset: { name: "churn", digest: "abc123", source_type: "local", source: "data/churn.csv" }, tags: [{ key: "mlflow.data.context", value: "train" }] }],
    });
    const info = await client.updateRun({ run_id: runId, status: "FINISHED", end_time: 1_700_000_001_000 });
    expect(info.status).toBe("FINISHED");

    const got = await client.getRun({ run_id: runId });
    const metric = (key: string) => got.data.metrics?.find((m) => m.key === key)?.value;
    expect(metric("nan")).toBeNaN();
    // Accepted as protobuf strings; MLflow's SQL store (and so Keel's) keeps ±Infinity as ±the largest double.
    expect(metric("inf")).toBe(Number.MAX_VALUE);
    expect(metric("ninf")).toBe(-Number.MAX_VALUE);
    expect(metric("loss")).toBeCloseTo(1 / 3);
    expect(new Map(got.data.params?.map((p) => [p.key, p.value]))).toEqual(new Map([["lr", "0.1"], ["depth", "8"]]));
    const tags = new Map(got.data.tags?.map((t) => [t.key, t.value]));
    expect([tags.get("a"), tags.get("b"), tags.get("c")]).toEqual([undefined, "2", "3"]);
    expect(got.inputs?.dataset_inputs?.[0].dataset.name).toBe("churn");
    expect(got.info.end_time).toBe(1_700_000_001_000);

    const page = await client.getMetricHistory({ run_id: runId, metric_key: "loss", max_results: 2 });
    expect(page.metrics).toHaveLength(2);
    expect(page.next_page_token).toBeTruthy();
    const all = await client.getMetricHistory({ run_id: runId, metric_key: "loss", max_results: 2 }, { allPages: true });
    expect(all.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
    expect(all.next_page_token).toBeUndefined();

    expect(await codeOf(client.logParam({ run_id: runId, key: "lr", value: "0.2" }))).toBe("INVALID_PARAMETER_VALUE");
  });

  it("searches runs with a filter and order, and deletes and restores them", async () => {
    const experimentId = await client.createExperiment({ name: "client-search" });
    const ids: string[] = [];
    for (const auc of [0.7, 0.9, 0.8]) {
      const run = await client.createRun({ experiment_id: experimentId });
      await client.logMetric({ run_id: run.info.run_id, key: "auc", value: auc, timestamp: Date.now() });
      ids.push(run.info.run_id);
    }
    const found = await client.searchRuns({ experiment_ids: [experimentId], filter: "metrics.auc > 0.75", order_by: ["metrics.auc DESC"] });
    expect(found.runs.map((r) => r.info.run_id)).toEqual([ids[1], ids[2]]);
    const paged = await client.searchRuns({ experiment_ids: [experimentId], max_results: 1 }, { allPages: true });
    expect(paged.runs).toHaveLength(3);

    await client.deleteRun({ run_id: ids[0] });
    expect((await client.searchRuns({ experiment_ids: [experimentId] })).runs).toHaveLength(2);
    expect((await client.searchRuns({ experiment_ids: [experimentId], run_view_type: "DELETED_ONLY" })).runs.map((r) => r.info.run_id)).toEqual([ids[0]]);
    await client.restoreRun({ run_id: ids[0] });
    expect((await client.getRun({ run_id: ids[0] })).info.lifecycle_stage).toBe("active");
  });

  it("uploads, lists and downloads artifacts through the proxy", async () => {
    const run = await client.createRun({ experiment_id: "0" });
    const location = { artifact_uri: run.info.artifact_uri };
    await client.uploadArtifact({ ...location, path: "model/weights.bin", body: new Uint8Array([0, 1, 2, 255]) });
    await client.uploadArtifact({ ...location, path: "notes with space.txt", body: "héllo" });
    const root = await client.listArtifacts({ run_id: run.info.run_id });
    expect(root.root_uri).toBe(run.info.artifact_uri);
    expect(root.files.map((f) => [f.path, f.is_dir]).sort()).toEqual([["model", true], ["notes with space.txt", false]]);
    const model = await client.listArtifacts({ run_id: run.info.run_id, path: "model" });
    expect(model.files).toEqual([{ path: "model/weights.bin", is_dir: false, file_size: 4 }]);
    expect([...(await client.downloadArtifact({ ...location, path: "model/weights.bin" }))]).toEqual([0, 1, 2, 255]);
    expect(new TextDecoder().decode(await client.downloadArtifact({ ...location, path: "notes with space.txt" }))).toBe("héllo");
    expect(await codeOf(client.downloadArtifact({ ...location, path: "missing.txt" }))).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("raises the server's error code for unknown ids", async () => {
    expect(await codeOf(client.getRun({ run_id: "0123456789abcdef0123456789abcdef" }))).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(await codeOf(client.getExperimentByName({ experiment_name: "nope" }))).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("says how to start a server when none is listening", async () => {
    const closed = await startTestServer();
    const url = closed.url;
    await closed.close();
    const error = await createTrackingClient({ trackingUri: url })
      .getExperiment({ experiment_id: "0" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).message).toMatch(new RegExp(`tracking server at ${url.replace(/\./g, "\\.")} is unreachable.*keel server`));
  });
});
