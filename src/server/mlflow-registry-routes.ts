import { invalidParameter } from "../core/errors.js";
import type { RegistrySearchInput, RollbackTarget } from "../registry/registry-store.js";
import { canonicalStage } from "../registry/registry-validation.js";
import { required } from "./field-schema.js";
import { maxResultsOf, optionalStr, orderByOf, str, tagsOf } from "./request-fields.js";
import { auditEntryToWire, modelVersionToWire, registeredModelToWire } from "./registry-wire.js";
import type { MlflowRoute, RequestFields } from "./server-context.js";
import { withPageToken } from "./wire.js";

const TAGS = { objects: { key: required("string"), value: "string" } } as const;
const SEARCH_FIELDS = { filter: "string", max_results: "int64", order_by: "string[]", page_token: "string" } as const;
const NAME = { name: required("string") } as const;
const VERSION = { name: required("string"), version: required("string") } as const;

/** A model version number may come as "3" or 3 (protobuf JSON allows both for int64-like strings). */
function versionOf(fields: RequestFields): string {
  const value = fields.version;
  return typeof value === "number" ? String(value) : (value as string);
}

function stagesOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? [value] : (value as string[]);
}

function searchInput(f: RequestFields): RegistrySearchInput {
  return { filter: optionalStr(f, "filter"), maxResults: maxResultsOf(f), orderBy: orderByOf(f.order_by), pageToken: optionalStr(f, "page_token") };
}

const getLatestVersions: MlflowRoute["handler"] = async (f, { registry }) => {
  const versions = await registry.getLatestVersions(str(f, "name"), stagesOf(f.stages));
  return { model_versions: versions.map(modelVersionToWire) };
};

