import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { MODEL_STAGES, formatModelUri, normaliseStage, parseModelUri, validateAlias } from "./model-uri.js";
import type { ModelUri } from "./model-uri.js";

describe("parseModelUri: models:/ URIs", () => {
  it("reads versions, stages in any case, latest and aliases as MLflow does", () => {
    expect(parseModelUri("models:/churn/3")).toEqual({ kind: "version", name: "churn", version: "3" });
    expect(parseModelUri("models:/churn/production")).toEqual({ kind: "stage", name: "churn", stage: "Production" });
    expect(parseModelUri("models:/churn/STAGING")).toEqual({ kind: "stage", name: "churn", stage: "Staging" });
    expect(parseModelUri("models:/churn/None")).toEqual({ kind: "stage", name: "churn", stage: "None" });
    expect(parseModelUri("models:/churn/Latest")).toEqual({ kind: "latest", name: "churn" });
    expect(parseModelUri("models:/churn@champion")).toEqual({ kind: "alias", name: "churn", alias: "champion" });
    expect(parseModelUri("MODELS:/churn/1")).toEqual({ kind: "version", name: "churn", version: "1" });
  });

  it("keeps names MLflow keeps: spaces, dots and '@' before a version", () => {
    expect(parseModelUri("models:/Churn model v2.1/7")).toEqual({ kind: "version", name: "Churn model v2.1", version: "7" });
    expect(parseModelUri("models:/a@b/2")).toEqual({ kind: "version", name: "a@b", version: "2" });
    // MLflow splits the alias off at the last '@'.
    expect(parseModelUri("models:/team@churn@prod")).toEqual({ kind: "alias", name: "team@churn", alias: "prod" });
  });

  it("refuses malformed URIs with a message listing the accepted forms", () => {
    for (const uri of [
      "models:/",
      "models:",
      "models:churn/1",
      "models:/ /1",
      "models:/churn/",
      "models:/churn/1/MLmodel",
      "models:/team/churn/1",
      "models:/churn/Prod",
      "models:/churn@",
      "models:/@champion",
      "models:/churn/1?x=1",
    ]) {
      const error = refusal(() => parseModelUri(uri));
      expect(error.code, uri).toBe("INVALID_PARAMETER_VALUE");
      expect(error.message, uri).toContain(`Not a proper models:/ URI: ${uri}.`);
      expect(error.message, uri).toContain("'models:/<name>/<version>'");
      expect(error.message, uri).toContain("'models:/<name>@<alias>'");
    }
  });

  it("says why a stage is not accepted, naming the stages", () => {
    const error = refusal(() => parseModelUri("models:/churn/Prod"));
    expect(error.message).toContain("'Prod' is neither a version number, a stage nor 'latest'");
    expect(error.message).toContain("None, Staging, Production, Archived");
  });

  it("refuses Databricks profile URIs and MLflow 3 logged-model IDs clearly", () => {
    expect(refusal(() => parseModelUri("models://myprofile/churn/1")).message).toContain("Databricks workspace profile");
    expect(refusal(() => parseModelUri("models:/m-0112ba8babe744e9b9c2e4a61086b08e")).message).toContain(
      "MLflow 3 logged-model ID",
    );
  });

  it("refuses reserved and malformed aliases with MLflow's wording", () => {
    expect(refusal(() => parseModelUri("models:/churn@v3")).message).toContain("Version alias name 'v3' is reserved");
    expect(refusal(() => parseModelUri("models:/churn@latest")).message).toContain(
      "'latest' alias name (case insensitive) is reserved",
    );
    expect(refusal(() => parseModelUri("models:/churn@a.b")).message).toContain("Invalid alias name: 'a.b'");
  });
});

describe("parseModelUri: runs:/ URIs", () => {
  it("splits the run ID from the path inside the run", () => {
    expect(parseModelUri("runs:/0a1b2c3d/model")).toEqual({ kind: "run", runId: "0a1b2c3d", path: "model" });
    expect(parseModelUri("runs:/0a1b2c3d/models/churn/")).toEqual({ kind: "run", runId: "0a1b2c3d", path: "models/churn" });
  });

  it("refuses a missing run ID or path", () => {
    expect(refusal(() => parseModelUri("runs:/")).message).toContain("the run ID is missing");
    expect(refusal(() => parseModelUri("runs:/0a1b2c3d")).message).toContain("path of the model inside the run is missing");
    expect(refusal(() => parseModelUri("runs:/0a1b2c3d/")).message).toContain("runs:/<run_id>/<path inside the run>");
    expect(refusal(() => parseModelUri("runs:/bad id/model")).message).toContain("'bad id' is not a valid run ID");
  });

  it("refuses paths that climb out of the run, even percent-encoded", () => {
    const unsafe: Record<string, string> = {
      "runs:/r1/../other-run/model": "'..'",
      "runs:/r1/model/../../x": "'..'",
      "runs:/r1/%2e%2e/x": "'..'",
      "runs:/r1/%252e%252e/x": "'..'",
      "runs:/r1/model\\..\\x": "backslashes",
      "runs:/r1//etc/passwd": "absolute",
      "runs:/r1/%2Fetc/passwd": "absolute",
      "runs:/r1/C:/Windows": "absolute",
      "runs:/r1/model%00.onnx": "NUL",
      "runs:/r1/a/./b": "'.' segments",
      "runs:/r1/model#frag": "'#'",
      "runs:/r1/%zz": "malformed percent-encoding",
    };
    for (const [uri, reason] of Object.entries(unsafe)) {
      const error = refusal(() => parseModelUri(uri));
      expect(error.code, uri).toBe("INVALID_PARAMETER_VALUE");
      expect(error.message, uri).toContain(reason);
    }
    expect(refusal(() => parseModelUri("runs:/r1/model\0")).message).toContain("NUL");
  });
});

