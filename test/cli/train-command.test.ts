import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Keel } from "../../src/client/index.js";
import { createKeel, listArtifactFiles } from "../../src/client/index.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer, tempDir } from "../support/servers.js";
import { keel as cli } from "./cli-harness.js";

const ROOT = join(import.meta.dirname, "..", "..");

let server: TestServer;
let sdk: Keel;
let dir: { dir: string; cleanup(): void };
let customers: string;

beforeAll(async () => {
  server = await startTestServer();
  sdk = createKeel({ trackingUri: server.url });
  dir = tempDir();
  customers = join(dir.dir, "customers.csv");
  // The README's generator, run before the server has work to do (execFileSync blocks this process).
  execFileSync("npx", ["tsx", join(ROOT, "examples/churn/make-customers.ts"), customers, "--rows", "1500"], { cwd: ROOT, stdio: "ignore" });
});
afterAll(async () => {
  await server?.close();
  dir?.cleanup();
});

describe("keel train", () => {
  it("trains gbdt on the churn table and logs params, metrics, losses, artifacts, dataset and the registered model", async () => {
    const result = await cli(server.url, [
      "train", "--data", customers, "--target", "churn", "--model", "gbdt", "--param", "max_iter=30",
      "--experiment", "churn", "--cv", "3", "--register", "churn-classifier", "--no-progress", "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { runId: string; metrics: Record<string, number>; cvMetrics: Record<string, number>; registeredVersion: { version: string } };
    expect(summary.metrics.accuracy).toBeGreaterThan(0.6);
    expect(summary.metrics.roc_auc).toBeGreaterThan(0.6);
    expect(summary.cvMetrics.cv_accuracy_mean).toBeGreaterThan(0.6);
    expect(summary.registeredVersion.version).toBe("1");

    const run = await sdk.client.getRun({ run_id: summary.runId });
    const params = Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]));
    expect(params).toMatchObject({ model: "gbdt", task: "classification", target: "churn", max_iter: "30", cv: "3" });
    const metricKeys = (run.data.metrics ?? []).map((m) => m.key);
    expect(metricKeys).toEqual(expect.arrayContaining(["accuracy", "roc_auc", "log_loss", "f1", "train_loss", "cv_accuracy_mean"]));
    const losses = await sdk.client.getMetricHistory({ run_id: summary.runId, metric_key: "train_loss" });
    expect(losses.metrics.length).toBeGreaterThan(5);
    expect(run.inputs?.dataset_inputs?.[0]?.dataset.name).toBe("customers");
    const files = (await listArtifactFiles(sdk.client, summary.runId)).map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["confusion_matrix.json", "feature_importances.json", "model/MLmodel", "model/model.onnx"]));
    const version = await sdk.registry.getModelVersion({ name: "churn-classifier", version: "1" });
    expect(version.run_id).toBe(summary.runId);
  });

  it("refuses an unknown model, a missing target and a missing file with exit 1 and a clear message", async () => {
    const unknown = await cli(server.url, ["train", "--data", customers, "--target", "churn", "--model", "svm", "--no-progress"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown model 'svm'");
    const target = await cli(server.url, ["train", "--data", customers, "--target", "nope", "--model", "tree", "--no-progress"]);
    expect(target.code).toBe(1);
    expect(target.stderr).toContain("target column 'nope'");
    const missing = await cli(server.url, ["train", "--data", join(dir.dir, "none.csv"), "--target", "churn", "--model", "tree", "--no-progress"]);
    expect(missing.code).toBe(1);
    const seed = await cli(server.url, ["train", "--data", customers, "--target", "churn", "--model", "tree", "--seed", "-1"]);
    expect(seed.code).toBe(2);
    const regression = await cli(server.url, ["train", "--data", customers, "--target", "monthly_charges", "--model", "logreg", "--no-progress"]);
    expect(regression.stderr).toContain("does not do regression");
  });
});
