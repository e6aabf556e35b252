/**
 * The MLmodel file at the root of every MLflow model directory: which flavors can load the model, its
 * signature, its input example and where it came from. Keel reads the files MLflow writes and writes files
 * MLflow clients load, so a model logged through Keel works with `mlflow.pyfunc.load_model`.
 */
import { randomUUID } from "node:crypto";
import { parse } from "yaml";
import { KeelError, invalidParameter } from "./errors.js";
import { INPUT_EXAMPLE_FILE } from "./input-example.js";
import { parseSignature, signatureToMlmodel } from "./model-signature.js";
import type { ModelSignature } from "./model-signature.js";
import { pythonYamlDump } from "./python-yaml.js";

/** The files of an MLflow model directory that Keel reads or writes. */
export const MODEL_FILES = {
  mlmodel: "MLmodel",
  condaEnv: "conda.yaml",
  pythonEnv: "python_env.yaml",
  requirements: "requirements.txt",
  inputExample: INPUT_EXAMPLE_FILE,
  onnxModel: "model.onnx",
} as const;

/** mlflow.onnx's default `providers`: GPU when onnxruntime has it, else CPU. */
export const ONNX_EXECUTION_PROVIDERS: readonly string[] = ["CUDAExecutionProvider", "CPUExecutionProvider"];

/** Keel runs no Python, so the models it logs name this interpreter for MLflow clients to recreate. */
export const DEFAULT_PYTHON_VERSION = "3.11.7";

export interface MlModel {
  artifactPath?: string;
  flavors: Record<string, Record<string, unknown>>;
  runId?: string;
  /** As MLflow writes it: UTC, `YYYY-MM-DD HH:MM:SS.ffffff` (see formatUtcTimeCreated). */
  utcTimeCreated?: string;
  modelUuid?: string;
  mlflowVersion?: string;
  modelSizeBytes?: number;
  signature?: ModelSignature;
  savedInputExampleInfo?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** Top-level keys Keel does not model (databricks_runtime, model_id, prompts, ...), written back unchanged. */
  extra: Record<string, unknown>;
}

const KNOWN_KEYS = new Set([
  "artifact_path",
  "flavors",
  "run_id",
  "utc_time_created",
  "model_uuid",
  "mlflow_version",
  "model_size_bytes",
  "signature",
  "saved_input_example_info",
  "metadata",
]);

/**
 * Parse an MLmodel file written by MLflow (any 1.x-3.x version) or by Keel. `source` names the file in
 * error messages. It is read as YAML 1.1, as PyYAML reads it, except that timestamps stay text.
 */
