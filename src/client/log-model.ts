import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { KeelError, invalidParameter } from "../core/errors.js";
import { inputExampleJson } from "../core/input-example.js";
import { byteLength, onnxModelDirectory } from "../core/onnx-model-directory.js";
import type { MlModel } from "../core/mlmodel.js";
import { MODEL_FILES, formatMlModel, formatUtcTimeCreated, parseMlModel } from "../core/mlmodel.js";
import type { ModelSignature } from "../core/model-signature.js";
import { joinArtifactPaths, normaliseArtifactPath } from "./artifact-paths.js";
import { listLocalFiles } from "./artifact-transfer.js";
import type { RegistryClient } from "./registry-client.js";
import { createRegistryClient } from "./registry-client.js";
import type { ModelVersion } from "./registry-wire-types.js";
import type { ArtifactBody, TrackingClient } from "./tracking-client.js";

/** The run a model is logged to. */
export interface LogModelContext {
  readonly client: TrackingClient;
  readonly runId: string;
  /** The run's `info.artifact_uri`, `mlflow-artifacts:/<experiment>/<run>/artifacts`. */
  readonly artifactUri: string;
  /**
   * Records the logged model and registers versions. Default: a registry client over `client.trackingUri`
   * (without the tracking client's custom headers or fetch: pass one when those matter).
   */
  readonly registry?: RegistryClient;
}

export interface LogModelOptions {
  /** Where the model directory goes among the run's artifacts, e.g. "model". */
  readonly artifactPath: string;
  /** Default for ONNX bytes: the tensor signature of the graph. A directory's own signature is replaced. */
  readonly signature?: ModelSignature;
  /** Written to input_example.json as MLflow writes it (see inputExampleJson). */
  readonly inputExample?: unknown;
  /** Also register the model as a new version of this registered model, created if missing. */
  readonly registeredModelName?: string;
  /** The new model version's description (needs registeredModelName). */
  readonly description?: string;
  /** The new model version's tags (needs registeredModelName). */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ModelInfo {
  /** `runs:/<run_id>/<artifactPath>`. */
  readonly modelUri: string;
  readonly artifactPath: string;
  readonly runId: string;
  /** The MLmodel as uploaded. */
  readonly mlmodel: MlModel;
  /** The registered version, when `registeredModelName` was given. */
  readonly modelVersion?: ModelVersion;
}

/** A file of the model directory: generated content, or a local file streamed from disk. */
type ModelFile = { readonly content: Uint8Array | string } | { readonly localPath: string };

/** A local MLflow model directory, with its MLmodel rewritten for this run. */
async function directoryModelFiles(dir: string, runId: string, artifactPath: string, options: LogModelOptions): Promise<{ mlmodel: MlModel; files: Map<string, ModelFile> }> {
  const info = await stat(dir).catch((error: unknown) => {
    throw new KeelError("INVALID_PARAMETER_VALUE", `cannot read model directory '${dir}': ${(error as Error).message}`, { cause: error });
  });
  if (!info.isDirectory()) throw invalidParameter(`'${dir}' is not a directory; logModel takes an MLflow model directory or the bytes of an ONNX model`);
  const local = await listLocalFiles(dir);
  if (!local.includes(MODEL_FILES.mlmodel)) {
    throw invalidParameter(`'${dir}' has no ${MODEL_FILES.mlmodel} file, so it is not an MLflow model directory; save the model with MLflow first, or pass ONNX bytes`);
  }
  const mlmodel = parseMlModel(await readFile(join(dir, MODEL_FILES.mlmodel), "utf8"), join(dir, MODEL_FILES.mlmodel));
  const files = new Map<string, ModelFile>(local.map((path) => [path, { localPath: join(dir, ...path.split("/")) }]));
  files.delete(MODEL_FILES.mlmodel);
  mlmodel.runId = runId;
  mlmodel.artifactPath = artifactPath;
  mlmodel.utcTimeCreated ??= formatUtcTimeCreated(new Date());
  if (options.signature) mlmodel.signature = options.signature;
  if (options.inputExample !== undefined) {
    const example = inputExampleJson(options.inputExample, mlmodel.signature);
    files.set(MODEL_FILES.inputExample, { content: example.json });
    mlmodel.savedInputExampleInfo = example.info;
  }
  if (mlmodel.modelSizeBytes === undefined) {
    let size = 0;
    for (const file of files.values()) size += "content" in file ? byteLength(file.content) : (await stat(file.localPath)).size;
    mlmodel.modelSizeBytes = size;
  }
  return { mlmodel, files };
}

/**
 * What MLflow's client sends to runs/log-model (`Model.get_tags_dict()`): the MLmodel dict cut down to
 * where the model is and how to load it, so that the run's `mlflow.log-model.history` tag, which collects
 * one entry per logged model, stays under the 8000-character tag limit however large the signature.
 */
function loggedModelJson(mlmodel: MlModel): string {
  const flavors = Object.fromEntries(
    Object.entries(mlmodel.flavors).map(([name, settings]) => [name, Object.fromEntries(Object.entries(settings).filter(([key]) => key !== "config"))]),
  );
  const entry = { run_id: mlmodel.runId, artifact_path: mlmodel.artifactPath, utc_time_created: mlmodel.utcTimeCreated, model_uuid: mlmodel.modelUuid, flavors };
  return JSON.stringify(entry);
}

function bodyOf(file: ModelFile): ArtifactBody {
  return "content" in file ? file.content : (Readable.toWeb(createReadStream(file.localPath)) as unknown as ReadableStream<Uint8Array>);
}

async function register(registry: RegistryClient, name: string, modelUri: string, runId: string, options: LogModelOptions): Promise<ModelVersion> {
  try {
    await registry.createRegisteredModel({ name });
  } catch (error) {
    if (!(error instanceof KeelError && error.code === "RESOURCE_ALREADY_EXISTS")) throw error;
  }
  return registry.createModelVersion({
    name,
    source: modelUri,
    run_id: runId,
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.tags ? { tags: Object.entries(options.tags).map(([key, value]) => ({ key, value })) } : {}),
  });
}

