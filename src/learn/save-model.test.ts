import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseMlModel } from "../core/mlmodel.js";
import { churnTable } from "./data/fixtures/churn-table.js";
import { runPipelineOnnx } from "./data/fixtures/run-pipeline-onnx.js";
import { createLogisticRegression } from "./linear/index.js";
import { createPipeline } from "./pipeline.js";
import { saveModel } from "./save-model.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("saveModel", () => {
  it("writes an MLflow model directory whose model.onnx predicts as the pipeline does", async () => {
    const frame = churnTable(200);
    const fitted = await createPipeline({ learner: createLogisticRegression({}) }).fit(frame, "churn", { seed: 1 });
    const dir = join(mkdtempSync(join(tmpdir(), "keel-save-")), "model");
    dirs.push(dir);
    await saveModel(fitted, dir, { exampleRows: frame });
    for (const file of ["MLmodel", "model.onnx", "input_example.json", "requirements.txt", "conda.yaml", "python_env.yaml"]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const mlmodel = parseMlModel(readFileSync(join(dir, "MLmodel"), "utf8"));
    expect(mlmodel.artifactPath).toBeUndefined();
    expect(mlmodel.flavors.python_function?.loader_module).toBe("mlflow.onnx");
    expect(mlmodel.signature?.inputs.map((i) => i.name)).toEqual(fitted.inputs.map((i) => i.name));
    if (fitted.task !== "classification") throw new Error("expected a classifier");
    const onnxRun = await runPipelineOnnx(new Uint8Array(readFileSync(join(dir, "model.onnx"))), fitted.inputs, frame);
    expect(Array.from(onnxRun.outputs.label.data as BigInt64Array, Number)).toEqual(Array.from(fitted.predict(frame)));
  });
});
