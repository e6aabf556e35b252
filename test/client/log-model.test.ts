import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActiveRun, Keel } from "../../src/client/index.js";
import { createKeel, listArtifactFiles, logModel, onnxPackageVersion } from "../../src/client/index.js";
import { parseInputExample } from "../../src/core/input-example.js";
import { parseMlModel } from "../../src/core/mlmodel.js";
import { linearModelOnnx } from "../support/onnx-models.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer, tempDir, tempFiles } from "../support/servers.js";
import { rejection } from "../support/keel-errors.js";

let server: TestServer;
let keel: Keel;

beforeAll(async () => {
  server = await startTestServer();
  keel = createKeel({ trackingUri: server.url, flushIntervalMs: 0 });
});
afterAll(async () => server?.close());


async function modelFiles(run: ActiveRun, path: string): Promise<string[]> {
  return (await listArtifactFiles(keel.client, run.runId, path)).map((f) => f.path).sort();
}

/** A scikit-learn model directory as MLflow saves it, logged from another run. */
const SKLEARN_MLMODEL = `artifact_path: old-path
flavors:
  python_function:
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: 3.10.12
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.3.2
mlflow_version: 2.9.2
model_size_bytes: 1234
model_uuid: 5f1c1d1e8a3b4d7c9e0f1a2b3c4d5e6f
run_id: 00000000000000000000000000000000
utc_time_created: '2024-01-02 03:04:05.678901'
`;

describe("logModel with ONNX bytes", () => {
  const onnx = linearModelOnnx({ features: 3, weights: [0.5, -1, 2], bias: 0.1 });

  it("uploads a complete MLflow model directory, records it on the run and registers it", async () => {
    const run = await keel.startRun({ experiment: "log-model", runName: "onnx" });
    const example = [[1, 2, 3], [4, 5, 6]];
    const info = await run.logModel(onnx, { artifactPath: "model", inputExample: example, registeredModelName: "churn", description: "first cut", tags: { gate: "pending" } });

    expect(info).toMatchObject({ modelUri: `runs:/${run.runId}/model`, artifactPath: "model", runId: run.runId });
    expect(await modelFiles(run, "model")).toEqual(
      ["MLmodel", "conda.yaml", "input_example.json", "model.onnx", "python_env.yaml", "requirements.txt"].map((f) => `model/${f}`),
    );
    const dir = tempDir();
    try {
      const local = await keel.downloadModel(`runs:/${run.runId}/model`, dir.dir);
      expect(local).toBe(join(dir.dir, "model"));
      const mlmodel = parseMlModel(readFileSync(join(local, "MLmodel"), "utf8"));
      expect(mlmodel).toEqual(info.mlmodel);
      expect(mlmodel).toMatchObject({ runId: run.runId, artifactPath: "model" });
      expect(mlmodel.flavors.onnx).toMatchObject({ data: "model.onnx", onnx_version: "1.13.0" });
      expect(mlmodel.flavors.python_function).toMatchObject({ loader_module: "mlflow.onnx", data: "model.onnx" });
      expect(mlmodel.signature?.inputs).toEqual([{ kind: "tensor", name: "input", dtype: "float32", shape: [-1, 3] }]);
      expect(mlmodel.modelUuid).toMatch(/^[0-9a-f]{32}$/);
      expect(mlmodel.utcTimeCreated).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/);
      const exampleText = readFileSync(join(local, "input_example.json"), "utf8");
      expect(parseInputExample(exampleText)).toEqual({ inputs: example });
      expect(mlmodel.modelSizeBytes).toBe(onnx.length + Buffer.byteLength(exampleText));
      expect(readFileSync(join(local, "requirements.txt"), "utf8")).toContain("onnx==1.13.0");
    } finally {
      dir.cleanup();
    }

    const tags = Object.fromEntries((await keel.client.getRun({ run_id: run.runId })).data.tags?.map((t) => [t.key, t.value]) ?? []);
    const history = JSON.parse(tags["mlflow.log-model.history"]) as Record<string, unknown>[];
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ run_id: run.runId, artifact_path: "model", model_uuid: info.mlmodel.modelUuid, flavors: { onnx: { onnx_version: "1.13.0" } } });

    expect(info.modelVersion).toMatchObject({ name: "churn", version: "1", source: `runs:/${run.runId}/model`, run_id: run.runId, description: "first cut", tags: [{ key: "gate", value: "pending" }] });
    const again = await run.logModel(onnx, { artifactPath: "model-2", registeredModelName: "churn" });
    expect(again.modelVersion?.version).toBe("2");
    await run.end();
  });

  it("round-trips through the registry: loadModelInfo and downloadModel by version, stage, latest and alias", async () => {
    const info = await keel.withRun({ experiment: "log-model", runName: "roundtrip" }, (run) => run.logModel(onnx, { artifactPath: "clf", registeredModelName: "roundtrip" }));
    await keel.registry.setRegisteredModelAlias({ name: "roundtrip", alias: "champion", version: "1" });
    await keel.registry.transitionModelVersionStage({ name: "roundtrip", version: "1", stage: "Staging", archive_existing_versions: false });

    for (const uri of ["models:/roundtrip/1", "models:/roundtrip/Staging", "models:/roundtrip/latest", "models:/roundtrip@champion"]) {
      const loaded = await keel.loadModelInfo(uri);
      expect(loaded.mlmodel).toEqual(info.mlmodel);
      expect(loaded.modelVersion?.version).toBe("1");
      expect(loaded.artifactUri).toMatch(/^mlflow-artifacts:\/.*\/artifacts\/clf$/);
    }
    const dir = tempDir();
    try {
      const local = await keel.downloadModel("models:/roundtrip@champion", dir.dir);
      expect(parseMlModel(readFileSync(join(local, "MLmodel"), "utf8")).modelUuid).toBe(info.mlmodel.modelUuid);
      expect(new Uint8Array(readFileSync(join(local, "model.onnx")))).toEqual(new Uint8Array(onnx));
    } finally {
      dir.cleanup();
    }
  });

  it("refuses bytes that are not ONNX, and a registry description without a registered model", async () => {
    const run = await keel.startRun({ experiment: "log-model" });
    expect((await rejection(run.logModel(new TextEncoder().encode("not onnx at all"), { artifactPath: "bad" }))).code).toBe("INVALID_PARAMETER_VALUE");
    expect((await rejection(run.logModel(onnx, { artifactPath: "m", description: "orphan" }))).code).toBe("INVALID_PARAMETER_VALUE");
    expect((await rejection(run.logModel(onnx, { artifactPath: "../escape" }))).code).toBe("INVALID_PARAMETER_VALUE");
    expect(await modelFiles(run, "")).toEqual([]);
    await run.end();
  });

  it("names the first onnx release that reads the model, and leaves newer models unpinned", () => {
    expect(onnxPackageVersion(8, 17)).toEqual({ version: "1.13.0", pinned: true });
    expect(onnxPackageVersion(9, 20)).toEqual({ version: "1.15.0", pinned: true });
    expect(onnxPackageVersion(10, 21)).toEqual({ version: "1.16.0", pinned: true });
    expect(onnxPackageVersion(12, 25)).toEqual({ version: "1.17.0", pinned: false });
  });
});

