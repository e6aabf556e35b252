import type { Database } from "../store/database.js";
import type { RegistryStore } from "./registry-store.js";
import { searchRegistryRows } from "./search-registry-query.js";
import { listAudit } from "./sql-registry-audit.js";
import type { RegistryContext, RunLookup } from "./sql-registry-context.js";
import { deleteAlias, getModelVersionByAlias, rollback, setAlias } from "./sql-model-aliases.js";
import {
  createModelVersion,
  deleteModelVersion,
  deleteModelVersionTag,
  getModelVersion,
  getModelVersionDownloadUri,
  setModelVersionTag,
  transitionStage,
  updateModelVersion,
} from "./sql-model-versions.js";
import {
  createRegisteredModel,
  deleteRegisteredModel,
  deleteRegisteredModelTag,
  getLatestVersions,
  getRegisteredModel,
  renameRegisteredModel,
  setRegisteredModelTag,
  updateRegisteredModel,
} from "./sql-registered-models.js";
import type { ModelRow, VersionRow } from "./sql-registry-rows.js";
import { loadModels, loadVersions } from "./sql-registry-rows.js";

export interface SqlRegistryStoreOptions {
  /** How the registry finds a run's artifact location, for `runs:/` sources and run_id checks. */
  readonly runs: RunLookup;
  readonly now?: () => number;
}

/**
 * The model registry on Keel's SQL store, one implementation for SQLite and PostgreSQL (dialect differences
 * stay in store/dialect.ts). It shares the tracking store's database.
 */
export function createSqlRegistryStore(database: Pick<Database, "db" | "dialect">, options: SqlRegistryStoreOptions): RegistryStore {
  const ctx: RegistryContext = { db: database.db, dialect: database.dialect, now: options.now ?? Date.now, runs: options.runs };
  const { db, dialect } = ctx;
  return {
    createRegisteredModel: (input, caller) => createRegisteredModel(ctx, input, caller),
    getRegisteredModel: (name) => getRegisteredModel(ctx, name),
    renameRegisteredModel: (name, newName, caller) => renameRegisteredModel(ctx, name, newName, caller),
    updateRegisteredModel: (name, description, caller) => updateRegisteredModel(ctx, name, description, caller),
    deleteRegisteredModel: (name, caller) => deleteRegisteredModel(ctx, name, caller),
    async searchRegisteredModels(input) {
      const { rows, nextPageToken } = await searchRegistryRows(db, dialect, "models", input);
      return { items: await loadModels(db, rows as unknown as ModelRow[]), nextPageToken };
    },
    getLatestVersions: (name, stages) => getLatestVersions(ctx, name, stages),
    setRegisteredModelTag: (name, tag, caller) => setRegisteredModelTag(ctx, name, tag, caller),
    deleteRegisteredModelTag: (name, key, caller) => deleteRegisteredModelTag(ctx, name, key, caller),
    setAlias: (name, alias, version, caller) => setAlias(ctx, name, alias, version, caller),
    deleteAlias: (name, alias, caller) => deleteAlias(ctx, name, alias, caller),
    getModelVersionByAlias: (name, alias) => getModelVersionByAlias(ctx, name, alias),
    createModelVersion: (input, caller) => createModelVersion(ctx, input, caller),
    getModelVersion: (name, version) => getModelVersion(ctx, name, version),
    updateModelVersion: (name, version, description, caller) => updateModelVersion(ctx, name, version, description, caller),
    deleteModelVersion: (name, version, caller) => deleteModelVersion(ctx, name, version, caller),
    async searchModelVersions(input) {
      const { rows, nextPageToken } = await searchRegistryRows(db, dialect, "versions", input);
      return { items: await loadVersions(db, rows as unknown as VersionRow[]), nextPageToken };
    },
    transitionStage: (name, version, stage, archiveExisting, caller) => transitionStage(ctx, name, version, stage, archiveExisting, caller),
    setModelVersionTag: (name, version, tag, caller) => setModelVersionTag(ctx, name, version, tag, caller),
    deleteModelVersionTag: (name, version, key, caller) => deleteModelVersionTag(ctx, name, version, key, caller),
    getModelVersionDownloadUri: (name, version) => getModelVersionDownloadUri(ctx, name, version),
    listAudit: (query) => listAudit(db, query),
    rollback: (name, target, caller) => rollback(ctx, name, target, caller),
  };
}
