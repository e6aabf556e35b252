import { KeelError, notFound } from "../core/errors.js";
import type { MlModel } from "../core/mlmodel.js";
import { MODEL_FILES, parseMlModel } from "../core/mlmodel.js";
import { parseModelUri } from "../core/model-uri.js";
import { artifactProxyPath } from "./artifact-paths.js";
import { downloadArtifacts } from "./artifact-transfer.js";
import type { RegistryClient } from "./registry-client.js";
import type { ModelVersion } from "./registry-wire-types.js";
import type { TrackingClient } from "./tracking-client.js";

export interface ResolvedModel {
  /** The URI as given. */
  readonly uri: string;
  /** Where the model directory is, e.g. `mlflow-artifacts:/1/<run_id>/artifacts/model`. */
  readonly artifactUri: string;
  /** The registered version, for `models:/` URIs. */
  readonly modelVersion?: ModelVersion;
  /** The run the model was logged in, when known. */
  readonly runId?: string;
}

/** The two clients a model URI needs: the registry for `models:/`, tracking for `runs:/` and the files. */
export interface ModelClients {
  readonly tracking: TrackingClient;
  readonly registry: RegistryClient;
}

export interface LoadedModelInfo {
  readonly mlmodel: MlModel;
  readonly artifactUri: string;
  readonly modelVersion?: ModelVersion;
}

const PROXY_SCHEME = "mlflow-artifacts:";

function isMissing(error: unknown): boolean {
  return error instanceof KeelError && (error.code === "RESOURCE_DOES_NOT_EXIST" || error.code === "NOT_FOUND");
}

/** Runs `lookup`; when the server says something does not exist, throws `explain()`'s more precise error. */
async function orExplain<T>(lookup: Promise<T>, explain: () => Promise<KeelError>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (isMissing(error)) throw await explain();
    throw error;
  }
}

/** The error for a part of `uri` that does not exist: the model itself, or `part` of it (when the model exists). */
async function missingPart(registry: RegistryClient, uri: string, name: string, part: string): Promise<KeelError> {
  try {
    await registry.getRegisteredModel({ name });
  } catch (error) {
    if (isMissing(error)) {
      return notFound(`registered model '${name}' does not exist (in ${uri}); list models with \`keel models list\``);
    }
    throw error;
  }
  return notFound(`${part} (in ${uri})`);
}

async function fromVersion(registry: RegistryClient, uri: string, modelVersion: ModelVersion): Promise<ResolvedModel> {
  const artifactUri = await registry.getModelVersionDownloadUri({ name: modelVersion.name, version: modelVersion.version });
  return { uri, artifactUri, modelVersion, ...(modelVersion.run_id ? { runId: modelVersion.run_id } : {}) };
}

/**
 * Finds where the model a URI names is stored, as MLflow's client resolves model URIs:
 * `models:/NAME/VERSION`, `models:/NAME/STAGE` (the newest version in that stage), `models:/NAME/latest` (the
 * highest version in any stage), `models:/NAME@ALIAS`, `runs:/RUN_ID/PATH`; any other URI is returned as is.
 * Throws INVALID_PARAMETER_VALUE for a malformed URI and RESOURCE_DOES_NOT_EXIST naming the part that does
 * not exist: the model, its version, stage or alias, or the run.
 *
 * @example
 * const { artifactUri, modelVersion } = await resolveModelUri(registry, tracking, "models:/churn@champion");
 */
export async function resolveModelUri(registry: RegistryClient, tracking: TrackingClient, uri: string): Promise<ResolvedModel> {
  const parsed = parseModelUri(uri);
  switch (parsed.kind) {
    case "version": {
      const { name, version } = parsed;
      const found = await orExplain(registry.getModelVersion({ name, version }), () =>
        missingPart(registry, uri, name, `registered model '${name}' has no version ${version}`),
      );
      return fromVersion(registry, uri, found);
    }
    case "stage": {
      const { name, stage } = parsed;
      const noneInStage = `no version of ${name} is in stage ${stage}`;
      const [found] = await orExplain(registry.getLatestVersions({ name, stages: [stage] }), () => missingPart(registry, uri, name, noneInStage));
      if (!found) throw notFound(`${noneInStage} (in ${uri}); move one there with transitionModelVersionStage`);
      return fromVersion(registry, uri, found);
    }
    case "latest": {
      const { name } = parsed;
      const filter = `name='${name.replaceAll("'", "''")}'`;
      const { model_versions } = await registry.searchModelVersions({ filter, order_by: ["version_number DESC"], max_results: 1 });
      if (model_versions.length === 0) {
        throw await missingPart(registry, uri, name, `registered model '${name}' has no versions; register one with createModelVersion`);
      }
      return fromVersion(registry, uri, model_versions[0]);
    }
    case "alias": {
      const { name, alias } = parsed;
      const found = await orExplain(registry.getModelVersionByAlias({ name, alias }), () =>
        missingPart(registry, uri, name, `registered model '${name}' has no alias '${alias}'`),
      );
      return fromVersion(registry, uri, found);
    }
    case "run": {
      const { runId, path } = parsed;
      const run = await orExplain(tracking.getRun({ run_id: runId }), async () =>
        notFound(`run '${runId}' does not exist (in ${uri}); find runs with \`keel runs list\``),
      );
      return { uri, artifactUri: `${run.info.artifact_uri.replace(/\/+$/, "")}/${path}`, runId };
    }
    case "artifact":
      return { uri, artifactUri: parsed.uri };
  }
}

