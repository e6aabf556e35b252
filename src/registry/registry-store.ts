import type { AuditEntry, ModelVersion, ModelVersionStage, RegisteredModel, RegistryPage, RegistryTag } from "./types.js";

/** Who is making a change, for the audit trail. */
export interface Caller {
  readonly actor: string;
}

export const ANONYMOUS: Caller = { actor: "anonymous" };

export interface CreateRegisteredModelInput {
  readonly name: string;
  readonly description?: string;
  readonly tags?: readonly RegistryTag[];
}

export interface CreateModelVersionInput {
  readonly name: string;
  readonly source: string;
  readonly runId?: string;
  readonly runLink?: string;
  readonly description?: string;
  readonly tags?: readonly RegistryTag[];
}

export interface RegistrySearchInput {
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly maxResults?: number;
  readonly pageToken?: string;
}

export interface AuditQuery {
  /** One model's entries, or every model's when absent. */
  readonly name?: string;
  readonly maxResults?: number;
  readonly pageToken?: string;
}

/** What a rollback moves back: an alias or a stage. */
export type RollbackTarget = { readonly alias: string } | { readonly stage: ModelVersionStage };

/**
 * The model registry. Names are case-sensitive. Every method that names a model or version that does not
 * exist throws RESOURCE_DOES_NOT_EXIST; bad input throws INVALID_PARAMETER_VALUE. Every mutation is recorded in
 * the audit trail, in the same transaction as the change.
 */
export interface RegistryStore {
  createRegisteredModel(input: CreateRegisteredModelInput, caller: Caller): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  renameRegisteredModel(name: string, newName: string, caller: Caller): Promise<RegisteredModel>;
  /** Sets the description; an empty string clears it. */
  updateRegisteredModel(name: string, description: string, caller: Caller): Promise<RegisteredModel>;
  /** Deletes the model with its versions, tags and aliases; the audit trail keeps its history. */
  deleteRegisteredModel(name: string, caller: Caller): Promise<void>;
  /** Default order: name ascending. At most 1000 per page (default 100), as MLflow. */
  searchRegisteredModels(input: RegistrySearchInput): Promise<RegistryPage<RegisteredModel>>;
  /** The newest version in each of `stages` (all stages when empty) that has one. */
  getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]>;
  setRegisteredModelTag(name: string, tag: RegistryTag, caller: Caller): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string, caller: Caller): Promise<void>;
  /** Points `alias` at `version`, moving it if it pointed elsewhere. */
  setAlias(name: string, alias: string, version: string, caller: Caller): Promise<void>;
  deleteAlias(name: string, alias: string, caller: Caller): Promise<void>;
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;

  /** Registers the next version (highest so far + 1) of an existing model. */
  createModelVersion(input: CreateModelVersionInput, caller: Caller): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  updateModelVersion(name: string, version: string, description: string, caller: Caller): Promise<ModelVersion>;
  /** Deletes the version and the aliases that point at it; its number is not reused. */
  deleteModelVersion(name: string, version: string, caller: Caller): Promise<void>;
  /** Default order: name ascending, version descending. At most 200,000 per page (default 10,000). */
  searchModelVersions(input: RegistrySearchInput): Promise<RegistryPage<ModelVersion>>;
  /**
   * Moves a version to `stage`; with `archiveExisting`, the other versions in that stage (Staging or
   * Production) move to Archived in the same transaction.
   */
  transitionStage(name: string, version: string, stage: string, archiveExisting: boolean, caller: Caller): Promise<ModelVersion>;
  setModelVersionTag(name: string, version: string, tag: RegistryTag, caller: Caller): Promise<void>;
  deleteModelVersionTag(name: string, version: string, key: string, caller: Caller): Promise<void>;
  /** Where the version's files are (its storage location). */
  getModelVersionDownloadUri(name: string, version: string): Promise<string>;

  /** Audit entries, newest first. At most 1000 per page (default 100). */
  listAudit(query: AuditQuery): Promise<RegistryPage<AuditEntry>>;
  /**
   * Moves an alias or stage back to the version that held it before the current holder got it; repeated
   * rollbacks walk further back. INVALID_PARAMETER_VALUE when nothing held it before.
   */
  rollback(name: string, target: RollbackTarget, caller: Caller): Promise<{ modelVersion: ModelVersion; entry: AuditEntry }>;
}
