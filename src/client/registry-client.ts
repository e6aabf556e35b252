import { KeelError } from "../core/errors.js";
import type { HttpTransport, QueryValue } from "./http-transport.js";
import { createHttpTransport } from "./http-transport.js";
import type {
  CreateModelVersionRequest,
  CreateRegisteredModelRequest,
  DeleteModelVersionTagRequest,
  DeleteRegisteredModelTagRequest,
  GetLatestVersionsRequest,
  ListAuditRequest,
  ListAuditResponse,
  ModelVersion,
  ModelVersionRef,
  ModelVersionTagRequest,
  RegisteredModel,
  RegisteredModelAliasRequest,
  RegisteredModelTagRequest,
  RegistrySearchRequest,
  RenameRegisteredModelRequest,
  RollbackRequest,
  RollbackResponse,
  SearchModelVersionsResponse,
  SearchRegisteredModelsResponse,
  SetRegisteredModelAliasRequest,
  TransitionModelVersionStageRequest,
  UpdateModelVersionRequest,
  UpdateRegisteredModelRequest,
} from "./registry-wire-types.js";
import type { PageOptions, TrackingClientOptions } from "./tracking-client.js";
import { collectPages } from "./tracking-client.js";
import { resolveTrackingUri } from "./tracking-uri.js";

const API = "/api/2.0/mlflow";
const KEEL_API = "/api/2.0/keel";

export interface RegistryClientOptions extends TrackingClientOptions {
  /** Send through this transport instead of creating one (the other options are then ignored). */
  readonly transport?: HttpTransport;
}

/**
 * One method per Model Registry REST endpoint, with MLflow's field names, plus Keel's audit trail and
 * rollback, and the runs/log-model endpoint that logging a model uses. Names are case-sensitive; versions are decimal strings. Every method throws a KeelError with the
 * server's code: RESOURCE_DOES_NOT_EXIST for an unknown model, version or alias, INVALID_PARAMETER_VALUE for
 * input the server refuses, TEMPORARILY_UNAVAILABLE when the server cannot be reached. Times are UTC ms.
 */
export interface RegistryClient {
  readonly trackingUri: string;
  /** RESOURCE_ALREADY_EXISTS if the name is taken. */
  createRegisteredModel(request: CreateRegisteredModelRequest): Promise<RegisteredModel>;
  getRegisteredModel(request: { name: string }): Promise<RegisteredModel>;
  /** Its versions follow it; RESOURCE_ALREADY_EXISTS if `new_name` is taken. */
  renameRegisteredModel(request: RenameRegisteredModelRequest): Promise<RegisteredModel>;
  /** Sets the description (PATCH); an empty string clears it. */
  updateRegisteredModel(request: UpdateRegisteredModelRequest): Promise<RegisteredModel>;
  /** Deletes the model with its versions, tags and aliases; the audit trail keeps its history. */
  deleteRegisteredModel(request: { name: string }): Promise<void>;
  /** Default order: name ascending; one page (default 100, at most 1000) unless `allPages`. */
  searchRegisteredModels(request?: RegistrySearchRequest, options?: PageOptions): Promise<SearchRegisteredModelsResponse>;
  /** The newest version in each of the stages (every stage when none are given) that has one. */
  getLatestVersions(request: GetLatestVersionsRequest): Promise<ModelVersion[]>;
  setRegisteredModelTag(request: RegisteredModelTagRequest): Promise<void>;
  deleteRegisteredModelTag(request: DeleteRegisteredModelTagRequest): Promise<void>;
  /** Points the alias at the version, moving it if it pointed elsewhere; the version must exist. */
  setRegisteredModelAlias(request: SetRegisteredModelAliasRequest): Promise<void>;
  deleteRegisteredModelAlias(request: RegisteredModelAliasRequest): Promise<void>;
  /** RESOURCE_DOES_NOT_EXIST if the model has no such alias. */
  getModelVersionByAlias(request: RegisteredModelAliasRequest): Promise<ModelVersion>;
  /** Registers the next version (highest so far + 1) of an existing model. */
  createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion>;
  getModelVersion(request: ModelVersionRef): Promise<ModelVersion>;
  /** Sets the description (PATCH); an empty string clears it. */
  updateModelVersion(request: UpdateModelVersionRequest): Promise<ModelVersion>;
  /** Deletes the version and the aliases that point at it; its number is not reused. */
  deleteModelVersion(request: ModelVersionRef): Promise<void>;
  /**
   * Default order: name ascending, version descending; one page (default 10,000) unless `allPages`.
   * Filter on `name`, `run_id`, `source_path`, `version_number` and `tags.<key>`.
   */
  searchModelVersions(request?: RegistrySearchRequest, options?: PageOptions): Promise<SearchModelVersionsResponse>;
  /** With `archive_existing_versions`, the other versions in the target stage move to Archived at once. */
  transitionModelVersionStage(request: TransitionModelVersionStageRequest): Promise<ModelVersion>;
  setModelVersionTag(request: ModelVersionTagRequest): Promise<void>;
  deleteModelVersionTag(request: DeleteModelVersionTagRequest): Promise<void>;
  /** Where the version's files are, e.g. `mlflow-artifacts:/1/<run_id>/artifacts/model`. */
  getModelVersionDownloadUri(request: ModelVersionRef): Promise<string>;
  /** Keel's audit trail, newest first; one page (default 100, at most 1000) unless `allPages`. */
  listAudit(request?: ListAuditRequest, options?: PageOptions): Promise<ListAuditResponse>;
  /**
   * Moves an alias or a stage back to the version that held it before; repeated calls walk further back.
   * INVALID_PARAMETER_VALUE when nothing held it before.
   */
  rollback(request: RollbackRequest): Promise<RollbackResponse>;
}

