import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { createArtifactStore } from "./create-artifact-store.js";


describe("createArtifactStore", () => {
  it("opens S3 for s3://bucket/prefix", () => {
    expect(createArtifactStore("s3://ml-artifacts/keel/prod").rootUri).toBe("s3://ml-artifacts/keel/prod");
    expect(createArtifactStore("s3://ml-artifacts/keel/").rootUri).toBe("s3://ml-artifacts/keel");
    expect(createArtifactStore("s3://ml-artifacts").rootUri).toBe("s3://ml-artifacts");
  });

  it("opens a local directory for file:///abs, an absolute path or a relative one", () => {
    expect(createArtifactStore("file:///srv/keel/artifacts").rootUri).toBe("file:///srv/keel/artifacts");
    expect(createArtifactStore("/srv/keel/artifacts").rootUri).toBe("file:///srv/keel/artifacts");
    expect(createArtifactStore("./keel-data/artifacts").rootUri).toBe(pathToFileURL(resolve("keel-data/artifacts")).href);
    expect(createArtifactStore("keel-data").rootUri).toBe(pathToFileURL(resolve("keel-data")).href);
  });

  it.each([
    "http://example.com/artifacts",
    "https://example.com/artifacts",
    "gs://bucket/prefix",
    "mlflow-artifacts:/x",
    "s3:/bucket/prefix",
    "s3://",
    "s3://bucket/../escape",
    "s3://bucket/a?b",
    "file://remote-host/share",
    "",
  ])("refuses %j and lists the supported forms", (destination) => {
    const error = refusal(() => createArtifactStore(destination));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toContain("s3://<bucket>/<prefix>, file:///<absolute/dir>, or a directory path");
  });
});
