import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Keel } from "../../src/client/index.js";
import { createKeel } from "../../src/client/index.js";
import { linearModelOnnx } from "../support/onnx-models.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer, tempDir } from "../support/servers.js";
import { keel as cli, rowOf } from "./cli-harness.js";

let server: TestServer;
let sdk: Keel;
let dir: { path: string; cleanup(): void };

/** Logs a 3-feature ONNX model with `accuracy` and registers it as the next version of `name`. */
async function logVersion(name: string, accuracy: number, features = 3): Promise<string> {
  return sdk.withRun({ experiment: "cli-models" }, async (run) => {
    run.logMetric("accuracy", accuracy);
    const columns = Array.from({ length: features }, (_, i) => `f${i}`);
    const info = await run.logModel(linearModelOnnx({ features }), {
      artifactPath: "model",
      inputExample: { columns, data: [columns.map((_, i) => i / 10)] },
      registeredModelName: name,
    });
    return info.modelVersion?.version ?? "";
  });
}

beforeAll(async () => {
  server = await startTestServer();
  sdk = createKeel({ trackingUri: server.url });
  const made = tempDir();
  dir = { path: made.dir, cleanup: made.cleanup };
  writeFileSync(
    join(dir.path, "gates.yaml"),
    ["checks:", "  - type: metric", "    metric: accuracy", "    min: 0.8", "  - type: regression", "    metric: accuracy", "    max_drop: 0.05", "  - type: latency", "    p99_ms: 1000", "  - type: signature", ""].join("\n"),
  );
  await logVersion("churn", 0.9);
  await logVersion("churn", 0.7);
  await logVersion("churn", 0.92, 4);
});
afterAll(async () => {
  await server.close();
  dir.cleanup();
});