function checkProxied(resolved: ResolvedModel): void {
  if (!resolved.artifactUri.startsWith(PROXY_SCHEME)) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `${resolved.uri} is stored at '${resolved.artifactUri}', which is not served by the tracking server; ` +
        `the SDK downloads only through the tracking server (${PROXY_SCHEME} URIs): fetch it with that store's own tools`,
    );
  }
}

/**
 * Resolves a model URI and reads its MLmodel file through the tracking server. Throws as resolveModelUri
 * does, INVALID_PARAMETER_VALUE when the model is not stored behind the tracking server or its MLmodel is
 * malformed, and RESOURCE_DOES_NOT_EXIST when there is no MLmodel file where the URI points.
 *
 * @example
 * const { mlmodel } = await loadModelInfo({ tracking, registry }, "models:/churn/3");
 * console.log(Object.keys(mlmodel.flavors)); // ["onnx", "python_function"]
 */
export async function loadModelInfo(clients: ModelClients, uri: string): Promise<LoadedModelInfo> {
  const resolved = await resolveModelUri(clients.registry, clients.tracking, uri);
  checkProxied(resolved);
  const bytes = await orExplain(clients.tracking.downloadArtifact({ artifact_uri: resolved.artifactUri, path: MODEL_FILES.mlmodel }), async () =>
    notFound(`${uri} has no ${MODEL_FILES.mlmodel} file at '${resolved.artifactUri}'; is it an MLflow model directory?`),
  );
  const mlmodel = parseMlModel(new TextDecoder().decode(bytes), `${MODEL_FILES.mlmodel} of ${uri}`);
  return { mlmodel, artifactUri: resolved.artifactUri, ...(resolved.modelVersion ? { modelVersion: resolved.modelVersion } : {}) };
}

/**
 * Resolves a model URI and downloads the whole model directory to `<destDir>/<its path in the run>` (e.g.
 * `destDir/model`), as `mlflow artifacts download` lays files out; resolves with that local directory.
 * The model must be among a run's artifacts behind the tracking server (every model logged with logModel or
 * registered from `runs:/` is); otherwise INVALID_PARAMETER_VALUE. Other errors as resolveModelUri.
 *
 * @example
 * const dir = await downloadModel({ tracking, registry }, "models:/churn@champion", "./models");
 */
export async function downloadModel(clients: ModelClients, uri: string, destDir: string): Promise<string> {
  const resolved = await resolveModelUri(clients.registry, clients.tracking, uri);
  checkProxied(resolved);
  const runId = resolved.runId;
  const path = runId ? await pathInRun(clients.tracking, runId, resolved.artifactUri) : undefined;
  if (runId === undefined || path === undefined) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `${uri} is stored at '${resolved.artifactUri}', outside the artifacts of ${runId ? `its run ${runId}` : "any run"}; ` +
        "the SDK downloads models from a run's artifacts: register versions from runs:/<run_id>/<path>",
    );
  }
  const { localPath } = await downloadArtifacts(clients.tracking, { runId, path, dest: destDir });
  return localPath;
}

/** The model's path relative to the run's artifact root, or undefined when it lies elsewhere. */
async function pathInRun(tracking: TrackingClient, runId: string, artifactUri: string): Promise<string | undefined> {
  const run = await tracking.getRun({ run_id: runId });
  // Compared as proxy paths, so that an `mlflow-artifacts://host:port/` authority makes no difference.
  const root = decodeURIComponent(artifactProxyPath(run.info.artifact_uri, ""));
  const model = decodeURIComponent(artifactProxyPath(artifactUri, ""));
  if (!model.startsWith(`${root}/`)) return undefined;
  return model.slice(root.length + 1);
}