describe("parseModelUri: artifact locations", () => {
  it("passes through the schemes Keel's artifact stores read, and local paths", () => {
    for (const uri of [
      "mlflow-artifacts:/1/abc/artifacts/model",
      "s3://bucket/mlflow/1/abc/artifacts/model",
      "file:///srv/keel/models/churn",
      "/srv/keel/models/churn",
      "./models/churn",
      "../models/churn",
      "C:\\models\\churn",
    ]) {
      expect(parseModelUri(uri)).toEqual({ kind: "artifact", uri });
    }
  });

  it("refuses schemes no Keel store reads, and '..' in server-relative artifact URIs", () => {
    expect(refusal(() => parseModelUri("gs://bucket/model")).message).toContain("cannot read models from 'gs:' URIs");
    expect(refusal(() => parseModelUri("https://example.com/m")).message).toContain("mlflow-artifacts:, s3:, file:");
    expect(refusal(() => parseModelUri("mlflow-artifacts:/1/../../etc")).message).toContain("'..' is not allowed");
    expect(refusal(() => parseModelUri("")).message).toContain("a model URI is required");
  });
});

describe("formatModelUri", () => {
  it("writes every kind so that it parses back to the same value", () => {
    const uris: ModelUri[] = [
      { kind: "version", name: "churn", version: "12" },
      { kind: "stage", name: "churn", stage: "Archived" },
      { kind: "latest", name: "churn" },
      { kind: "alias", name: "churn", alias: "champion" },
      { kind: "run", runId: "0a1b2c3d", path: "model" },
      { kind: "artifact", uri: "s3://bucket/model" },
    ];
    for (const u of uris) expect(parseModelUri(formatModelUri(u))).toEqual(u);
    expect(formatModelUri({ kind: "stage", name: "churn", stage: "production" })).toBe("models:/churn/Production");
  });

  it("refuses values that cannot round-trip", () => {
    expect(refusal(() => formatModelUri({ kind: "version", name: "team/churn", version: "1" })).code).toBe(
      "INVALID_PARAMETER_VALUE",
    );
    expect(refusal(() => formatModelUri({ kind: "version", name: "churn", version: "one" })).message).toContain(
      "Not a proper models:/ URI",
    );
  });
});

describe("stages and aliases", () => {
  it("normalises stage names in any case and rejects others", () => {
    expect(MODEL_STAGES).toEqual(["None", "Staging", "Production", "Archived"]);
    expect(normaliseStage("archived")).toBe("Archived");
    expect(normaliseStage("NONE")).toBe("None");
    expect(normaliseStage("prod")).toBeUndefined();
  });

  it("applies MLflow's alias rules in MLflow's order and words", () => {
    expect(validateAlias("champion")).toBe("champion");
    expect(validateAlias("blue-green_2")).toBe("blue-green_2");
    expect(validateAlias("vainqueur")).toBe("vainqueur");
    expect(validateAlias("café")).toBe("café");
    expect(refusal(() => validateAlias("")).message).toBe("Registered model alias name cannot be empty.");
    expect(refusal(() => validateAlias(undefined)).message).toBe("Registered model alias name cannot be empty.");
    expect(refusal(() => validateAlias(7)).message).toBe("Registered model alias name must be a string, got number.");
    expect(refusal(() => validateAlias("a b")).message).toBe(
      "Invalid alias name: 'a b'. Names may only contain alphanumerics, underscores (_), and dashes (-).",
    );
    expect(refusal(() => validateAlias("a".repeat(256))).message).toBe(
      "'Registered model alias name' exceeds the maximum length of 255 characters",
    );
    expect(validateAlias("a".repeat(255))).toHaveLength(255);
    expect(refusal(() => validateAlias("LaTeSt")).message).toBe("'latest' alias name (case insensitive) is reserved.");
    expect(refusal(() => validateAlias("V12")).message).toBe("Version alias name 'V12' is reserved.");
    expect(refusal(() => validateAlias("line\nbreak")).code).toBe("INVALID_PARAMETER_VALUE");
  });
});
