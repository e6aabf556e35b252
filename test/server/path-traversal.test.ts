import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, realServer } from "./harness.js";
import { rawRequest } from "./raw-http.js";

/**
 * MLflow's published path-traversal and local-file-inclusion advisories, tried on every endpoint that takes a
 * path or a location. Nothing outside the artifact destination may be read, written or deleted.
 */
const SECRET = "keel-secret-content";

/** Path shapes as they appear in URLs and query strings (raw, not normalised by a client). */
const PATH_SHAPES: readonly string[] = [
  "../secret.txt",
  "../../secret.txt",
  "a/../../secret.txt",
  "%2e%2e/secret.txt",
  "%2E%2E%2Fsecret.txt",
  "%252e%252e%252fsecret.txt",
  "%25252e%25252e/secret.txt",
  "..%2fsecret.txt",
  "..%5csecret.txt",
  "..\\secret.txt",
  "%2fetc%2fpasswd",
  "/etc/passwd",
  "C:%5cWindows%5cwin.ini",
  "a%00.txt",
  "a/..;/..;/secret.txt",
  "..;/secret.txt",
  "a%23/../../secret.txt",
  "a%3f/../../secret.txt",
  "escape/secret.txt",
];

const LOCATION_SHAPES: readonly string[] = [
  "file:///etc/",
  "/etc",
  "http:///?/../../../../etc/",
  "http:///#/../../../../etc/",
  "http:\\/\\/\\/#\\/..\\/..\\/etc\\/",
  "mlflow-artifacts:/../../etc",
  "mlflow-artifacts:/%2e%2e/%2e%2e/etc",
  "s3://other-bucket/x",
  "file:///tmp/../etc",
];

describe("path traversal and local file inclusion", () => {
  let server: Awaited<ReturnType<typeof realServer>>;
  let runId = "";
  let outside = "";
  beforeAll(async () => {
    server = await realServer();
    // A secret next to the artifact root, and a symlink inside the root that points at it.
    outside = mkdtempSync(join(tmpdir(), "keel-outside-"));
    writeFileSync(join(outside, "secret.txt"), SECRET);
    writeFileSync(join(dirname(server.artifactsDir), "secret.txt"), SECRET);
    symlinkSync(outside, join(server.artifactsDir, "escape"));
    const created = await post(`${server.url}/api/2.0/mlflow/runs/create`, { experiment_id: "0" });
    runId = (created.body.run as { info: { run_id: string } }).info.run_id;
    mkdirSync(join(server.artifactsDir, "0", runId, "artifacts"), { recursive: true });
    // The same escape inside the run's own artifact directory, for the endpoints that resolve paths per run.
    symlinkSync(outside, join(server.artifactsDir, "0", runId, "artifacts", "escape"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(outside, { recursive: true, force: true });
    rmSync(join(dirname(server.artifactsDir), "secret.txt"), { force: true });
  });

  const endpoints = (shape: string): [string, string, string | undefined][] => [
    ["GET", `/api/2.0/mlflow-artifacts/artifacts/${shape}`, undefined],
    ["PUT", `/api/2.0/mlflow-artifacts/artifacts/${shape}`, "overwritten"],
    ["DELETE", `/api/2.0/mlflow-artifacts/artifacts/${shape}`, undefined],
    ["GET", `/api/2.0/mlflow-artifacts/artifacts?path=${shape}`, undefined],
    ["GET", `/ajax-api/2.0/mlflow-artifacts/artifacts/${shape}`, undefined],
    ["GET", `/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=${shape}`, undefined],
    ["GET", `/get-artifact?run_id=${runId}&path=${shape}`, undefined],
    ["GET", `/get-artifact?run_uuid=${runId}&path=${shape}`, undefined],
  ];

  it("refuses every path shape on every artifact endpoint, and nothing outside changes", async () => {
    const leaks: string[] = [];
    for (const shape of PATH_SHAPES) {
      for (const [method, path, body] of endpoints(shape)) {
        const response = await rawRequest(server.url, method, path, body, body ? { "content-type": "application/octet-stream" } : {});
        const refused = response.status >= 400 && response.status < 500;
        if (!refused || response.text.includes(SECRET) || response.text.includes("root:")) {
          leaks.push(`${method} ${path} -> ${response.status} ${response.text.slice(0, 80)}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(readdirSync(outside)).toEqual(["secret.txt"]);
    expect(existsSync(join(dirname(server.artifactsDir), "secret.txt"))).toBe(true);
    const health = await rawRequest(server.url, "GET", "/health");
    expect(health.text).toBe("OK");
  });

  it("refuses experiment artifact locations outside the proxied store", async () => {
    for (const [i, location] of LOCATION_SHAPES.entries()) {
      const response = await post(`${server.url}/api/2.0/mlflow/experiments/create`, { name: `lfi-${i}`, artifact_location: location });
      expect(response.status, location).toBe(400);
      expect(response.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
  });

  it("still serves ordinary artifact paths", async () => {
    const base = `/api/2.0/mlflow-artifacts/artifacts/0/${runId}/artifacts`;
    expect((await rawRequest(server.url, "PUT", `${base}/dir/a%20b.txt`, "hello")).status).toBe(200);
    const listed = await rawRequest(server.url, "GET", `/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=dir`);
    expect(JSON.parse(listed.text)).toMatchObject({ files: [{ path: "dir/a b.txt", is_dir: false, file_size: 5 }] });
    const fetched = await rawRequest(server.url, "GET", `/get-artifact?run_id=${runId}&path=dir/a%20b.txt`);
    expect(fetched.text).toBe("hello");
  });
});
