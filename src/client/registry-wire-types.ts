/**
 * MLflow's Model Registry JSON shapes (model_registry.proto), snake_case as the server sends and receives
 * them, plus Keel's audit and rollback endpoints. The server leaves out empty arrays and unset fields, as
 * protobuf JSON does; the client fills the arrays back in, so readers never see them missing.
 */
import type { KeyValue, Paged } from "./wire-types.js";

/** MLflow's stages; deprecated since MLflow 2.9 in favour of aliases, still served. */
export type ModelVersionStage = "None" | "Staging" | "Production" | "Archived";

/** Keel registers synchronously, so its versions are READY; an MLflow server may report the others. */
export type ModelVersionStatus = "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";

export type RegisteredModelTag = KeyValue;
export type ModelVersionTag = KeyValue;

export interface RegisteredModelAlias {
  readonly alias: string;
  readonly version: string;
}

export interface ModelVersion {
  readonly name: string;
  /** A decimal string, "1", "2", ...; numbered per model from 1 and never reused. */
  readonly version: string;
  /** UTC epoch milliseconds. */
  readonly creation_timestamp: number;
  /** UTC epoch milliseconds. */
  readonly last_updated_timestamp: number;
  readonly user_id?: string;
  readonly current_stage: ModelVersionStage;
  readonly description?: string;
  /** The URI the version was registered from, as given (`runs:/<run_id>/model`, `mlflow-artifacts:/...`). */
  readonly source: string;
  readonly run_id?: string;
  readonly run_link?: string;
  readonly status: ModelVersionStatus;
  readonly status_message?: string;
  readonly tags: readonly ModelVersionTag[];
  /** The aliases that point at this version. */
  readonly aliases: readonly string[];
}

export interface RegisteredModel {
  readonly name: string;
  /** UTC epoch milliseconds. */
  readonly creation_timestamp: number;
  /** UTC epoch milliseconds. */
  readonly last_updated_timestamp: number;
  readonly user_id?: string;
  readonly description?: string;
  /** The newest version in each stage that has one. */
  readonly latest_versions: readonly ModelVersion[];
  readonly tags: readonly RegisteredModelTag[];
  readonly aliases: readonly RegisteredModelAlias[];
}

/** What an audit entry records a change of. */
export type AuditAction =
  | "create_registered_model"
  | "rename_registered_model"
  | "update_registered_model"
  | "delete_registered_model"
  | "set_registered_model_tag"
  | "delete_registered_model_tag"
  | "create_model_version"
  | "update_model_version"
  | "delete_model_version"
  | "transition_stage"
  | "set_model_version_tag"
  | "delete_model_version_tag"
  | "set_alias"
  | "delete_alias"
  | "rollback";

/** One registry change, as Keel's audit endpoint returns it. */
export interface AuditEntry {
  /** Increases with every change; a rollback's `reverts` names the entry it undid. */
  readonly id: number;
  /** UTC epoch milliseconds. */
  readonly timestamp: number;
  /** The caller's identity when authentication is on, otherwise `anonymous`. */
  readonly actor: string;
  readonly action: AuditAction;
  readonly name: string;
  readonly version?: string;
  /** The field that changed: `alias:production`, `stage:Production`, `description`, `tag:key`, `name`, ... */
  readonly target?: string;
  readonly from?: string;
  readonly to?: string;
  readonly reverts?: number;
}

export interface CreateRegisteredModelRequest {
  readonly name: string;
  readonly tags?: readonly RegisteredModelTag[];
  readonly description?: string;
}

export interface RenameRegisteredModelRequest {
  readonly name: string;
  readonly new_name: string;
}

export interface UpdateRegisteredModelRequest {
  readonly name: string;
  /** An empty string clears it. */
  readonly description: string;
}

/** The query of both registry searches. */
export interface RegistrySearchRequest {
  /** MLflow's filter grammar, e.g. `name LIKE 'churn%'` or `name = 'churn' AND tags.team = 'growth'`. */
  readonly filter?: string;
  /** Registered models: default 100, at most 1000. Model versions: default 10,000, at most 200,000. */
  readonly max_results?: number;
  /** E.g. `["name ASC"]`, `["version_number DESC"]`, `["last_updated_timestamp DESC"]`. */
  readonly order_by?: readonly string[];
  readonly page_token?: string;
}

export interface SearchRegisteredModelsResponse extends Paged {
  readonly registered_models: readonly RegisteredModel[];
}

export interface SearchModelVersionsResponse extends Paged {
  readonly model_versions: readonly ModelVersion[];
}

export interface GetLatestVersionsRequest {
  readonly name: string;
  /** Stages to look in; every stage, "None" included, when absent or empty. */
  readonly stages?: readonly string[];
}

export interface RegisteredModelTagRequest {
  readonly name: string;
  readonly key: string;
  readonly value: string;
}

export interface DeleteRegisteredModelTagRequest {
  readonly name: string;
  readonly key: string;
}

export interface SetRegisteredModelAliasRequest {
  readonly name: string;
  readonly alias: string;
  readonly version: string;
}

export interface RegisteredModelAliasRequest {
  readonly name: string;
  readonly alias: string;
}

export interface CreateModelVersionRequest {
  readonly name: string;
  /** Where the model's files are: `runs:/<run_id>/<path>` or an `mlflow-artifacts:/` URI. */
  readonly source: string;
  readonly run_id?: string;
  readonly tags?: readonly ModelVersionTag[];
  readonly run_link?: string;
  readonly description?: string;
}

/** Names one version of a registered model. */
export interface ModelVersionRef {
  readonly name: string;
  readonly version: string;
}

export interface UpdateModelVersionRequest extends ModelVersionRef {
  /** An empty string clears it. */
  readonly description: string;
}

export interface TransitionModelVersionStageRequest extends ModelVersionRef {
  /** None, Staging, Production or Archived, in any case. */
  readonly stage: string;
  /** Move the other versions in the target stage to Archived, in the same transaction. */
  readonly archive_existing_versions: boolean;
}

export interface ModelVersionTagRequest extends ModelVersionRef {
  readonly key: string;
  readonly value: string;
}

export interface DeleteModelVersionTagRequest extends ModelVersionRef {
  readonly key: string;
}

export interface ListAuditRequest {
  /** One model's entries; every model's when absent. */
  readonly name?: string;
  /** Default 100, at most 1000. */
  readonly max_results?: number;
  readonly page_token?: string;
}

export interface ListAuditResponse extends Paged {
  /** Newest first. */
  readonly entries: readonly AuditEntry[];
}

/** Exactly one of `alias` and `stage`. */
export type RollbackRequest =
  | { readonly name: string; readonly alias: string; readonly stage?: undefined }
  | { readonly name: string; readonly stage: string; readonly alias?: undefined };

export interface RollbackResponse {
  /** The version that now holds the alias or stage. */
  readonly model_version: ModelVersion;
  /** The audit entry of the rollback itself. */
  readonly audit_entry: AuditEntry;
}
