import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import {
  MODEL_FILES,
  formatMlModel,
  formatUtcTimeCreated,
  onnxMlModel,
  parseMlModel,
  pythonEnvFiles,
} from "./mlmodel.js";
import type { ModelSignature } from "./model-signature.js";

function fixture(name: string): { text: string; body: string } {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
  // The fixtures open with comment lines saying where they come from; MLflow writes none.
  return { text, body: text.replace(/^(#.*\n)+/, "") };
}

const LINEAR: ModelSignature = {
  inputs: [{ kind: "tensor", name: "X", dtype: "float32", shape: [-1, 3] }],
  outputs: [{ kind: "tensor", name: "Y", dtype: "float32", shape: [-1, 2] }],
};

describe("parseMlModel on MLflow-written files", () => {
  it("reads an MLflow 2.14 sklearn MLmodel", () => {
    const model = parseMlModel(fixture("mlflow-sklearn-MLmodel.yaml").text, "sklearn/MLmodel");
    expect(model.artifactPath).toBe("model");
    expect(model.runId).toBe("a1b2c3d4e5f60718293a4b5c6d7e8f90");
    expect(model.utcTimeCreated).toBe("2024-06-18 09:41:27.512930");
    expect(model.mlflowVersion).toBe("2.14.3");
    expect(model.modelSizeBytes).toBe(183412);
    expect(model.flavors.python_function).toMatchObject({ loader_module: "mlflow.sklearn", python_version: "3.11.9" });
    expect(model.flavors.sklearn).toEqual({
      code: null,
      pickled_model: "model.pkl",
      serialization_format: "cloudpickle",
      sklearn_version: "1.5.0",
    });
    expect(model.signature?.inputs).toHaveLength(12);
    expect(model.signature?.inputs[11]).toEqual({ kind: "column", name: "region", type: "string", required: true });
    expect(model.signature?.outputs).toEqual([{ kind: "column", type: "long", required: true }]);
    expect(model.savedInputExampleInfo).toEqual({ artifact_path: "input_example.json", pandas_orient: "split", type: "dataframe" });
    expect(model.extra).toEqual({});
  });

  it("reads an MLflow 3.4 onnx MLmodel, keeping MLflow 3's keys in extra", () => {
    const model = parseMlModel(fixture("mlflow-onnx-MLmodel.yaml").text);
    expect(model.flavors.onnx).toMatchObject({ onnx_version: "1.17.0", data: "model.onnx", onnx_session_options: null });
    expect(model.signature?.outputs.map((o) => o.name)).toEqual(["label", "probabilities"]);
    expect(model.extra).toEqual({
      is_signature_from_type_hint: false,
      model_id: "m-7c1e2f3a4b5c4d6e8f9a0b1c2d3e4f5a",
      prompts: null,
      type_hint_from_example: false,
    });
  });

  it("writes both back byte for byte", () => {
    for (const name of ["mlflow-sklearn-MLmodel.yaml", "mlflow-onnx-MLmodel.yaml"]) {
      const { text, body } = fixture(name);
      expect(formatMlModel(parseMlModel(text, name)), name).toBe(body);
    }
  });

  it("reads files from old MLflow versions and by hand: unquoted times stay text, unknown keys survive", () => {
    const text = [
      "artifact_path: model",
      "databricks_runtime: 10.2.x-cpu-ml-scala2.12",
      "flavors:",
      "  python_function:",
      "    env: conda.yaml",
      "    loader_module: mlflow.sklearn",
      "    python_version: 3.8.10",
      "run_id: 1071d690ce374e6d8a2e12bdda2a106e",
      "utc_time_created: 2022-01-17 20:29:00.995838",
      "mlflow_version: 1.2",
      "",
    ].join("\n");
    const model = parseMlModel(text);
    expect(model.utcTimeCreated).toBe("2022-01-17 20:29:00.995838");
    expect(model.mlflowVersion).toBe("1.2");
    expect(model.extra).toEqual({ databricks_runtime: "10.2.x-cpu-ml-scala2.12" });
    expect(parseMlModel(formatMlModel(model))).toEqual(model);
  });
});

describe("parseMlModel errors", () => {
  it("names the source and says what is wrong", () => {
    expect(refusal(() => parseMlModel("flavors: [", "runs:/r1/model/MLmodel")).message).toMatch(
      /^runs:\/r1\/model\/MLmodel is not valid YAML: /,
    );
    expect(refusal(() => parseMlModel("artifact_path: model\n", "m/MLmodel")).message).toBe(
      "m/MLmodel has no 'flavors' mapping; every MLflow model names at least one flavor",
    );
    expect(refusal(() => parseMlModel("- a\n", "m/MLmodel")).message).toBe(
      "m/MLmodel must be a YAML mapping with a 'flavors' key",
    );
    expect(refusal(() => parseMlModel("flavors:\n  onnx: model.onnx\n", "m/MLmodel")).message).toBe(
      "m/MLmodel: flavor 'onnx' must be a mapping of settings",
    );
    expect(refusal(() => parseMlModel("flavors: {}\nmodel_size_bytes: -3\n", "m/MLmodel")).message).toBe(
      "m/MLmodel: 'model_size_bytes' must be a non-negative integer",
    );
    expect(refusal(() => parseMlModel("flavors: {}\nsignature:\n  inputs: '[{'\n", "m/MLmodel")).message).toMatch(
      /^m\/MLmodel: signature inputs is not valid JSON: /,
    );
    expect(refusal(() => parseMlModel("flavors: {}\nmetadata: [1]\n")).message).toBe(
      "MLmodel: 'metadata' must be a mapping",
    );
  });
});

describe("onnxMlModel", () => {
  const options = {
    artifactPath: "model",
    runId: "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    onnxVersion: "1.16.1",
    signature: LINEAR,
    inputExample: true,
    modelSizeBytes: 1234,
    now: new Date(Date.UTC(2024, 0, 1, 12, 0, 0, 123)),
    modelUuid: "0123456789abcdef0123456789abcdef",
  };

  it("writes the MLmodel mlflow.onnx.log_model writes (PyYAML's output for the same model)", () => {
    expect(formatMlModel(onnxMlModel(options))).toBe(
      [
        "artifact_path: model",
        "flavors:",
        "  onnx:",
        "    code: null",
        "    data: model.onnx",
        "    onnx_session_options: null",
        "    onnx_version: 1.16.1",
        "    providers:",
        "    - CUDAExecutionProvider",
        "    - CPUExecutionProvider",
        "  python_function:",
        "    data: model.onnx",
        "    env:",
        "      conda: conda.yaml",
        "      virtualenv: python_env.yaml",
        "    loader_module: mlflow.onnx",
        "    python_version: 3.11.7",
        "model_size_bytes: 1234",
        "model_uuid: 0123456789abcdef0123456789abcdef",
        "run_id: 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
        "saved_input_example_info:",
        "  artifact_path: input_example.json",
        "  pandas_orient: split",
        "  type: dataframe",
        "signature:",
        `  inputs: '[{"name": "X", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape":`,
        "    [-1, 3]}}]'",
        `  outputs: '[{"name": "Y", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape":`,
        "    [-1, 2]}}]'",
        "  params: null",
        "utc_time_created: '2024-01-01 12:00:00.123000'",
        "",
      ].join("\n"),
    );
  });

  it("round-trips through parse and format", () => {
    const model = onnxMlModel(options);
    expect(parseMlModel(formatMlModel(model))).toEqual(model);
  });

  it("gives a fresh uuid4 hex and the current time by default, and takes a tensor example's info", () => {
    const info = { artifact_path: "input_example.json", type: "ndarray", format: "tf-serving" };
    const model = onnxMlModel({ artifactPath: "model", onnxVersion: "1.16.1", inputExample: info });
    expect(model.modelUuid).toMatch(/^[0-9a-f]{12}4[0-9a-f]{19}$/);
    expect(model.modelUuid).not.toBe(onnxMlModel({ artifactPath: "model", onnxVersion: "1.16.1" }).modelUuid);
    expect(model.utcTimeCreated).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/);
    expect(model.savedInputExampleInfo).toEqual(info);
    expect(model.runId).toBeUndefined();
    expect(formatMlModel(model)).not.toContain("run_id");
  });

  it("refuses a path outside the run and a missing onnx version", () => {
    expect(refusal(() => onnxMlModel({ ...options, artifactPath: "../model" })).message).toContain("without '..'");
    expect(refusal(() => onnxMlModel({ ...options, onnxVersion: " " })).message).toContain("onnxVersion is required");
    expect(refusal(() => onnxMlModel({ ...options, modelSizeBytes: 1.5 })).message).toContain("non-negative integer");
  });
});

describe("formatUtcTimeCreated", () => {
  it("prints Python's str(datetime) of the UTC time", () => {
    expect(formatUtcTimeCreated(new Date("2024-07-25T22:31:01.090Z"))).toBe("2024-07-25 22:31:01.090000");
    expect(formatUtcTimeCreated(new Date("2024-07-25T22:31:01.000Z"))).toBe("2024-07-25 22:31:01");
    expect(refusal(() => formatUtcTimeCreated(new Date("nope"))).code).toBe("INVALID_PARAMETER_VALUE");
  });
});

describe("pythonEnvFiles", () => {
  it("writes requirements.txt, conda.yaml and python_env.yaml as MLflow does", () => {
    const files = pythonEnvFiles({ mlflowVersion: "2.14.3", onnxruntimeVersion: "1.18.0" });
    expect(Object.keys(files).sort()).toEqual([MODEL_FILES.condaEnv, MODEL_FILES.pythonEnv, MODEL_FILES.requirements]);
    expect(files["requirements.txt"]).toBe("mlflow==2.14.3\nonnx\nonnxruntime==1.18.0");
    expect(files["conda.yaml"]).toBe(
      "channels:\n- conda-forge\ndependencies:\n- python=3.11.7\n- pip\n- pip:\n" +
        "  - mlflow==2.14.3\n  - onnx\n  - onnxruntime==1.18.0\nname: mlflow-env\n",
    );
    expect(files["python_env.yaml"]).toBe(
      "python: 3.11.7\nbuild_dependencies:\n- pip\n- setuptools\n- wheel\ndependencies:\n- -r requirements.txt\n",
    );
    expect(pythonEnvFiles({ pythonVersion: "3.12.4" })["python_env.yaml"]).toMatch(/^python: 3\.12\.4\n/);
  });
});
