import { describe, expect, it } from "vitest";
import { artifactProxyPath, joinArtifactPaths, normaliseArtifactPath } from "./artifact-paths.js";

describe("artifactProxyPath", () => {
  it("strips the mlflow-artifacts scheme and appends the artifact path", () => {
    expect(artifactProxyPath("mlflow-artifacts:/1/abc/artifacts", "model/model.onnx")).toBe("1/abc/artifacts/model/model.onnx");
  });

  it("ignores a host in the URI, as MLflow's client does", () => {
    expect(artifactProxyPath("mlflow-artifacts://tracking:5000/1/abc/artifacts", "a.txt")).toBe("1/abc/artifacts/a.txt");
  });

  it("URL-encodes each segment", () => {
    expect(artifactProxyPath("mlflow-artifacts:/1/abc/artifacts", "plots/roc curve#1.png")).toBe("1/abc/artifacts/plots/roc%20curve%231.png");
  });

  it("refuses '..' and URIs the server does not proxy", () => {
    expect(() => artifactProxyPath("mlflow-artifacts:/1/abc/artifacts", "../../other")).toThrowError(/'\.\.'/);
    expect(() => artifactProxyPath("s3://bucket/1/abc/artifacts", "a.txt")).toThrowError(/not served through the tracking server/);
  });
});

describe("normaliseArtifactPath", () => {
  it("removes empty and '.' segments and turns backslashes into slashes", () => {
    expect(normaliseArtifactPath("/a//./b\\c/")).toBe("a/b/c");
    expect(joinArtifactPaths(undefined, "", "dir", "f.txt")).toBe("dir/f.txt");
  });
});
