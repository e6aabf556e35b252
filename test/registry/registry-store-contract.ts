import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Caller, RegistryStore } from "../../src/registry/registry-store.js";
import type { TrackingStore } from "../../src/tracking/tracking-store.js";
import { rejection } from "../support/keel-errors.js";

export interface RegistryStoreCase {
  readonly name: string;
  readonly skip?: string;
  create(): Promise<{ store: RegistryStore; tracking: TrackingStore; dispose(): Promise<void> }>;
}

const ALICE: Caller = { actor: "alice" };


/** The one behaviour suite every RegistryStore backend must pass. */
export function runRegistryStoreContract(backend: RegistryStoreCase): void {
  describe.skipIf(backend.skip)(`RegistryStore contract: ${backend.name}`, () => {
    let store: RegistryStore;
    let tracking: TrackingStore;
    let dispose: () => Promise<void>;
    let runId: string;
    beforeEach(async () => {
      ({ store, tracking, dispose } = await backend.create());
      runId = (await tracking.createRun({ experimentId: "0" })).info.runId;
    });
    afterEach(async () => dispose());

    async function modelWithVersions(name: string, count: number): Promise<void> {
      await store.createRegisteredModel({ name }, ALICE);
      for (let i = 0; i < count; i += 1) await store.createModelVersion({ name, source: `runs:/${runId}/model` }, ALICE);
    }

    it("creates, gets and refuses duplicate or empty model names", async () => {
      const created = await store.createRegisteredModel({ name: "churn", description: "d", tags: [{ key: "team", value: "risk" }] }, ALICE);
      expect(created).toMatchObject({ name: "churn", description: "d", tags: [{ key: "team", value: "risk" }], latestVersions: [], aliases: [] });
      expect((await store.getRegisteredModel("churn")).creationTimestamp).toBe(created.creationTimestamp);
      expect((await rejection(store.createRegisteredModel({ name: "churn" }, ALICE))).code).toBe("RESOURCE_ALREADY_EXISTS");
      expect((await rejection(store.createRegisteredModel({ name: "" }, ALICE))).code).toBe("INVALID_PARAMETER_VALUE");
      const missing = await rejection(store.getRegisteredModel("nope"));
      expect(missing.code).toBe("RESOURCE_DOES_NOT_EXIST");
      expect(missing.message).toContain("nope");
    });

    it("numbers versions from 1, never reuses a number, and resolves runs:/ sources to the run's artifacts", async () => {
      await modelWithVersions("churn", 3);
      const run = await tracking.getRun(runId);
      const v1 = await store.getModelVersion("churn", "1");
      expect(v1).toMatchObject({ version: "1", currentStage: "None", status: "READY", runId, source: `runs:/${runId}/model` });
      expect(v1.storageLocation).toBe(`${run.info.artifactUri}/model`);
      expect(await store.getModelVersionDownloadUri("churn", "1")).toBe(`${run.info.artifactUri}/model`);
      await store.deleteModelVersion("churn", "3", ALICE);
      expect((await store.createModelVersion({ name: "churn", source: "mlflow-artifacts:/0/models/m" }, ALICE)).version).toBe("4");
      expect((await rejection(store.getModelVersion("churn", "3"))).code).toBe("RESOURCE_DOES_NOT_EXIST");
      expect((await rejection(store.getModelVersion("churn", "x"))).code).toBe("INVALID_PARAMETER_VALUE");
      expect((await rejection(store.createModelVersion({ name: "ghost", source: `runs:/${runId}/m` }, ALICE))).code).toBe("RESOURCE_DOES_NOT_EXIST");
      expect((await rejection(store.createModelVersion({ name: "churn", source: "runs:/0123456789abcdef0123456789abcdef/m" }, ALICE))).code).toBe(
        "RESOURCE_DOES_NOT_EXIST",
      );
      const mismatch = await rejection(store.createModelVersion({ name: "churn", source: `runs:/${runId}/m`, runId: "f".repeat(32) }, ALICE));
      expect(mismatch.code).toBe("RESOURCE_DOES_NOT_EXIST");
    });

    it("refuses local and traversing sources (MLflow's CVE payloads)", async () => {
      await store.createRegisteredModel({ name: "m" }, ALICE);
      const payloads = [
        "file:///etc/",
        "/etc/passwd",
        "etc/",
        "file://localhost/etc/",
        "file:///tmp/..\\..\\etc",
        `runs:/${runId}/../../../etc`,
        `runs:/${runId}/%2e%2e/%2e%2e/etc`,
        "mlflow-artifacts:/0/../../etc",
        "mlflow-artifacts:/0/%252e%252e/etc",
        "http:///?/../../../../etc/",
        "http:///#/../../../../etc/",
        "s3://bucket/a/../../b",
        "C:\\Windows\\win.ini",
      ];
      for (const source of payloads) {
        const error = await rejection(store.createModelVersion({ name: "m", source }, ALICE));
        expect(error.code, source).toBe("INVALID_PARAMETER_VALUE");
      }
      expect((await store.searchModelVersions({ filter: "name = 'm'" })).items).toHaveLength(0);
    });

    it("transitions stages, archiving the holders of the target stage when asked", async () => {
      await modelWithVersions("churn", 3);
      await store.transitionStage("churn", "1", "production", false, ALICE);
      await store.transitionStage("churn", "2", "Production", false, ALICE);
      expect((await store.getLatestVersions("churn", ["Production"])).map((v) => v.version)).toEqual(["2"]);
      const moved = await store.transitionStage("churn", "3", "Production", true, ALICE);
      expect(moved.currentStage).toBe("Production");
      expect((await store.getModelVersion("churn", "1")).currentStage).toBe("Archived");
      expect((await store.getModelVersion("churn", "2")).currentStage).toBe("Archived");
      const latest = await store.getLatestVersions("churn");
      expect(latest.map((v) => [v.currentStage, v.version])).toEqual([["Archived", "2"], ["Production", "3"]]);
      expect((await store.getRegisteredModel("churn")).latestVersions.map((v) => v.version)).toEqual(["2", "3"]);
      const bad = await rejection(store.transitionStage("churn", "1", "Prod", true, ALICE));
      expect(bad.code).toBe("INVALID_PARAMETER_VALUE");
      expect(bad.message).toContain("None, Staging, Production, Archived");
    });

    it("sets, moves, reads and deletes aliases; deleting a version drops its aliases", async () => {
      await modelWithVersions("churn", 2);
      await store.setAlias("churn", "champion", "1", ALICE);
      await store.setAlias("churn", "champion", "2", ALICE);
      expect((await store.getModelVersionByAlias("churn", "champion")).version).toBe("2");
      expect((await store.getModelVersion("churn", "2")).aliases).toEqual(["champion"]);
      expect((await store.getRegisteredModel("churn")).aliases).toEqual([{ alias: "champion", version: "2" }]);
      for (const alias of ["latest", "LATEST", "v3", "bad alias", ""]) {
        expect((await rejection(store.setAlias("churn", alias, "1", ALICE))).code, alias).toBe("INVALID_PARAMETER_VALUE");
      }
      expect((await rejection(store.setAlias("churn", "x", "9", ALICE))).code).toBe("RESOURCE_DOES_NOT_EXIST");
      await store.deleteModelVersion("churn", "2", ALICE);
      expect((await rejection(store.getModelVersionByAlias("churn", "champion"))).code).toBe("RESOURCE_DOES_NOT_EXIST");
      await store.setAlias("churn", "challenger", "1", ALICE);
      await store.deleteAlias("churn", "challenger", ALICE);
      expect((await store.getRegisteredModel("churn")).aliases).toEqual([]);
    });

    it("renames a model with its versions, tags, aliases and history", async () => {
      await modelWithVersions("old", 1);
      await store.setRegisteredModelTag("old", { key: "team", value: "risk" }, ALICE);
      await store.setModelVersionTag("old", "1", { key: "k", value: "v" }, ALICE);
      await store.setAlias("old", "prod", "1", ALICE);
      await store.createRegisteredModel({ name: "taken" }, ALICE);
      expect((await rejection(store.renameRegisteredModel("old", "taken", ALICE))).code).toBe("RESOURCE_ALREADY_EXISTS");
      const renamed = await store.renameRegisteredModel("old", "new", ALICE);
      expect(renamed).toMatchObject({ name: "new", tags: [{ key: "team", value: "risk" }], aliases: [{ alias: "prod", version: "1" }] });
      expect((await store.getModelVersion("new", "1")).tags).toEqual([{ key: "k", value: "v" }]);
      expect((await rejection(store.getRegisteredModel("old"))).code).toBe("RESOURCE_DOES_NOT_EXIST");
      const history = (await store.listAudit({ name: "new" })).items;
      expect(history[0]).toMatchObject({ action: "rename_registered_model", from: "old", to: "new", actor: "alice" });
      expect(history.at(-1)?.action).toBe("create_registered_model");
    });

    it("updates descriptions and tags of models and versions", async () => {
      await modelWithVersions("churn", 1);
      expect((await store.updateRegisteredModel("churn", "better", ALICE)).description).toBe("better");
      expect((await store.updateModelVersion("churn", "1", "first", ALICE)).description).toBe("first");
      await store.setModelVersionTag("churn", "1", { key: "k", value: "a" }, ALICE);
      await store.setModelVersionTag("churn", "1", { key: "k", value: "b" }, ALICE);
      expect((await store.getModelVersion("churn", "1")).tags).toEqual([{ key: "k", value: "b" }]);
      await store.deleteModelVersionTag("churn", "1", "k", ALICE);
      expect((await store.getModelVersion("churn", "1")).tags).toEqual([]);
      const long = await rejection(store.setRegisteredModelTag("churn", { key: "k", value: "x".repeat(5001) }, ALICE));
      expect(long.code).toBe("INVALID_PARAMETER_VALUE");
    });

    it("searches registered models by name and tags, in order, one page at a time", async () => {
      for (const name of ["alpha", "Beta", "beta-2", "gamma"]) await store.createRegisteredModel({ name }, ALICE);
      await store.setRegisteredModelTag("gamma", { key: "team", value: "risk" }, ALICE);
      const names = async (filter?: string, orderBy?: string[]) => (await store.searchRegisteredModels({ filter, orderBy })).items.map((m) => m.name);
      expect(await names()).toEqual(["Beta", "alpha", "beta-2", "gamma"]);
      expect(await names("name = 'alpha'")).toEqual(["alpha"]);
      expect(await names("name LIKE 'beta%'")).toEqual(["beta-2"]);
      expect(await names("name ILIKE 'beta%'")).toEqual(["Beta", "beta-2"]);
      expect(await names("tags.team = 'risk'")).toEqual(["gamma"]);
      expect(await names(undefined, ["name DESC"])).toEqual(["gamma", "beta-2", "alpha", "Beta"]);
      const seen: string[] = [];
      let pageToken: string | undefined;
      do {
        const page = await store.searchRegisteredModels({ maxResults: 3, pageToken });
        seen.push(...page.items.map((m) => m.name));
        pageToken = page.nextPageToken;
      } while (pageToken);
      expect(seen).toEqual(["Beta", "alpha", "beta-2", "gamma"]);
      for (const filter of ["run_id = 'x'", "name > 3", "name = 'a' OR name = 'b'"]) {
        expect((await rejection(store.searchRegisteredModels({ filter }))).code, filter).toBe("INVALID_PARAMETER_VALUE");
      }
      expect((await rejection(store.searchRegisteredModels({ maxResults: 1001 }))).code).toBe("INVALID_PARAMETER_VALUE");
    });

    it("searches model versions by name, run_id, version number, source and tags", async () => {
      await modelWithVersions("a", 3);
      await modelWithVersions("b", 2);
      await store.setModelVersionTag("b", "1", { key: "validated", value: "yes" }, ALICE);
      const keys = async (filter?: string, orderBy?: string[]) =>
        (await store.searchModelVersions({ filter, orderBy })).items.map((v) => `${v.name}/${v.version}`);
      expect(await keys()).toEqual(["a/3", "a/2", "a/1", "b/2", "b/1"]);
      expect(await keys("name = 'b'")).toEqual(["b/2", "b/1"]);
      expect(await keys(`run_id IN ('${runId}') AND version_number >= 2`)).toEqual(["a/3", "a/2", "b/2"]);
      expect(await keys("tags.validated = 'yes'")).toEqual(["b/1"]);
      expect(await keys("source_path LIKE 'runs:/%'")).toHaveLength(5);
      expect(await keys("name = 'a'", ["version_number ASC"])).toEqual(["a/1", "a/2", "a/3"]);
      const first = await store.searchModelVersions({ maxResults: 2 });
      const second = await store.searchModelVersions({ maxResults: 2, pageToken: first.nextPageToken });
      expect([...first.items, ...second.items].map((v) => `${v.name}/${v.version}`)).toEqual(["a/3", "a/2", "a/1", "b/2"]);
    });

    it("records every mutation in the audit trail with who, when and from-to values", async () => {
      await modelWithVersions("churn", 2);
      await store.transitionStage("churn", "1", "Staging", false, ALICE);
      await store.setAlias("churn", "prod", "1", { actor: "bob" });
      await store.setAlias("churn", "prod", "2", { actor: "bob" });
      await store.deleteAlias("churn", "prod", ALICE);
      await store.deleteRegisteredModel("churn", ALICE);
      const entries = (await store.listAudit({ name: "churn" })).items;
      expect(entries.map((e) => e.action)).toEqual([
        "delete_registered_model",
        "delete_alias",
        "set_alias",
        "set_alias",
        "transition_stage",
        "create_model_version",
        "create_model_version",
        "create_registered_model",
      ]);
      expect(entries[2]).toMatchObject({ actor: "bob", target: "alias:prod", from: "1", to: "2", version: "2" });
      expect(entries[4]).toMatchObject({ target: "stage", from: "None", to: "Staging", version: "1" });
      expect(entries.every((e) => e.timestamp > 0)).toBe(true);
      const page = await store.listAudit({ name: "churn", maxResults: 3 });
      const rest = await store.listAudit({ name: "churn", pageToken: page.nextPageToken });
      expect([...page.items, ...rest.items].map((e) => e.id)).toEqual(entries.map((e) => e.id));
    });

    it("rolls an alias back through earlier holders, and refuses when there is none", async () => {
      await modelWithVersions("churn", 3);
      for (const v of ["1", "2", "3"]) await store.setAlias("churn", "production", v, ALICE);
      const first = await store.rollback("churn", { alias: "production" }, { actor: "oncall" });
      expect(first.modelVersion.version).toBe("2");
      expect(first.entry).toMatchObject({ action: "rollback", actor: "oncall", from: "3", to: "2", target: "alias:production" });
      expect((await store.rollback("churn", { alias: "production" }, ALICE)).modelVersion.version).toBe("1");
      const none = await rejection(store.rollback("churn", { alias: "production" }, ALICE));
      expect(none.code).toBe("INVALID_PARAMETER_VALUE");
      expect((await store.getModelVersionByAlias("churn", "production")).version).toBe("1");
      expect((await rejection(store.rollback("churn", { alias: "nobody" }, ALICE))).code).toBe("INVALID_PARAMETER_VALUE");
    });

    it("rolls a stage back to the version that held it before", async () => {
      await modelWithVersions("churn", 2);
      await store.transitionStage("churn", "1", "Production", true, ALICE);
      await store.transitionStage("churn", "2", "Production", true, ALICE);
      const { modelVersion } = await store.rollback("churn", { stage: "Production" }, ALICE);
      expect(modelVersion).toMatchObject({ version: "1", currentStage: "Production" });
      expect((await store.getModelVersion("churn", "2")).currentStage).toBe("Archived");
      expect((await rejection(store.rollback("churn", { stage: "Production" }, ALICE))).code).toBe("INVALID_PARAMETER_VALUE");
    });

    it("returns each version of a page with its own tags, in order", async () => {
      await store.createRegisteredModel({ name: "many" }, ALICE);
      for (let i = 0; i < 12; i += 1) await store.createModelVersion({ name: "many", source: "mlflow-artifacts:/0/m", tags: [{ key: "i", value: String(i) }] }, ALICE);
      const page = await store.searchModelVersions({ filter: "name = 'many'", maxResults: 12 });
      expect(page.items.map((v) => v.tags[0]?.value)).toEqual(Array.from({ length: 12 }, (_, i) => String(11 - i)));
    });

    it("gives concurrent registrations distinct, consecutive versions", async () => {
      await store.createRegisteredModel({ name: "busy" }, ALICE);
      const created = await Promise.all(
        Array.from({ length: 12 }, () => store.createModelVersion({ name: "busy", source: `runs:/${runId}/model` }, ALICE)),
      );
      expect(created.map((v) => Number(v.version)).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    });
  });
}