export function parseMlModel(text: string, source = "MLmodel"): MlModel {
  let doc: unknown;
  try {
    doc = parse(text, {
      version: "1.1",
      customTags: (tags) =>
        tags.filter((t) => (typeof t === "string" ? t !== "timestamp" : t.tag !== "tag:yaml.org,2002:timestamp")),
    });
  } catch (err) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `${source} is not valid YAML: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!isRecord(doc)) throw invalidParameter(`${source} must be a YAML mapping with a 'flavors' key`);
  const flavors = doc.flavors;
  if (!isRecord(flavors)) {
    throw invalidParameter(`${source} has no 'flavors' mapping; every MLflow model names at least one flavor`);
  }
  for (const [name, settings] of Object.entries(flavors)) {
    if (!isRecord(settings)) throw invalidParameter(`${source}: flavor '${name}' must be a mapping of settings`);
  }
  const model: MlModel = { flavors: flavors as Record<string, Record<string, unknown>>, extra: {} };
  assign(model, "artifactPath", optionalText(doc.artifact_path, "artifact_path", source));
  assign(model, "runId", optionalText(doc.run_id, "run_id", source));
  assign(model, "utcTimeCreated", optionalText(doc.utc_time_created, "utc_time_created", source));
  assign(model, "modelUuid", optionalText(doc.model_uuid, "model_uuid", source));
  assign(model, "mlflowVersion", optionalText(doc.mlflow_version, "mlflow_version", source));
  assign(model, "modelSizeBytes", size(doc.model_size_bytes, source));
  assign(model, "signature", signature(doc.signature, source));
  assign(model, "savedInputExampleInfo", mapping(doc.saved_input_example_info, "saved_input_example_info", source));
  assign(model, "metadata", mapping(doc.metadata, "metadata", source));
  for (const [key, value] of Object.entries(doc)) if (!KNOWN_KEYS.has(key)) model.extra[key] = value;
  return model;
}

/**
 * Write an MLmodel file the way MLflow's `Model.to_yaml` does: `yaml.safe_dump(..., default_flow_style=False)`,
 * i.e. block style with every mapping's keys sorted, sequences not indented under their key, strings quoted
 * where YAML 1.1 would read them as something else, and long strings folded as PyYAML folds them.
 */
export function formatMlModel(model: MlModel): string {
  const doc: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(model.extra)) if (!KNOWN_KEYS.has(key)) doc[key] = value;
  doc.flavors = model.flavors;
  const fields: [string, unknown][] = [
    ["artifact_path", model.artifactPath],
    ["run_id", model.runId],
    ["utc_time_created", model.utcTimeCreated],
    ["model_uuid", model.modelUuid],
    ["mlflow_version", model.mlflowVersion],
    ["model_size_bytes", model.modelSizeBytes],
    ["signature", model.signature && signatureToMlmodel(model.signature)],
    ["saved_input_example_info", model.savedInputExampleInfo],
    ["metadata", model.metadata],
  ];
  for (const [key, value] of fields) if (value !== undefined) doc[key] = value;
  return pythonYamlDump(doc);
}

/** MLflow's `utc_time_created`: Python's `str(datetime)` of a naive UTC time, microseconds only when non-zero. */
export function formatUtcTimeCreated(date: Date): string {
  if (Number.isNaN(date.getTime())) throw invalidParameter("utc_time_created needs a valid date");
  const iso = date.toISOString();
  const seconds = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  const micros = date.getUTCMilliseconds() * 1000;
  return micros === 0 ? seconds : `${seconds}.${String(micros).padStart(6, "0")}`;
}

export interface OnnxMlModelOptions {
  /** Where the model lives inside the run's artifacts, e.g. "model"; absent for a model saved outside a run. */
  readonly artifactPath?: string;
  readonly runId?: string;
  /** The `onnx` Python package version the model is compatible with, e.g. "1.16.1". */
  readonly onnxVersion: string;
  readonly signature?: ModelSignature;
  /** true: a data-frame input_example.json was written; an object: the `info` returned by inputExampleJson. */
  readonly inputExample?: boolean | Record<string, unknown>;
  readonly modelSizeBytes?: number;
  readonly now?: Date;
  /** Default: a random UUID4 as 32 hex digits, as MLflow's `uuid.uuid4().hex`. */
  readonly modelUuid?: string;
  readonly pythonVersion?: string;
  /** Omitted by default: Keel is not MLflow, and MLflow leaves the key out when it is unknown. */
  readonly mlflowVersion?: string;
  readonly providers?: readonly string[];
  readonly metadata?: Record<string, unknown>;
}

/**
 * The MLmodel of an ONNX model as `mlflow.onnx.log_model` (MLflow 2.x) writes it, with the flavors `onnx` and
 * `python_function`; the files it names are MODEL_FILES.onnxModel, input_example.json and pythonEnvFiles().
 */
export function onnxMlModel(options: OnnxMlModelOptions): MlModel {
  const { artifactPath, onnxVersion } = options;
  if (artifactPath !== undefined && (artifactPath === "" || artifactPath.startsWith("/") || artifactPath.split(/[/\\]/).includes(".."))) {
    throw invalidParameter(`artifact path '${artifactPath}' must be a non-empty path inside the run, without '..'`);
  }
  if (onnxVersion.trim() === "") throw invalidParameter("onnxVersion is required (the onnx package version)");
  const size = options.modelSizeBytes;
  if (size !== undefined && !(Number.isInteger(size) && size >= 0)) {
    throw invalidParameter(`modelSizeBytes must be a non-negative integer, got ${size}`);
  }
  const exampleInfo =
    options.inputExample === true
      ? { artifact_path: INPUT_EXAMPLE_FILE, pandas_orient: "split", type: "dataframe" }
      : options.inputExample || undefined;
  const model: MlModel = {
    ...(artifactPath !== undefined ? { artifactPath } : {}),
    flavors: {
      onnx: {
        code: null,
        data: MODEL_FILES.onnxModel,
        onnx_session_options: null,
        onnx_version: onnxVersion,
        providers: [...(options.providers ?? ONNX_EXECUTION_PROVIDERS)],
      },
      python_function: {
        data: MODEL_FILES.onnxModel,
        env: { conda: MODEL_FILES.condaEnv, virtualenv: MODEL_FILES.pythonEnv },
        loader_module: "mlflow.onnx",
        python_version: options.pythonVersion ?? DEFAULT_PYTHON_VERSION,
      },
    },
    utcTimeCreated: formatUtcTimeCreated(options.now ?? new Date()),
    modelUuid: options.modelUuid ?? randomUUID().replaceAll("-", ""),
    extra: {},
  };
  assign(model, "runId", options.runId);
  assign(model, "mlflowVersion", options.mlflowVersion);
  assign(model, "modelSizeBytes", size);
  assign(model, "signature", options.signature);
  assign(model, "savedInputExampleInfo", exampleInfo && { ...exampleInfo });
  assign(model, "metadata", options.metadata);
  return model;
}

export interface PythonEnvOptions {
  readonly pythonVersion?: string;
  /** Versions to pin (`pkg==version`); a package without one is left unpinned. */
  readonly mlflowVersion?: string;
  readonly onnxVersion?: string;
  readonly onnxruntimeVersion?: string;
}

/**
 * requirements.txt, conda.yaml and python_env.yaml for an ONNX model, in the form mlflow.onnx writes them
 * (mlflow/utils/environment.py), so that `mlflow models serve --env-manager virtualenv|conda` can rebuild
 * an environment that loads it.
 */
export function pythonEnvFiles(options: PythonEnvOptions = {}): Record<string, string> {
  const pin = (name: string, version: string | undefined): string => (version ? `${name}==${version}` : name);
  const requirements = [
    pin("mlflow", options.mlflowVersion),
    pin("onnx", options.onnxVersion),
    pin("onnxruntime", options.onnxruntimeVersion),
  ];
  const python = options.pythonVersion ?? DEFAULT_PYTHON_VERSION;
  const conda = {
    name: "mlflow-env",
    channels: ["conda-forge"],
    dependencies: [`python=${python}`, "pip", { pip: requirements }],
  };
  // MLflow dumps python_env.yaml with sort_keys=False: python, build_dependencies, dependencies.
  const pythonEnv = {
    python,
    build_dependencies: ["pip", "setuptools", "wheel"],
    dependencies: [`-r ${MODEL_FILES.requirements}`],
  };
  return {
    // MLflow joins the lines with "\n" and writes no final newline.
    [MODEL_FILES.requirements]: requirements.join("\n"),
    [MODEL_FILES.condaEnv]: pythonYamlDump(conda),
    [MODEL_FILES.pythonEnv]: pythonYamlDump(pythonEnv, { sortKeys: false }),
  };
}

function assign<K extends keyof MlModel>(model: MlModel, key: K, value: MlModel[K] | undefined): void {
  if (value !== undefined) model[key] = value;
}

function optionalText(value: unknown, key: string, source: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  // A hand-written `mlflow_version: 2.1` reads as a number in YAML; MLflow keeps whatever it got.
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw invalidParameter(`${source}: '${key}' must be a string`);
}

function size(value: unknown, source: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  throw invalidParameter(`${source}: 'model_size_bytes' must be a non-negative integer`);
}

function signature(value: unknown, source: string): ModelSignature | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return parseSignature(value);
  } catch (err) {
    if (err instanceof KeelError) throw invalidParameter(`${source}: ${err.message}`);
    throw err;
  }
}

function mapping(value: unknown, key: string, source: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (isRecord(value)) return value;
  throw invalidParameter(`${source}: '${key}' must be a mapping`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
