/**
 * The model registry's entities, as MLflow's Model Registry defines them. Times are UTC epoch milliseconds;
 * versions are decimal strings ("1", "2", ...) numbered per model from 1 and never reused.
 */

import type { ModelStage } from "../core/model-uri.js";

export { MODEL_STAGES as MODEL_VERSION_STAGES } from "../core/model-uri.js";
export type ModelVersionStage = ModelStage;

export interface RegistryTag {
  readonly key: string;
  readonly value: string;
}

export interface ModelAlias {
  readonly alias: string;
  readonly version: string;
}

export interface ModelVersion {
  readonly name: string;
  readonly version: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly userId: string | undefined;
  readonly currentStage: ModelVersionStage;
  readonly description: string | undefined;
  /** The URI the version was registered from, as given (`runs:/...`, `mlflow-artifacts:/...`, `s3://...`). */
  readonly source: string;
  /** Where the model's files are: `source` with `runs:/` resolved to the run's artifact location. */
  readonly storageLocation: string;
  readonly runId: string | undefined;
  readonly runLink: string | undefined;
  /** Registration is synchronous in Keel, so versions are always READY. */
  readonly status: "READY";
  readonly tags: readonly RegistryTag[];
  readonly aliases: readonly string[];
}

export interface RegisteredModel {
  readonly name: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly userId: string | undefined;
  readonly description: string | undefined;
  /** The newest version in each stage that has one, as MLflow lists them. */
  readonly latestVersions: readonly ModelVersion[];
  readonly tags: readonly RegistryTag[];
  readonly aliases: readonly ModelAlias[];
}

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

/** One recorded registry mutation: who did what to which model, when, and the value before and after. */
export interface AuditEntry {
  readonly id: number;
  readonly timestamp: number;
  /** The caller's identity when authentication is on, otherwise `anonymous`. */
  readonly actor: string;
  readonly action: AuditAction;
  readonly name: string;
  readonly version: string | undefined;
  /**
   * The field that changed: `alias:<alias>` (from/to are versions), `stage` (from/to are stages),
   * `description`, `tag:<key>`, `name`, `source`.
   */
  readonly target: string | undefined;
  readonly from: string | undefined;
  readonly to: string | undefined;
  /** For a rollback, the id of the move it undid. */
  readonly reverts: number | undefined;
}

export interface RegistryPage<T> {
  readonly items: readonly T[];
  readonly nextPageToken?: string;
}
