import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempFiles } from "../../test/support/servers.js";
import { describeDeployModel } from "./deploy-model.js";

let files: { dir: string; cleanup(): void };
beforeAll(() => {
  files = tempFiles({ "churn-model/MLmodel": "flavors: {onnx: {}}\n", "churn-model/model.onnx": "x", "notes/readme.txt": "x" });
  mkdirSync(join(files.dir, "empty"));
});
afterAll(() => files.cleanup());

describe("describeDeployModel", () => {
  it.each([
    ["models:/churn@production", "churn"],
    ["models:/Churn Classifier/3", "Churn Classifier"],
    ["models:/churn/Production", "churn"],
    ["models:/churn/latest", "churn"],
    ["runs:/0123abcd/classifier", "classifier"],
    ["mlflow-artifacts:/1/0123abcd/artifacts/model", "model"],
    ["s3://bucket/models/fraud/", "fraud"],
  ])("names %s after %s, with no local directory", async (uri, name) => {
    expect(await describeDeployModel(uri, files.dir)).toEqual({ uri, name });
  });

  it("takes a local model directory by relative path, absolute path or file: URI", async () => {
    const dir = join(files.dir, "churn-model");
    for (const uri of ["churn-model", dir, pathToFileURL(dir).href]) {
      expect(await describeDeployModel(uri, files.dir)).toEqual({ uri, name: "churn-model", localDir: dir });
    }
  });

  it.each([
    ["notes", /has no MLmodel file/],
    ["empty", /has no MLmodel file/],
    ["missing-dir", /neither a model URI .* nor an existing directory/],
    ["gs://bucket/model", /cannot read models from 'gs:' URIs/],
    ["models:/churn/Prod", /Not a proper models:\/ URI/],
    ["models:/churn@production\nRUN rm -rf /", /control characters/],
  ])("refuses %j", async (uri, message) => {
    await expect(describeDeployModel(uri, files.dir)).rejects.toThrow(message);
  });
});
