import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { artifactLocationToStorePath, validateArtifactLocation } from "./artifact-location.js";


/** Locations that must never be read or written through the server's store. */
const OUTSIDE: readonly string[] = [
  "http:///?/../../../../etc/",
  "http:///#/../../etc/",
  "http:\\/\\/\\/#\\/..\\/..\\/etc\\/",
  "http://example.com/a/b",
  "https://example.com/a/b",
  "file:///etc/passwd",
  "file:///tmp/keel",
  "s3://bucket/a/b",
  "gs://bucket/a",
  "/abs/path",
  "relative/path",
  "",
  "mlflow-artifacts",
  "mlflow-artifacts:a/b",
  "mlflow-artifacts:/../etc",
  "mlflow-artifacts:/1/../../etc",
  "mlflow-artifacts:/1/%2e%2e/%2e%2e/etc",
  "mlflow-artifacts:/1/%252e%252e/x",
  "mlflow-artifacts:/1/..;/x",
  "mlflow-artifacts:/a?/../../etc",
  "mlflow-artifacts:/a#/../../etc",
  "mlflow-artifacts:/a\\..\\..\\etc",
  "mlflow-artifacts:/a\u0000b",
  "mlflow-artifacts://user@host/a",
  "mlflow-artifacts://host/../etc",
  "mlflow-artifacts://host:5000/a/../../b",
  "mlflow-artifacts://%2e%2e/a",
  "mlflow-artifacts:/C:/Windows",
  "xmlflow-artifacts:/a",
];

const INSIDE: readonly (readonly [uri: string, storePath: string])[] = [
  ["mlflow-artifacts:/1/abc/artifacts", "1/abc/artifacts"],
  ["mlflow-artifacts:/a/b", "a/b"],
  ["mlflow-artifacts://host:5000/a/b", "a/b"],
  ["mlflow-artifacts://localhost/a/b", "a/b"],
  ["mlflow-artifacts://[::1]:5000/a/b", "a/b"],
  ["mlflow-artifacts:///a/b", "a/b"],
  ["mlflow-artifacts:/", ""],
  ["mlflow-artifacts://host:5000", ""],
  ["mlflow-artifacts:/a/b/", "a/b"],
  ["MLFLOW-ARTIFACTS:/a/b", "a/b"],
];

describe("artifactLocationToStorePath", () => {
  it.each(OUTSIDE.map((uri) => [JSON.stringify(uri), uri]))("refuses %s", (_label, uri) => {
    const error = refusal(() => artifactLocationToStorePath(uri));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toContain("is outside the server's artifact destination");
  });

  it.each(INSIDE)("maps %s to %j", (uri, storePath) => {
    expect(artifactLocationToStorePath(uri)).toBe(storePath);
  });

  it("explains a traversal in a proxied location", () => {
    expect(refusal(() => artifactLocationToStorePath("mlflow-artifacts:/1/../../etc")).message).toBe(
      "artifact location 'mlflow-artifacts:/1/../../etc' is outside the server's artifact destination: " +
        "artifact path '1/../../etc' escapes the artifact root; use a relative path inside the run's artifacts",
    );
  });
});

describe("validateArtifactLocation", () => {
  it.each(INSIDE)("accepts %s", (uri) => {
    expect(() => validateArtifactLocation(uri)).not.toThrow();
  });

  it.each(OUTSIDE.map((uri) => [JSON.stringify(uri), uri]))("refuses %s", (_label, uri) => {
    expect(refusal(() => validateArtifactLocation(uri)).code).toBe("INVALID_PARAMETER_VALUE");
  });

  it("tells the user Keel proxies artifacts and how to get the default", () => {
    const message = refusal(() => validateArtifactLocation("s3://bucket/team-a")).message;
    expect(message).toContain("Keel proxies artifacts");
    expect(message).toContain("mlflow-artifacts:/");
    expect(message).toContain("omit the artifact location to get the default");
  });
});
