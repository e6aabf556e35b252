import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelVersion, RegistryClient, RollbackRequest, Run, TrackingClient } from "../../src/client/index.js";
import { createRegistryClient, createTrackingClient, resolveModelUri } from "../../src/client/index.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";
import { rejection } from "../support/keel-errors.js";

let server: TestServer;
let registry: RegistryClient;
let tracking: TrackingClient;
let run: Run;

beforeAll(async () => {
  server = await startTestServer();
  registry = createRegistryClient({ trackingUri: server.url });
  tracking = createTrackingClient({ trackingUri: server.url });
  const experimentId = await tracking.createExperiment({ name: "registry-client" });
  run = await tracking.createRun({ experiment_id: experimentId, run_name: "trainer" });
});
afterAll(async () => server?.close());


/** A registered model with `count` versions, all registered from the test run's `model` directory. */
async function modelWithVersions(name: string, count: number): Promise<ModelVersion[]> {
  await registry.createRegisteredModel({ name });
  const versions: ModelVersion[] = [];
  for (let i = 0; i < count; i++) {
    versions.push(await registry.createModelVersion({ name, source: `runs:/${run.info.run_id}/model`, run_id: run.info.run_id }));
  }
  return versions;
}

describe("registered models", () => {
  it("creates, reads, renames, describes, tags and deletes a model", async () => {
    const created = await registry.createRegisteredModel({ name: "rm-a", description: "first", tags: [{ key: "team", value: "growth" }] });
    expect(created).toMatchObject({ name: "rm-a", description: "first", tags: [{ key: "team", value: "growth" }], latest_versions: [], aliases: [] });
    expect(created.creation_timestamp).toBeGreaterThan(1_600_000_000_000);
    expect((await rejection(registry.createRegisteredModel({ name: "rm-a" }))).code).toBe("RESOURCE_ALREADY_EXISTS");

    const renamed = await registry.renameRegisteredModel({ name: "rm-a", new_name: "rm-b" });
    expect(renamed.name).toBe("rm-b");
    expect((await rejection(registry.getRegisteredModel({ name: "rm-a" }))).code).toBe("RESOURCE_DOES_NOT_EXIST");

    expect((await registry.updateRegisteredModel({ name: "rm-b", description: "second" })).description).toBe("second");
    await registry.setRegisteredModelTag({ name: "rm-b", key: "stage", value: "dev" });
    await registry.deleteRegisteredModelTag({ name: "rm-b", key: "team" });
    expect((await registry.getRegisteredModel({ name: "rm-b" })).tags).toEqual([{ key: "stage", value: "dev" }]);

    await registry.deleteRegisteredModel({ name: "rm-b" });
    expect((await rejection(registry.getRegisteredModel({ name: "rm-b" }))).code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((await rejection(registry.deleteRegisteredModel({ name: "rm-b" }))).code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("searches page by page and with allPages", async () => {
    for (const i of [3, 0, 4, 1, 2]) await registry.createRegisteredModel({ name: `page-${i}` });
    const first = await registry.searchRegisteredModels({ filter: "name LIKE 'page-%'", max_results: 2 });
    expect(first.registered_models.map((m) => m.name)).toEqual(["page-0", "page-1"]);
    expect(first.next_page_token).toBeTruthy();
    const second = await registry.searchRegisteredModels({ filter: "name LIKE 'page-%'", max_results: 2, page_token: first.next_page_token });
    expect(second.registered_models.map((m) => m.name)).toEqual(["page-2", "page-3"]);

    const all = await registry.searchRegisteredModels({ filter: "name LIKE 'page-%'", max_results: 2 }, { allPages: true });
    expect(all.registered_models.map((m) => m.name)).toEqual(["page-0", "page-1", "page-2", "page-3", "page-4"]);
    expect(all.next_page_token).toBeUndefined();
    const none = await registry.searchRegisteredModels({ filter: "name = 'no-such-model'" });
    expect(none).toEqual({ registered_models: [] });
  });
});

describe("model versions", () => {
  it("numbers versions, describes, tags, searches and deletes them", async () => {
    const [v1, v2, v3] = await modelWithVersions("mv", 3);
    expect([v1.version, v2.version, v3.version]).toEqual(["1", "2", "3"]);
    expect(v1).toMatchObject({ name: "mv", current_stage: "None", status: "READY", source: `runs:/${run.info.run_id}/model`, run_id: run.info.run_id, tags: [], aliases: [] });

    expect((await registry.updateModelVersion({ name: "mv", version: "2", description: "candidate" })).description).toBe("candidate");
    await registry.setModelVersionTag({ name: "mv", version: "2", key: "validated", value: "yes" });
    await registry.setModelVersionTag({ name: "mv", version: "2", key: "gate", value: "pending" });
    await registry.deleteModelVersionTag({ name: "mv", version: "2", key: "gate" });
    expect(await registry.getModelVersion({ name: "mv", version: "2" })).toMatchObject({ description: "candidate", tags: [{ key: "validated", value: "yes" }] });

    const page = await registry.searchModelVersions({ filter: "name = 'mv'", order_by: ["version_number DESC"], max_results: 2 });
    expect(page.model_versions.map((v) => v.version)).toEqual(["3", "2"]);
    expect(page.next_page_token).toBeTruthy();
    const all = await registry.searchModelVersions({ filter: "name = 'mv'", order_by: ["version_number ASC"], max_results: 1 }, { allPages: true });
    expect(all.model_versions.map((v) => v.version)).toEqual(["1", "2", "3"]);
    const tagged = await registry.searchModelVersions({ filter: "name = 'mv' AND tags.validated = 'yes'" });
    expect(tagged.model_versions.map((v) => v.version)).toEqual(["2"]);

    await registry.deleteModelVersion({ name: "mv", version: "3" });
    expect((await rejection(registry.getModelVersion({ name: "mv", version: "3" }))).code).toBe("RESOURCE_DOES_NOT_EXIST");
    const next = await registry.createModelVersion({ name: "mv", source: `runs:/${run.info.run_id}/model` });
    expect(next.version).toBe("4");
  });

  it("transitions stages, archiving the previous holder, and lists the latest version per stage", async () => {
    await modelWithVersions("stages", 3);
    await registry.transitionModelVersionStage({ name: "stages", version: "1", stage: "Production", archive_existing_versions: false });
    const v2 = await registry.transitionModelVersionStage({ name: "stages", version: "2", stage: "production", archive_existing_versions: true });
    expect(v2.current_stage).toBe("Production");
    expect((await registry.getModelVersion({ name: "stages", version: "1" })).current_stage).toBe("Archived");
    await registry.transitionModelVersionStage({ name: "stages", version: "3", stage: "Staging", archive_existing_versions: false });

    const production = await registry.getLatestVersions({ name: "stages", stages: ["Production"] });
    expect(production.map((v) => v.version)).toEqual(["2"]);
    const perStage = await registry.getLatestVersions({ name: "stages" });
    expect(Object.fromEntries(perStage.map((v) => [v.current_stage, v.version]))).toEqual({ Archived: "1", Production: "2", Staging: "3" });
    expect((await registry.getRegisteredModel({ name: "stages" })).latest_versions.map((v) => v.version).sort()).toEqual(["1", "2", "3"]);
    expect((await rejection(registry.transitionModelVersionStage({ name: "stages", version: "1", stage: "Shipped", archive_existing_versions: false }))).code).toBe(
      "INVALID_PARAMETER_VALUE",
    );
  });

  it("sets, moves, reads and deletes aliases", async () => {
    await modelWithVersions("aliased", 2);
    await registry.setRegisteredModelAlias({ name: "aliased", alias: "champion", version: "1" });
    expect((await registry.getModelVersionByAlias({ name: "aliased", alias: "champion" })).version).toBe("1");
    await registry.setRegisteredModelAlias({ name: "aliased", alias: "champion", version: "2" });
    const moved = await registry.getModelVersionByAlias({ name: "aliased", alias: "champion" });
    expect(moved).toMatchObject({ version: "2", aliases: ["champion"] });
    expect((await registry.getModelVersion({ name: "aliased", version: "1" })).aliases).toEqual([]);
    expect((await registry.getRegisteredModel({ name: "aliased" })).aliases).toEqual([{ alias: "champion", version: "2" }]);

    await registry.deleteRegisteredModelAlias({ name: "aliased", alias: "champion" });
    expect((await rejection(registry.getModelVersionByAlias({ name: "aliased", alias: "champion" }))).code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((await rejection(registry.setRegisteredModelAlias({ name: "aliased", alias: "v1", version: "1" }))).code).toBe("INVALID_PARAMETER_VALUE");
    expect((await rejection(registry.setRegisteredModelAlias({ name: "aliased", alias: "x", version: "9" }))).code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("gives the download URI of a version registered from a run", async () => {
    await modelWithVersions("download", 1);
    expect(await registry.getModelVersionDownloadUri({ name: "download", version: "1" })).toBe(`${run.info.artifact_uri}/model`);
    expect((await rejection(registry.getModelVersionDownloadUri({ name: "download", version: "2" }))).code).toBe("RESOURCE_DOES_NOT_EXIST");
  });
});

describe("audit trail and rollback", () => {
  it("lists a model's changes newest first, page by page", async () => {
    await modelWithVersions("audited", 2);
    await registry.setRegisteredModelAlias({ name: "audited", alias: "champion", version: "1" });
    await registry.setRegisteredModelAlias({ name: "audited", alias: "champion", version: "2" });

    const { entries } = await registry.listAudit({ name: "audited" });
    expect(entries.map((e) => e.action)).toEqual(["set_alias", "set_alias", "create_model_version", "create_model_version", "create_registered_model"]);
    expect(entries[0]).toMatchObject({ name: "audited", version: "2", target: "alias:champion", from: "1", to: "2", actor: "anonymous" });
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((a, b) => b - a));

    const first = await registry.listAudit({ name: "audited", max_results: 2 });
    expect(first.entries.map((e) => e.id)).toEqual(entries.slice(0, 2).map((e) => e.id));
    expect(first.next_page_token).toBeTruthy();
    const all = await registry.listAudit({ name: "audited", max_results: 2 }, { allPages: true });
    expect(all.entries.map((e) => e.id)).toEqual(entries.map((e) => e.id));
    const everyModel = await registry.listAudit({}, { allPages: true });
    expect(new Set(everyModel.entries.map((e) => e.name))).toContain("stages");
  });

  it("rolls an alias and a stage back to their previous holders", async () => {
    await modelWithVersions("rollback", 2);
    await registry.setRegisteredModelAlias({ name: "rollback", alias: "champion", version: "1" });
    await registry.setRegisteredModelAlias({ name: "rollback", alias: "champion", version: "2" });
    const byAlias = await registry.rollback({ name: "rollback", alias: "champion" });
    expect(byAlias.model_version).toMatchObject({ version: "1", aliases: ["champion"] });
    expect(byAlias.audit_entry).toMatchObject({ action: "rollback", name: "rollback", target: "alias:champion", from: "2", to: "1" });
    expect(byAlias.audit_entry.reverts).toBeTypeOf("number");
    expect((await registry.getModelVersionByAlias({ name: "rollback", alias: "champion" })).version).toBe("1");

    await registry.transitionModelVersionStage({ name: "rollback", version: "1", stage: "Production", archive_existing_versions: false });
    await registry.transitionModelVersionStage({ name: "rollback", version: "2", stage: "Production", archive_existing_versions: true });
    const byStage = await registry.rollback({ name: "rollback", stage: "Production" });
    expect(byStage.model_version).toMatchObject({ version: "1", current_stage: "Production" });
    expect((await registry.getLatestVersions({ name: "rollback", stages: ["Production"] })).map((v) => v.version)).toEqual(["1"]);

    expect((await rejection(registry.rollback({ name: "rollback", alias: "never-set" }))).code).toBe("INVALID_PARAMETER_VALUE");
    const both = { name: "rollback", alias: "champion", stage: "Production" } as unknown as RollbackRequest;
    expect((await rejection(registry.rollback(both))).code).toBe("INVALID_PARAMETER_VALUE");
    expect((await rejection(registry.rollback({ name: "no-such-model", alias: "champion" }))).code).toBe("RESOURCE_DOES_NOT_EXIST");
  });
});

describe("model URI resolution", () => {
  beforeAll(async () => {
    await modelWithVersions("resolve", 3);
    await registry.createRegisteredModel({ name: "resolve-empty" });
    await registry.transitionModelVersionStage({ name: "resolve", version: "2", stage: "Production", archive_existing_versions: false });
    await registry.transitionModelVersionStage({ name: "resolve", version: "3", stage: "Archived", archive_existing_versions: false });
    await registry.setRegisteredModelAlias({ name: "resolve", alias: "champion", version: "1" });
  });

  it("resolves every form to where the model's files are", async () => {
    const where = `${run.info.artifact_uri}/model`;
    const byVersion = await resolveModelUri(registry, tracking, "models:/resolve/1");
    expect(byVersion).toMatchObject({ uri: "models:/resolve/1", artifactUri: where, runId: run.info.run_id, modelVersion: { name: "resolve", version: "1" } });
    expect((await resolveModelUri(registry, tracking, "models:/resolve/production")).modelVersion?.version).toBe("2");
    expect((await resolveModelUri(registry, tracking, "models:/resolve/latest")).modelVersion?.version).toBe("3");
    expect((await resolveModelUri(registry, tracking, "models:/resolve@champion")).modelVersion?.version).toBe("1");
    expect(await resolveModelUri(registry, tracking, `runs:/${run.info.run_id}/model`)).toEqual({
      uri: `runs:/${run.info.run_id}/model`,
      artifactUri: where,
      runId: run.info.run_id,
    });
  });

  it.each([
    ["models:/nope/1", "registered model 'nope' does not exist"],
    ["models:/resolve/7", "registered model 'resolve' has no version 7"],
    ["models:/nope/Staging", "registered model 'nope' does not exist"],
    ["models:/resolve/Staging", "no version of resolve is in stage Staging"],
    ["models:/nope/latest", "registered model 'nope' does not exist"],
    ["models:/resolve-empty/latest", "registered model 'resolve-empty' has no versions"],
    ["models:/nope@champion", "registered model 'nope' does not exist"],
    ["models:/resolve@challenger", "registered model 'resolve' has no alias 'challenger'"],
    ["runs:/0123456789abcdef0123456789abcdef/model", "run '0123456789abcdef0123456789abcdef' does not exist"],
  ])("says which part of %s does not exist", async (uri, message) => {
    const error = await rejection(resolveModelUri(registry, tracking, uri));
    expect(error.code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(error.message).toContain(message);
  });

  it("refuses a malformed URI before asking the server", async () => {
    const error = await rejection(resolveModelUri(registry, tracking, "models:/resolve/1/extra"));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
  });
});