describe("keel models", () => {
  it("lists, shows and lists versions, as tables and as JSON", async () => {
    const list = await cli(server.url, ["models", "list"]);
    expect(list.code).toBe(0);
    expect(rowOf(list.stdout, "churn")).toMatch(/churn\s+3/);
    const json = JSON.parse((await cli(server.url, ["models", "list", "--json"])).stdout) as { name: string }[];
    expect(json.map((m) => m.name)).toContain("churn");
    const versions = await cli(server.url, ["models", "versions", "churn"]);
    expect(versions.stdout.split("\n").filter((l) => /^\d/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(["3", "2", "1"]);
    const show = JSON.parse((await cli(server.url, ["models", "show", "churn", "--json"])).stdout) as { model_versions: unknown[] };
    expect(show.model_versions).toHaveLength(3);
    const missing = await cli(server.url, ["models", "show", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: Registered Model with name=nope not found/);
  });

  it("creates, tags, aliases, transitions, registers and deletes", async () => {
    expect((await cli(server.url, ["models", "create", "scratch", "--description", "tmp", "--tag", "team=risk"])).code).toBe(0);
    expect((await cli(server.url, ["models", "tag", "scratch", "owner=ml"])).code).toBe(0);
    const runId = (await sdk.registry.getModelVersion({ name: "churn", version: "1" })).run_id as string;
    const registered = await cli(server.url, ["models", "register", `runs:/${runId}/model`, "--name", "scratch", "--json"]);
    expect(JSON.parse(registered.stdout)).toMatchObject({ name: "scratch", version: "1", run_id: runId });
    expect((await cli(server.url, ["models", "tag", "scratch", "--version", "1", "checked=yes"])).code).toBe(0);
    expect((await cli(server.url, ["models", "alias", "set", "scratch", "champion", "1"])).stdout).toContain("scratch@champion → version 1");
    expect((await cli(server.url, ["models", "transition", "scratch", "1", "staging"])).stdout).toContain("stage Staging");
    const model = await sdk.registry.getRegisteredModel({ name: "scratch" });
    expect(model.tags).toEqual(expect.arrayContaining([{ key: "team", value: "risk" }, { key: "owner", value: "ml" }]));
    expect(model.aliases).toEqual([{ alias: "champion", version: "1" }]);
    expect((await cli(server.url, ["models", "transition", "scratch", "1", "prod"])).code).toBe(2);
    expect((await cli(server.url, ["models", "alias", "delete", "scratch", "champion"])).code).toBe(0);
    expect((await cli(server.url, ["models", "delete", "scratch"])).code).toBe(0);
    expect((await cli(server.url, ["models", "show", "scratch"])).code).toBe(1);
  });

  it("promotes only approved versions: exit 0 approved, 1 rejected, 2 errors", async () => {
    const policy = join(dir.path, "gates.yaml");
    const approved = await cli(server.url, ["models", "promote", "churn", "1", "--to", "production", "--policy", policy]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(/APPROVED: 0 FAIL/);
    const rejected = await cli(server.url, ["models", "promote", "churn", "2", "--to", "production", "--policy", policy, "--json"]);
    expect(rejected.code).toBe(1);
    const report = JSON.parse(rejected.stdout) as { verdict: string; moved: boolean; checks: { check: string; status: string }[]; report_artifact: string };
    expect(report).toMatchObject({ verdict: "REJECTED", moved: false });
    expect(report.checks.find((c) => c.check === "metric:accuracy")?.status).toBe("FAIL");
    expect((await sdk.registry.getModelVersionByAlias({ name: "churn", alias: "production" })).version).toBe("1");
    const tagged = await sdk.registry.getModelVersion({ name: "churn", version: "2" });
    expect(tagged.tags?.find((t) => t.key === "keel.gates.alias.production")?.value).toContain('"verdict":"REJECTED"');
    const stored = await sdk.client.downloadArtifact({ artifact_uri: (await sdk.client.getRun({ run_id: tagged.run_id as string })).info.artifact_uri, path: report.report_artifact });
    expect(JSON.parse(new TextDecoder().decode(stored))).toMatchObject({ verdict: "REJECTED", model: "churn", version: "2" });

    // Version 3 takes a fourth input: the signature check calls that breaking.
    const breaking = await cli(server.url, ["models", "promote", "churn", "3", "--to", "production", "--policy", policy]);
    expect(breaking.code).toBe(1);
    expect(rowOf(breaking.stdout, "signature")).toMatch(/FAIL/);

    expect((await cli(server.url, ["models", "promote", "churn", "9", "--to", "production", "--policy", policy])).code).toBe(2);
    expect((await cli(server.url, ["models", "promote", "churn", "1", "--to", "production", "--policy", join(dir.path, "missing.yaml")])).code).toBe(2);
    const both = await cli(server.url, ["models", "promote", "churn", "1", "--to", "production", "--stage", "Production"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("exactly one target");
    const staged = await cli(server.url, ["models", "promote", "churn", "1", "--stage", "production", "--policy", policy]);
    expect(staged.code).toBe(0);
    expect((await sdk.registry.getModelVersion({ name: "churn", version: "1" })).current_stage).toBe("Production");
  });

  it("rolls back, shows the history, and downloads by URI", async () => {
    expect((await cli(server.url, ["models", "alias", "set", "churn", "production", "3"])).code).toBe(0);
    const rolled = await cli(server.url, ["models", "rollback", "churn", "--alias", "production"]);
    expect(rolled.stdout).toContain("version 3 → version 1");
    const history = JSON.parse((await cli(server.url, ["models", "history", "churn", "--json"])).stdout) as { action: string; actor: string; from?: string; to?: string }[];
    expect(history[0]).toMatchObject({ action: "rollback", actor: "anonymous", from: "3", to: "1" });
    const table = await cli(server.url, ["models", "history", "churn"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^WHEN\s+WHO\s+ACTION\s+VERSION\s+WHAT\s+FROM\s+TO$/);
    const nothing = await cli(server.url, ["models", "rollback", "churn", "--alias", "production"]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("nothing to roll back to");
    const downloaded = await cli(server.url, ["models", "download", "models:/churn@production", "--dest", dir.path]);
    expect(downloaded.code, downloaded.stderr).toBe(0);
    expect(existsSync(join(downloaded.stdout.trim(), "model.onnx"))).toBe(true);
    expect(readFileSync(join(downloaded.stdout.trim(), "MLmodel"), "utf8")).toContain("onnx:");
    const bad = await cli(server.url, ["models", "download", "models:/churn/Prod", "--dest", dir.path]);
    expect(bad.code).toBe(1);
  });
});