describe("logModel with a model directory", () => {
  it("uploads the directory with its MLmodel pointed at this run", async () => {
    const files = tempFiles({ MLmodel: SKLEARN_MLMODEL, "model.pkl": "pickle-bytes", "conda.yaml": "name: env\n", "code/helpers.py": "x = 1\n" });
    try {
      const run = await keel.startRun({ experiment: "log-model", runName: "dir" });
      const info = await logModel({ client: keel.client, registry: keel.registry, runId: run.runId, artifactUri: run.artifactUri }, files.dir, {
        artifactPath: "sk/model",
        registeredModelName: "sklearn-dir",
      });
      expect(await modelFiles(run, "sk/model")).toEqual(["MLmodel", "code/helpers.py", "conda.yaml", "model.pkl"].map((f) => `sk/model/${f}`));
      const loaded = await keel.loadModelInfo("models:/sklearn-dir/1");
      expect(loaded.mlmodel).toEqual(info.mlmodel);
      expect(loaded.mlmodel).toMatchObject({ runId: run.runId, artifactPath: "sk/model", modelUuid: "5f1c1d1e8a3b4d7c9e0f1a2b3c4d5e6f", modelSizeBytes: 1234 });
      expect(loaded.mlmodel.flavors.sklearn).toMatchObject({ sklearn_version: "1.3.2" });
      const dir = tempDir();
      try {
        const local = await keel.downloadModel("models:/sklearn-dir/1", dir.dir);
        expect(local).toBe(join(dir.dir, "sk", "model"));
        expect(readFileSync(join(local, "code", "helpers.py"), "utf8")).toBe("x = 1\n");
      } finally {
        dir.cleanup();
      }
      await run.end();
    } finally {
      files.cleanup();
    }
  });

  it("refuses a directory without an MLmodel, or with a broken one, before uploading anything", async () => {
    const run = await keel.startRun({ experiment: "log-model" });
    const plain = tempFiles({ "model.pkl": "x" });
    const broken = tempFiles({ MLmodel: "artifact_path: model\n", "model.pkl": "x" });
    try {
      const missing = await rejection(run.logModel(plain.dir, { artifactPath: "m" }));
      expect(missing.code).toBe("INVALID_PARAMETER_VALUE");
      expect(missing.message).toContain("no MLmodel file");
      expect((await rejection(run.logModel(broken.dir, { artifactPath: "m" }))).message).toContain("flavors");
      expect((await rejection(run.logModel(join(plain.dir, "model.pkl"), { artifactPath: "m" }))).code).toBe("INVALID_PARAMETER_VALUE");
      expect(await modelFiles(run, "")).toEqual([]);
    } finally {
      plain.cleanup();
      broken.cleanup();
      await run.end();
    }
  });
});

describe("loading models stored outside the tracking server", () => {
  it("refuses a version whose files are in s3://, saying why", async () => {
    await keel.registry.createRegisteredModel({ name: "on-s3" });
    await keel.registry.createModelVersion({ name: "on-s3", source: "s3://bucket/models/churn" });
    for (const load of [keel.loadModelInfo("models:/on-s3/1"), keel.downloadModel("models:/on-s3/1", "/tmp/never-written")]) {
      const error = await rejection(load);
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      expect(error.message).toContain("only through the tracking server");
    }
  });

  it("says when a version points at a run directory that holds no model", async () => {
    const run = await keel.startRun({ experiment: "log-model" });
    await keel.registry.createRegisteredModel({ name: "hollow" });
    await keel.registry.createModelVersion({ name: "hollow", source: `runs:/${run.runId}/nothing`, run_id: run.runId });
    const error = await rejection(keel.loadModelInfo("models:/hollow/1"));
    expect(error.code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(error.message).toContain("no MLmodel file");
    await run.end();
  });
});
