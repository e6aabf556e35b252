import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import mlflowPackage from "mlflow";
import { realServer } from "./harness.js";
import { rawRequest } from "./raw-http.js";

/**
 * The third-party npm package `mlflow` (an MLflow REST client nobody here wrote) drives the real server
 * through every operation it supports.
 */
// A CommonJS package: at run time the import is the class, while NodeNext typing sees the module object.
// Its typings demand every optional field, so the test sees its methods through a looser shape.
type Methods = Record<string, (args?: Record<string, unknown>) => Promise<unknown>>;
type MLflowClient = { Experiments: Methods; Runs: Methods; Metrics: Methods; Artifacts: Methods };
const MLflow = ((mlflowPackage as unknown as { default?: unknown }).default ?? mlflowPackage) as new (options: { endpoint: string }) => MLflowClient;

describe("the npm `mlflow` client against a real Keel server", () => {
  let server: Awaited<ReturnType<typeof realServer>>;
  let client: MLflowClient;
  beforeAll(async () => {
    // The package logs every request body to stdout; keep the test output readable.
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    server = await realServer();
    client = new MLflow({ endpoint: server.url });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server.close();
  });

  it("creates, gets, renames, lists, deletes and restores experiments", async () => {
    const { experiment_id } = (await client.Experiments.create({ name: "npm-client" })) as { experiment_id: string };
    expect(experiment_id).toMatch(/^\d+$/);
    const { experiment } = (await client.Experiments.get({ experiment_id })) as { experiment: { name: string; lifecycle_stage: string } };
    expect(experiment).toMatchObject({ name: "npm-client", lifecycle_stage: "active" });
    await client.Experiments.update({ experiment_id, new_name: "npm-client-2" });
    const listed = (await client.Experiments.list()) as { experiments: { name: string }[] };
    expect(listed.experiments.map((e) => e.name)).toEqual(expect.arrayContaining(["Default", "npm-client-2"]));
    await client.Experiments.delete({ experiment_id });
    const deleted = (await client.Experiments.list({ view_type: "DELETED_ONLY" })) as { experiments: { experiment_id: string }[] };
    expect(deleted.experiments.map((e) => e.experiment_id)).toEqual([experiment_id]);
    await client.Experiments.restore({ experiment_id });
    await expect(client.Experiments.create({ name: "npm-client-2" })).rejects.toThrow(/RESOURCE_ALREADY_EXISTS/);
  });

  it("reports the client's own malformed set-experiment-tag URL as ENDPOINT_NOT_FOUND", async () => {
    // The package builds '/mlflow/experimentsset-experiment-tag' (a missing slash); the server must answer cleanly.
    await expect(client.Experiments.setExperimentTag({ experiment_id: "0", key: "k", value: "v" })).rejects.toThrow(/ENDPOINT_NOT_FOUND/);
  });

  it("logs to a run and reads it back: params, metrics, tags, batch, history, search, update", async () => {
    const { experiment_id } = (await client.Experiments.create({ name: "npm-runs" })) as { experiment_id: string };
    const created = (await client.Runs.create({ experiment_id, start_time: 1_700_000_000_000, tags: [{ key: "owner", value: "ana" }] })) as {
      run: { info: { run_id: string; status: string } };
    };
    const run_id = created.run.info.run_id;
    expect(created.run.info.status).toBe("RUNNING");
    await client.Runs.logParameter({ run_id, key: "max_depth", value: "8" });
    await client.Runs.logMetric({ run_id, key: "loss", value: 0.9, timestamp: 1_700_000_000_001, step: 0 });
    await client.Runs.logMetric({ run_id, key: "loss", value: 0.4, timestamp: 1_700_000_000_002, step: 1 });
    await client.Runs.setTag({ run_id, key: "stage", value: "dev" });
    await client.Runs.logBatch({
      run_id,
      metrics: [{ key: "auc", value: 0.91, timestamp: 1_700_000_000_003, step: 1 }],
      params: [{ key: "n_estimators", value: "200" }],
      tags: [{ key: "model", value: "rf" }],
    });
    await client.Runs.deleteTag({ run_id, key: "stage" });
    await expect(client.Runs.logParameter({ run_id, key: "max_depth", value: "9" })).rejects.toThrow(/INVALID_PARAMETER_VALUE/);

    const { run } = (await client.Runs.get({ run_id })) as {
      run: { data: { metrics: { key: string; value: number }[]; params: { key: string; value: string }[]; tags: { key: string; value: string }[] } };
    };
    expect(run.data.params).toEqual([{ key: "max_depth", value: "8" }, { key: "n_estimators", value: "200" }]);
    expect(run.data.metrics).toEqual(expect.arrayContaining([expect.objectContaining({ key: "loss", value: 0.4 }), expect.objectContaining({ key: "auc", value: 0.91 })]));
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: "owner", value: "ana" }, { key: "model", value: "rf" }]));
    expect(run.data.tags.find((t) => t.key === "stage")).toBeUndefined();

    const history = (await client.Metrics.getHistory({ run_id, metric_key: "loss" })) as { metrics: { value: number; step: number }[] };
    expect(history.metrics.map((m) => [m.step, m.value])).toEqual([[0, 0.9], [1, 0.4]]);

    const found = (await client.Runs.search({ experiment_ids: [experiment_id], filter: "metrics.auc > 0.9 and params.max_depth = '8'" })) as { runs: { info: { run_id: string } }[] };
    expect(found.runs.map((r) => r.info.run_id)).toEqual([run_id]);

    const updated = (await client.Runs.update({ run_id, status: "FINISHED", end_time: 1_700_000_001_000 })) as { run_info: { status: string; end_time: number } };
    expect(updated.run_info).toMatchObject({ status: "FINISHED", end_time: 1_700_000_001_000 });

    await client.Runs.delete({ run_id });
    const afterDelete = (await client.Runs.search({ experiment_ids: [experiment_id] })) as { runs?: unknown[] };
    expect(afterDelete.runs ?? []).toHaveLength(0);
    await client.Runs.restore({ run_id });
    const afterRestore = (await client.Runs.search({ experiment_ids: [experiment_id] })) as { runs: unknown[] };
    expect(afterRestore.runs).toHaveLength(1);
  });

  it("lists artifacts uploaded through the proxied artifact service", async () => {
    const created = (await client.Runs.create({ experiment_id: "0" })) as { run: { info: { run_id: string; artifact_uri: string } } };
    const { run_id, artifact_uri } = created.run.info;
    const storePath = artifact_uri.replace(/^mlflow-artifacts:\//, "");
    const put = await rawRequest(server.url, "PUT", `/api/2.0/mlflow-artifacts/artifacts/${storePath}/model/MLmodel`, "flavors: {}\n");
    expect(put.status).toBe(200);
    const root = (await client.Artifacts.list({ run_id })) as { root_uri: string; files: { path: string; is_dir: boolean }[] };
    expect(root).toEqual({ root_uri: artifact_uri, files: [{ path: "model", is_dir: true }] });
    const inner = (await client.Artifacts.list({ run_id, path: "model" })) as { files: { path: string; file_size: number }[] };
    expect(inner.files).toEqual([{ path: "model/MLmodel", is_dir: false, file_size: 12 }]);
  });
});
