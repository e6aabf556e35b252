import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";

/**
 * The registry over real HTTP, sent as MLflow's Python client sends it: POST and PATCH with JSON bodies,
 * DELETE with a JSON body, GET with a query string. (The npm `mlflow` client has no registry calls.)
 */
type Json = Record<string, unknown>;

describe("the MLflow Model Registry API over HTTP", () => {
  let server: TestServer;
  let runId = "";
  let artifactUri = "";

  async function call(method: string, path: string, body?: Json): Promise<{ status: number; json: Json }> {
    const isQuery = method === "GET";
    const url = new URL(`${server.url}/api/2.0${path}`);
    if (isQuery && body) for (const [k, v] of Object.entries(body)) for (const item of [v].flat()) url.searchParams.append(k, String(item));
    const response = await fetch(url, {
      method,
      ...(!isQuery && body ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: (await response.json()) as Json };
  }

  async function ok(method: string, path: string, body?: Json): Promise<Json> {
    const { status, json } = await call(method, path, body);
    expect(status, `${method} ${path}: ${JSON.stringify(json)}`).toBe(200);
    return json;
  }

  beforeAll(async () => {
    server = await startTestServer();
    const run = (await ok("POST", "/mlflow/runs/create", { experiment_id: "0" })) as { run: { info: { run_id: string; artifact_uri: string } } };
    runId = run.run.info.run_id;
    artifactUri = run.run.info.artifact_uri;
  });
  afterAll(async () => server.close());

  it("registers, promotes, aliases, searches and deletes as MLflow does", async () => {
    await ok("POST", "/mlflow/registered-models/create", { name: "churn", tags: [{ key: "team", value: "risk" }], description: "churn model" });
    for (let i = 0; i < 3; i += 1) {
      const created = (await ok("POST", "/mlflow/model-versions/create", { name: "churn", source: `runs:/${runId}/model`, run_id: runId })) as {
        model_version: Json;
      };
      expect(created.model_version).toMatchObject({ name: "churn", version: String(i + 1), current_stage: "None", status: "READY", run_id: runId });
    }
    expect(await ok("GET", "/mlflow/model-versions/get-download-uri", { name: "churn", version: "2" })).toEqual({ artifact_uri: `${artifactUri}/model` });

    await ok("POST", "/mlflow/model-versions/transition-stage", { name: "churn", version: "1", stage: "Production", archive_existing_versions: false });
    const moved = await ok("POST", "/mlflow/model-versions/transition-stage", { name: "churn", version: "2", stage: "production", archive_existing_versions: true });
    expect(moved).toMatchObject({ model_version: { version: "2", current_stage: "Production" } });
    const latest = (await ok("POST", "/mlflow/registered-models/get-latest-versions", { name: "churn", stages: ["Production", "Archived"] })) as {
      model_versions: Json[];
    };
    expect(latest.model_versions.map((v) => [v.version, v.current_stage])).toEqual([["1", "Archived"], ["2", "Production"]]);
    const latestGet = (await ok("GET", "/mlflow/registered-models/get-latest-versions", { name: "churn" })) as { model_versions: Json[] };
    expect(latestGet.model_versions).toHaveLength(3);

    await ok("POST", "/mlflow/registered-models/alias", { name: "churn", alias: "champion", version: "3" });
    expect(await ok("GET", "/mlflow/registered-models/alias", { name: "churn", alias: "champion" })).toMatchObject({
      model_version: { version: "3", aliases: ["champion"] },
    });
    await ok("PATCH", "/mlflow/model-versions/update", { name: "churn", version: "3", description: "candidate" });
    await ok("POST", "/mlflow/model-versions/set-tag", { name: "churn", version: "3", key: "validated", value: "true" });
    const found = (await ok("GET", "/mlflow/model-versions/search", { filter: "name = 'churn' and tags.validated = 'true'" })) as { model_versions: Json[] };
    expect(found.model_versions.map((v) => v.version)).toEqual(["3"]);
    expect(found.model_versions[0]).toMatchObject({ description: "candidate", tags: [{ key: "validated", value: "true" }] });

    const model = (await ok("GET", "/mlflow/registered-models/get", { name: "churn" })) as { registered_model: Json };
    expect(model.registered_model).toMatchObject({ name: "churn", description: "churn model", aliases: [{ alias: "champion", version: "3" }] });
    const searched = (await ok("GET", "/mlflow/registered-models/search", { filter: "name ILIKE 'CH%'" })) as { registered_models: Json[] };
    expect(searched.registered_models.map((m) => m.name)).toEqual(["churn"]);

    await ok("DELETE", "/mlflow/model-versions/delete-tag", { name: "churn", version: "3", key: "validated" });
    await ok("DELETE", "/mlflow/registered-models/alias", { name: "churn", alias: "champion" });
    await ok("DELETE", "/mlflow/model-versions/delete", { name: "churn", version: "3" });
    await ok("POST", "/mlflow/registered-models/rename", { name: "churn", new_name: "churn-v2" });
    expect((await call("GET", "/mlflow/registered-models/get", { name: "churn" })).json).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST" });
    await ok("DELETE", "/mlflow/registered-models/delete", { name: "churn-v2" });
  });

  it("keeps an audit trail and rolls an alias back in one call", async () => {
    await ok("POST", "/mlflow/registered-models/create", { name: "fraud" });
    for (let i = 0; i < 2; i += 1) await ok("POST", "/mlflow/model-versions/create", { name: "fraud", source: `runs:/${runId}/model` });
    await ok("POST", "/mlflow/registered-models/alias", { name: "fraud", alias: "production", version: "1" });
    await ok("POST", "/mlflow/registered-models/alias", { name: "fraud", alias: "production", version: "2" });
    const rolled = await ok("POST", "/keel/registered-models/rollback", { name: "fraud", alias: "production" });
    expect(rolled).toMatchObject({ model_version: { version: "1" }, audit_entry: { action: "rollback", from: "2", to: "1", actor: "anonymous" } });
    const audit = (await ok("GET", "/keel/registered-models/audit", { name: "fraud" })) as { entries: Json[] };
    expect(audit.entries.map((e) => e.action)).toEqual(["rollback", "set_alias", "set_alias", "create_model_version", "create_model_version", "create_registered_model"]);
    expect(audit.entries[1]).toMatchObject({ target: "alias:production", from: "1", to: "2" });
  });

  it("refuses the local-source chain of CVE-2023-1177 and serves nothing from outside the store", async () => {
    await ok("POST", "/mlflow/registered-models/create", { name: "lfi" });
    for (const source of ["file:///etc/", "/etc", "file:///tmp/..\\..\\etc", "mlflow-artifacts:/0/../../../etc", `runs:/${runId}/../../../../etc`]) {
      const { status, json } = await call("POST", "/mlflow/model-versions/create", { name: "lfi", source });
      expect(status, source).toBe(400);
      expect(json.error_code).toBe("INVALID_PARAMETER_VALUE");
    }
    const leak = await fetch(`${server.url}/model-versions/get-artifact?path=passwd&name=lfi&version=1`);
    expect(leak.status).toBe(404);
    expect(await leak.text()).not.toContain("root:");
  });
});