/** The server leaves out empty arrays, as protobuf JSON does; readers get them back as []. */
function modelVersionFromWire(version: ModelVersion): ModelVersion {
  return { ...version, tags: version.tags ?? [], aliases: version.aliases ?? [] };
}

function registeredModelFromWire(model: RegisteredModel): RegisteredModel {
  return {
    ...model,
    latest_versions: (model.latest_versions ?? []).map(modelVersionFromWire),
    tags: model.tags ?? [],
    aliases: model.aliases ?? [],
  };
}

function orNext(token: string | undefined): { next_page_token?: string } {
  return token ? { next_page_token: token } : {};
}

/**
 * A low-level client for the Model Registry REST API of a Keel (or MLflow) tracking server.
 *
 * @example
 * const registry = createRegistryClient({ trackingUri: "http://127.0.0.1:5000" });
 * await registry.createRegisteredModel({ name: "churn" });
 * const v1 = await registry.createModelVersion({ name: "churn", source: `runs:/${runId}/model`, run_id: runId });
 * await registry.setRegisteredModelAlias({ name: "churn", alias: "champion", version: v1.version });
 */
export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const http = options.transport ?? createHttpTransport({ ...options, trackingUri: resolveTrackingUri(options.trackingUri) });
  const post = (path: string, body: unknown) => http.postJson<Record<string, unknown>>(`${API}${path}`, body);
  const get = <T>(path: string, query: Readonly<Record<string, QueryValue>>) => http.getJson<T>(`${API}${path}`, query);

  /** PATCH and DELETE carry a JSON body, as MLflow's client sends them. */
  async function sendJson<T>(method: "PATCH" | "DELETE", path: string, body: unknown): Promise<T> {
    const response = await http.send(method, `${API}${path}`, { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
    const text = await response.text();
    try {
      return (text === "" ? {} : JSON.parse(text)) as T;
    } catch {
      throw new KeelError("INTERNAL_ERROR", `${method} ${API}${path} answered with a body that is not JSON; is ${http.trackingUri} a Keel or MLflow tracking server?`);
    }
  }

  async function registeredModelsPage(request: RegistrySearchRequest): Promise<SearchRegisteredModelsResponse> {
    const body = await get<Partial<SearchRegisteredModelsResponse>>("/registered-models/search", { ...request });
    return { registered_models: (body.registered_models ?? []).map(registeredModelFromWire), ...orNext(body.next_page_token) };
  }

  async function modelVersionsPage(request: RegistrySearchRequest): Promise<SearchModelVersionsResponse> {
    const body = await get<Partial<SearchModelVersionsResponse>>("/model-versions/search", { ...request });
    return { model_versions: (body.model_versions ?? []).map(modelVersionFromWire), ...orNext(body.next_page_token) };
  }

  async function auditPage(request: ListAuditRequest): Promise<ListAuditResponse> {
    const body = await http.getJson<Partial<ListAuditResponse>>(`${KEEL_API}/registered-models/audit`, { ...request });
    return { entries: body.entries ?? [], ...orNext(body.next_page_token) };
  }

  const version = (body: Record<string, unknown>) => modelVersionFromWire(body.model_version as ModelVersion);
  const model = (body: Record<string, unknown>) => registeredModelFromWire(body.registered_model as RegisteredModel);

  return {
    trackingUri: http.trackingUri,
    async createRegisteredModel(request) {
      return model(await post("/registered-models/create", request));
    },
    async getRegisteredModel(request) {
      return model(await get("/registered-models/get", { ...request }));
    },
    async renameRegisteredModel(request) {
      return model(await post("/registered-models/rename", request));
    },
    async updateRegisteredModel(request) {
      return model(await sendJson("PATCH", "/registered-models/update", request));
    },
    async deleteRegisteredModel(request) {
      await sendJson("DELETE", "/registered-models/delete", request);
    },
    async searchRegisteredModels(request = {}, { allPages = false } = {}) {
      if (!allPages) return registeredModelsPage(request);
      const registered_models = await collectPages(async (page_token) => {
        const page = await registeredModelsPage({ ...request, page_token });
        return { items: page.registered_models, next: page.next_page_token };
      });
      return { registered_models };
    },
    async getLatestVersions(request) {
      const body = await post("/registered-models/get-latest-versions", request);
      return ((body.model_versions as ModelVersion[] | undefined) ?? []).map(modelVersionFromWire);
    },
    async setRegisteredModelTag(request) {
      await post("/registered-models/set-tag", request);
    },
    async deleteRegisteredModelTag(request) {
      await sendJson("DELETE", "/registered-models/delete-tag", request);
    },
    async setRegisteredModelAlias(request) {
      await post("/registered-models/alias", request);
    },
    async deleteRegisteredModelAlias(request) {
      await sendJson("DELETE", "/registered-models/alias", request);
    },
    async getModelVersionByAlias(request) {
      return version(await get("/registered-models/alias", { ...request }));
    },
    async createModelVersion(request) {
      return version(await post("/model-versions/create", request));
    },
    async getModelVersion(request) {
      return version(await get("/model-versions/get", { ...request }));
    },
    async updateModelVersion(request) {
      return version(await sendJson("PATCH", "/model-versions/update", request));
    },
    async deleteModelVersion(request) {
      await sendJson("DELETE", "/model-versions/delete", request);
    },
    async searchModelVersions(request = {}, { allPages = false } = {}) {
      if (!allPages) return modelVersionsPage(request);
      const model_versions = await collectPages(async (page_token) => {
        const page = await modelVersionsPage({ ...request, page_token });
        return { items: page.model_versions, next: page.next_page_token };
      });
      return { model_versions };
    },
    async transitionModelVersionStage(request) {
      return version(await post("/model-versions/transition-stage", request));
    },
    async setModelVersionTag(request) {
      await post("/model-versions/set-tag", request);
    },
    async deleteModelVersionTag(request) {
      await sendJson("DELETE", "/model-versions/delete-tag", request);
    },
    async getModelVersionDownloadUri(request) {
      const body = await get<{ artifact_uri?: string }>("/model-versions/get-download-uri", { ...request });
      return body.artifact_uri ?? "";
    },
    async listAudit(request = {}, { allPages = false } = {}) {
      if (!allPages) return auditPage(request);
      const entries = await collectPages(async (page_token) => {
        const page = await auditPage({ ...request, page_token });
        return { items: page.entries, next: page.next_page_token };
      });
      return { entries };
    },
    async rollback(request) {
      const body = await http.postJson<{ model_version: ModelVersion; audit_entry: RollbackResponse["audit_entry"] }>(`${KEEL_API}/registered-models/rollback`, request);
      return { model_version: modelVersionFromWire(body.model_version), audit_entry: body.audit_entry };
    },
  };
}
