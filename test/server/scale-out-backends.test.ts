import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server/start-server.js";
import { startServer } from "../../src/server/start-server.js";
import { startS3rver } from "../artifacts/s3rver-process.js";
import type { RunningS3rver } from "../artifacts/s3rver-process.js";
import { POSTGRES_SKIP_REASON, POSTGRES_URL, freshPostgresUri } from "../support/databases.js";
import { get, post } from "./harness.js";
import { rawRequest } from "./raw-http.js";

/**
 * `keel server` on its scale-out backends, end to end over HTTP: PostgreSQL for metadata and an
 * S3-compatible bucket (s3rver, started here) for artifacts.
 */
describe.skipIf(!POSTGRES_URL)(`keel server on PostgreSQL and S3 ${POSTGRES_URL ? "" : `(${POSTGRES_SKIP_REASON})`}`, () => {
  let s3: RunningS3rver;
  let s3Dir: string;
  let server: RunningServer;
  let dropDatabase: () => Promise<void>;
  beforeAll(async () => {
    s3Dir = mkdtempSync(join(tmpdir(), "keel-s3-"));
    s3 = await startS3rver(s3Dir);
    Object.assign(process.env, { AWS_ENDPOINT_URL: s3.endpoint, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" });
    const admin = new S3Client({ endpoint: s3.endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    await admin.send(new CreateBucketCommand({ Bucket: "keel-e2e" }));
    const database = await freshPostgresUri();
    dropDatabase = database.cleanup;
    server = await startServer({ host: "127.0.0.1", port: 0, backendStoreUri: database.uri, artifactsDestination: "s3://keel-e2e/team-a" });
  });
  afterAll(async () => {
    await server?.close();
    await dropDatabase?.();
    await s3?.stop();
    rmSync(s3Dir, { recursive: true, force: true });
  });

  it("tracks a run and proxies its artifacts to the bucket", async () => {
    const api = `${server.url}/api/2.0/mlflow`;
    const { body: created } = await post(`${api}/experiments/create`, { name: "churn" });
    const { body: runBody } = await post(`${api}/runs/create`, { experiment_id: created.experiment_id, run_name: "rf" });
    const info = (runBody.run as { info: { run_id: string; artifact_uri: string } }).info;
    await post(`${api}/runs/log-batch`, { run_id: info.run_id, params: [{ key: "depth", value: "8" }], metrics: [{ key: "auc", value: 0.9, timestamp: 1, step: 0 }] });

    const storePath = info.artifact_uri.replace("mlflow-artifacts:/", "");
    expect((await rawRequest(server.url, "PUT", `/api/2.0/mlflow-artifacts/artifacts/${storePath}/model/MLmodel`, "flavors: {}\n")).status).toBe(200);
    const listed = await get(`${api}/artifacts/list?run_id=${info.run_id}&path=model`);
    expect(listed.body.files).toEqual([{ path: "model/MLmodel", is_dir: false, file_size: 12 }]);
    const fetched = await rawRequest(server.url, "GET", `/get-artifact?run_id=${info.run_id}&path=model/MLmodel`);
    expect(fetched.text).toBe("flavors: {}\n");
    expect((await rawRequest(server.url, "GET", `/get-artifact?run_id=${info.run_id}&path=../../x`)).status).toBe(400);
    expect((await rawRequest(server.url, "DELETE", `/api/2.0/mlflow-artifacts/artifacts/${storePath}/model`)).status).toBe(200);
    expect((await get(`${api}/artifacts/list?run_id=${info.run_id}`)).body.files).toEqual([]);

    const found = await post(`${api}/runs/search`, { experiment_ids: [created.experiment_id], filter: "metrics.auc > 0.5 and params.depth = '8'" });
    expect((found.body.runs as unknown[]).length).toBe(1);
  });
});
