/**
 * The model directory of an ONNX model, as `mlflow.onnx.log_model` writes it: MLmodel (onnx and
 * python_function flavors, signature, input example info), model.onnx, input_example.json when given, and the
 * Python environment files, so that MLflow clients load it with `mlflow.pyfunc.load_model`. The SDK uploads
 * it to a run; training writes it to a local directory.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inputExampleJson } from "./input-example.js";
import type { MlModel } from "./mlmodel.js";
import { MODEL_FILES, formatMlModel, onnxMlModel, pythonEnvFiles } from "./mlmodel.js";
import type { ModelSignature } from "./model-signature.js";
import { onnxOpsetAndIrVersion, signatureFromOnnx } from "./onnx-signature.js";

export interface OnnxModelDirectoryOptions {
  /** The model's place in its run, when it is logged to one. */
  readonly runId?: string;
  readonly artifactPath?: string;
  /** Default: the tensor signature of the graph. */
  readonly signature?: ModelSignature;
  /** Written to input_example.json as MLflow writes it (see inputExampleJson). */
  readonly inputExample?: unknown;
}

const ENCODER = new TextEncoder();

/**
 * onnx releases and the newest IR and default-opset versions each reads, from onnx's docs/Versioning.md
 * (1.13.0 to 1.17.0). A model logged by Keel names the first of them that reads it, so that the environment
 * MLflow rebuilds from requirements.txt can load it. Releases before 1.13.0 are left out: they have no wheels
 * for the Python 3.11 the MLmodel names (DEFAULT_PYTHON_VERSION), and every later release still reads
 * older models.
 */
const ONNX_RELEASES: readonly { readonly version: string; readonly irVersion: number; readonly opset: number }[] = [
  { version: "1.13.0", irVersion: 8, opset: 18 },
  { version: "1.14.0", irVersion: 9, opset: 19 },
  { version: "1.15.0", irVersion: 9, opset: 20 },
  { version: "1.16.0", irVersion: 10, opset: 21 },
  { version: "1.17.0", irVersion: 10, opset: 22 },
];

/**
 * The onnx package version for a model's MLmodel and requirements.txt. A model newer than every release in
 * the table still records the newest one known (the flavor's onnx_version is informational) but leaves `onnx`
 * unpinned in requirements.txt, so that pip installs a release recent enough to read it.
 */
export function onnxPackageVersion(irVersion: number, opsetVersion: number | undefined): { version: string; pinned: boolean } {
  const release = ONNX_RELEASES.find((r) => irVersion <= r.irVersion && (opsetVersion ?? 0) <= r.opset);
  return release ? { version: release.version, pinned: true } : { version: ONNX_RELEASES[ONNX_RELEASES.length - 1].version, pinned: false };
}

export function byteLength(content: Uint8Array | string): number {
  return typeof content === "string" ? ENCODER.encode(content).length : content.length;
}

/**
 * The model directory of ONNX bytes, as `mlflow.onnx.log_model` writes it: MLmodel, model.onnx, the input
 * example when given, and the Python environment files.
 */
export function onnxModelDirectory(bytes: Uint8Array, options: OnnxModelDirectoryOptions = {}): { mlmodel: MlModel; files: Map<string, { readonly content: Uint8Array | string }> } {
  const { irVersion, opsetVersion } = onnxOpsetAndIrVersion(bytes);
  const version = onnxPackageVersion(irVersion, opsetVersion);
  const signature = options.signature ?? signatureFromOnnx(bytes);
  const example = options.inputExample === undefined ? undefined : inputExampleJson(options.inputExample, signature);
  const files = new Map<string, { readonly content: Uint8Array | string }>([[MODEL_FILES.onnxModel, { content: bytes }]]);
  if (example) files.set(MODEL_FILES.inputExample, { content: example.json });
  // MLflow measures the directory before it writes MLmodel and the environment files: model and example.
  const modelSizeBytes = bytes.length + (example ? byteLength(example.json) : 0);
  for (const [name, text] of Object.entries(pythonEnvFiles({ onnxVersion: version.pinned ? version.version : undefined }))) {
    files.set(name, { content: text });
  }
  const mlmodel = onnxMlModel({
    ...(options.artifactPath !== undefined ? { artifactPath: options.artifactPath } : {}),
    ...(options.runId ? { runId: options.runId } : {}),
    onnxVersion: version.version,
    signature,
    modelSizeBytes,
    ...(example ? { inputExample: example.info } : {}),
  });
  return { mlmodel, files };
}

/** Writes the model directory of ONNX `bytes` to `dir` (created if missing), MLmodel included. */
export async function writeOnnxModelDirectory(dir: string, bytes: Uint8Array, options: OnnxModelDirectoryOptions = {}): Promise<MlModel> {
  const { mlmodel, files } = onnxModelDirectory(bytes, options);
  await mkdir(dir, { recursive: true });
  for (const [name, file] of files) await writeFile(join(dir, name), file.content);
  await writeFile(join(dir, MODEL_FILES.mlmodel), formatMlModel(mlmodel));
  return mlmodel;
}