/**
 * Logs a model to a run, as `mlflow.<flavor>.log_model` does: uploads the model directory under
 * `<artifactPath>/` of the run's artifacts (the MLmodel last, so that a model whose upload failed half-way
 * has none), records it in the run's `mlflow.log-model.history` tag, and registers it as a new version when
 * `registeredModelName` is given. `model` is either the bytes of an ONNX model, from which the whole
 * directory (MLmodel, model.onnx, input_example.json, requirements.txt, conda.yaml, python_env.yaml) is
 * built, or a local MLflow model directory (one with an MLmodel file), uploaded with its MLmodel's run_id
 * and artifact_path set. Throws INVALID_PARAMETER_VALUE for bytes that are not ONNX, a directory without
 * a valid MLmodel or a bad artifact path, and the server's errors (RESOURCE_DOES_NOT_EXIST for an unknown run).
 *
 * @example
 * const info = await logModel({ client, runId, artifactUri }, onnxBytes, { artifactPath: "model", registeredModelName: "churn" });
 * console.log(info.modelUri, info.modelVersion?.version); // runs:/<run_id>/model 1
 */
export async function logModel(context: LogModelContext, model: string | Uint8Array, options: LogModelOptions): Promise<ModelInfo> {
  const artifactPath = normaliseArtifactPath(options.artifactPath);
  if (artifactPath === "") throw invalidParameter("artifactPath must name a directory inside the run, e.g. \"model\"");
  if (options.registeredModelName === undefined && (options.description !== undefined || options.tags !== undefined)) {
    throw invalidParameter("description and tags describe the registered model version: give registeredModelName too");
  }
  const { client, runId, artifactUri } = context;
  const { mlmodel, files } = typeof model === "string"
    ? await directoryModelFiles(model, runId, artifactPath, options)
    : onnxModelDirectory(model, { runId, artifactPath, ...(options.signature ? { signature: options.signature } : {}), ...(options.inputExample !== undefined ? { inputExample: options.inputExample } : {}) });
  for (const [path, file] of files) {
    await client.uploadArtifact({ artifact_uri: artifactUri, path: joinArtifactPaths(artifactPath, path), body: bodyOf(file) });
  }
  await client.uploadArtifact({ artifact_uri: artifactUri, path: joinArtifactPaths(artifactPath, MODEL_FILES.mlmodel), body: formatMlModel(mlmodel) });

  await client.recordLoggedModel({ run_id: runId, model_json: loggedModelJson(mlmodel) });
  const modelUri = `runs:/${runId}/${artifactPath}`;
  const info: ModelInfo = { modelUri, artifactPath, runId, mlmodel };
  if (options.registeredModelName === undefined) return info;
  const registry = context.registry ?? createRegistryClient({ trackingUri: client.trackingUri });
  return { ...info, modelVersion: await register(registry, options.registeredModelName, modelUri, runId, options) };
}