/** MLflow's Model Registry REST API (model_registry.proto), as one table. */
export const MLFLOW_REGISTRY_ROUTES: readonly MlflowRoute[] = [
  {
    method: "POST",
    path: "/mlflow/registered-models/create",
    fields: { name: required("string"), tags: TAGS, description: "string" },
    async handler(f, { registry }, caller) {
      const model = await registry.createRegisteredModel({ name: str(f, "name"), tags: tagsOf(f.tags), description: optionalStr(f, "description") }, caller);
      return { registered_model: registeredModelToWire(model) };
    },
  },
  {
    method: "GET",
    path: "/mlflow/registered-models/get",
    fields: NAME,
    async handler(f, { registry }) {
      return { registered_model: registeredModelToWire(await registry.getRegisteredModel(str(f, "name"))) };
    },
  },
  {
    method: "POST",
    path: "/mlflow/registered-models/rename",
    fields: { name: required("string"), new_name: required("string") },
    async handler(f, { registry }, caller) {
      return { registered_model: registeredModelToWire(await registry.renameRegisteredModel(str(f, "name"), str(f, "new_name"), caller)) };
    },
  },
  {
    method: "PATCH",
    path: "/mlflow/registered-models/update",
    fields: { name: required("string"), description: "string" },
    async handler(f, { registry }, caller) {
      const model = await registry.updateRegisteredModel(str(f, "name"), (f.description as string | undefined) ?? "", caller);
      return { registered_model: registeredModelToWire(model) };
    },
  },
  {
    method: "DELETE",
    path: "/mlflow/registered-models/delete",
    fields: NAME,
    async handler(f, { registry }, caller) {
      await registry.deleteRegisteredModel(str(f, "name"), caller);
      return {};
    },
  },
  {
    method: ["GET", "POST"],
    path: "/mlflow/registered-models/search",
    fields: SEARCH_FIELDS,
    async handler(f, { registry }) {
      const page = await registry.searchRegisteredModels(searchInput(f));
      return withPageToken({ registered_models: page.items.map(registeredModelToWire) }, page.nextPageToken);
    },
  },
  { method: ["GET", "POST"], path: "/mlflow/registered-models/get-latest-versions", fields: { name: required("string"), stages: "string[]" }, handler: getLatestVersions },
  {
    method: "POST",
    path: "/mlflow/registered-models/set-tag",
    fields: { name: required("string"), key: required("string"), value: required("string") },
    async handler(f, { registry }, caller) {
      await registry.setRegisteredModelTag(str(f, "name"), { key: str(f, "key"), value: str(f, "value") }, caller);
      return {};
    },
  },
  {
    method: "DELETE",
    path: "/mlflow/registered-models/delete-tag",
    fields: { name: required("string"), key: required("string") },
    async handler(f, { registry }, caller) {
      await registry.deleteRegisteredModelTag(str(f, "name"), str(f, "key"), caller);
      return {};
    },
  },
  {
    method: "POST",
    path: "/mlflow/registered-models/alias",
    fields: { name: required("string"), alias: required("string"), version: required("string") },
    async handler(f, { registry }, caller) {
      await registry.setAlias(str(f, "name"), str(f, "alias"), versionOf(f), caller);
      return {};
    },
  },
  {
    method: "DELETE",
    path: "/mlflow/registered-models/alias",
    fields: { name: required("string"), alias: required("string") },
    async handler(f, { registry }, caller) {
      await registry.deleteAlias(str(f, "name"), str(f, "alias"), caller);
      return {};
    },
  },
  {
    method: "GET",
    path: "/mlflow/registered-models/alias",
    fields: { name: required("string"), alias: required("string") },
    async handler(f, { registry }) {
      return { model_version: modelVersionToWire(await registry.getModelVersionByAlias(str(f, "name"), str(f, "alias"))) };
    },
  },
  {
    method: "POST",
    path: "/mlflow/model-versions/create",
    fields: { name: required("string"), source: required("string"), run_id: "string", tags: TAGS, run_link: "string", description: "string" },
    async handler(f, { registry }, caller) {
      const version = await registry.createModelVersion(
        {
          name: str(f, "name"),
          source: str(f, "source"),
          runId: optionalStr(f, "run_id"),
          runLink: optionalStr(f, "run_link"),
          description: optionalStr(f, "description"),
          tags: tagsOf(f.tags),
        },
        caller,
      );
      return { model_version: modelVersionToWire(version) };
    },
  },
  {
    method: "GET",
    path: "/mlflow/model-versions/get",
    fields: VERSION,
    async handler(f, { registry }) {
      return { model_version: modelVersionToWire(await registry.getModelVersion(str(f, "name"), versionOf(f))) };
    },
  },
  {
    method: "PATCH",
    path: "/mlflow/model-versions/update",
    fields: { ...VERSION, description: "string" },
    async handler(f, { registry }, caller) {
      const version = await registry.updateModelVersion(str(f, "name"), versionOf(f), (f.description as string | undefined) ?? "", caller);
      return { model_version: modelVersionToWire(version) };
    },
  },
  {
    method: "DELETE",
    path: "/mlflow/model-versions/delete",
    fields: VERSION,
    async handler(f, { registry }, caller) {
      await registry.deleteModelVersion(str(f, "name"), versionOf(f), caller);
      return {};
    },
  },
  {
    method: ["GET", "POST"],
    path: "/mlflow/model-versions/search",
    fields: SEARCH_FIELDS,
    async handler(f, { registry }) {
      const page = await registry.searchModelVersions(searchInput(f));
      return withPageToken({ model_versions: page.items.map(modelVersionToWire) }, page.nextPageToken);
    },
  },
  {
    method: "POST",
    path: "/mlflow/model-versions/transition-stage",
    fields: { ...VERSION, stage: required("string"), archive_existing_versions: required("boolean") },
    async handler(f, { registry }, caller) {
      const version = await registry.transitionStage(str(f, "name"), versionOf(f), str(f, "stage"), f.archive_existing_versions === true, caller);
      return { model_version: modelVersionToWire(version) };
    },
  },
  {
    method: "POST",
    path: "/mlflow/model-versions/set-tag",
    fields: { ...VERSION, key: required("string"), value: required("string") },
    async handler(f, { registry }, caller) {
      await registry.setModelVersionTag(str(f, "name"), versionOf(f), { key: str(f, "key"), value: str(f, "value") }, caller);
      return {};
    },
  },
  {
    method: "DELETE",
    path: "/mlflow/model-versions/delete-tag",
    fields: { ...VERSION, key: required("string") },
    async handler(f, { registry }, caller) {
      await registry.deleteModelVersionTag(str(f, "name"), versionOf(f), str(f, "key"), caller);
      return {};
    },
  },
  {
    method: "GET",
    path: "/mlflow/model-versions/get-download-uri",
    fields: VERSION,
    async handler(f, { registry }) {
      return { artifact_uri: await registry.getModelVersionDownloadUri(str(f, "name"), versionOf(f)) };
    },
  },
  // Keel's own registry endpoints: the audit trail and one-step rollback, which MLflow does not have.
  {
    method: "GET",
    path: "/keel/registered-models/audit",
    fields: { name: "string", max_results: "int64", page_token: "string" },
    async handler(f, { registry }) {
      const page = await registry.listAudit({ name: optionalStr(f, "name"), maxResults: maxResultsOf(f), pageToken: optionalStr(f, "page_token") });
      return withPageToken({ entries: page.items.map(auditEntryToWire) }, page.nextPageToken);
    },
  },
  {
    method: "POST",
    path: "/keel/registered-models/rollback",
    fields: { name: required("string"), alias: "string", stage: "string" },
    async handler(f, { registry }, caller) {
      const alias = optionalStr(f, "alias");
      const stage = optionalStr(f, "stage");
      if ((alias === undefined) === (stage === undefined)) throw invalidParameter("Give exactly one of 'alias' or 'stage' to roll back.");
      const target: RollbackTarget = alias !== undefined ? { alias } : { stage: canonicalStage(stage) };
      const { modelVersion, entry } = await registry.rollback(str(f, "name"), target, caller);
      return { model_version: modelVersionToWire(modelVersion), audit_entry: auditEntryToWire(entry) };
    },
  },
];
