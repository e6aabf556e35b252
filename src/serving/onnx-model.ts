/**
 * A served model: an onnxruntime session over an MLflow model directory (MLmodel + the ONNX file its onnx
 * flavor names), its inputs and outputs as TensorInfo, and `run` from a columnar RowBatch to an OutputBatch.
 * Sessions are created once per loaded version and released when it is swapped out.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import type { InferenceSession } from "onnxruntime-node";
import { invalidParameter, KeelError } from "../core/errors.js";
import { MODEL_FILES, parseMlModel } from "../core/mlmodel.js";
import type { ModelSignature } from "../core/model-signature.js";
import { createTensor } from "./decode-columns.js";
import type { RuntimeConfig } from "./serve-config.js";
import type { ElementType, ModelInterface, OutputBatch, RowBatch, TensorData, TensorInfo } from "./types.js";

export interface LoadedModel extends ModelInterface {
  /** The version served: the registry's version number, a run id, or "local". */
  readonly version: string;
  readonly signature?: ModelSignature;
  /** A one-input model's feature names in order, from a column signature; clients may send named columns. */
  readonly columnNames?: readonly string[];
  /** Seconds to create and warm the session. */
  readonly loadSeconds: number;
  run(batch: RowBatch): Promise<OutputBatch>;
  release(): Promise<void>;
}

const ELEMENT_TYPES: ReadonlySet<string> = new Set([
  "float32", "float64", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "bool", "string",
]);

function tensorInfo(meta: InferenceSession.ValueMetadata, role: string): TensorInfo {
  if (!meta.isTensor || !ELEMENT_TYPES.has(meta.type)) {
    const kind = meta.isTensor ? `a tensor of ${meta.type}` : "not a tensor";
    throw invalidParameter(`the model's ${role} '${meta.name}' is ${kind}; keel serve feeds and reads tensors of ${[...ELEMENT_TYPES].join(", ")}`);
  }
  // The first dimension is the batch; a symbolic or open dimension after it is -1.
  const rowShape = meta.shape.slice(1).map((d) => (typeof d === "number" && d > 0 ? d : -1));
  return { name: meta.name, type: meta.type as ElementType, rowShape };
}

/** The ONNX file of a model directory: the onnx flavor's `data`/`onnx_model` entry, else model.onnx. */
async function onnxFile(dir: string): Promise<{ path: string; signature?: ModelSignature }> {
  let text: string;
  try {
    text = await readFile(join(dir, MODEL_FILES.mlmodel), "utf8");
  } catch {
    const direct = join(dir, MODEL_FILES.onnxModel);
    const found = await stat(direct).then((s) => s.isFile(), () => false);
    if (found) return { path: direct };
    throw invalidParameter(`${dir} holds neither an MLmodel file nor ${MODEL_FILES.onnxModel}; serve a model logged with logModel or saveModel, or a directory with model.onnx`);
  }
  const mlmodel = parseMlModel(text, join(dir, MODEL_FILES.mlmodel));
  const flavor = mlmodel.flavors.onnx;
  if (!flavor) {
    const flavors = Object.keys(mlmodel.flavors).join(", ") || "none";
    throw invalidParameter(`the model in ${dir} has no onnx flavor (it has: ${flavors}); keel serve serves ONNX models: export one with toOnnx/saveModel or skl2onnx`);
  }
  const file = typeof flavor.data === "string" ? flavor.data : typeof flavor.onnx_model === "string" ? flavor.onnx_model : MODEL_FILES.onnxModel;
  return { path: join(dir, file), ...(mlmodel.signature ? { signature: mlmodel.signature } : {}) };
}

function columnNamesOf(signature: ModelSignature | undefined, inputs: readonly TensorInfo[]): string[] | undefined {
  if (!signature || inputs.length !== 1) return undefined;
  const columns = signature.inputs.filter((item) => item.kind === "column");
  if (columns.length !== signature.inputs.length || columns.length < 2) return undefined;
  return columns.map((c) => c.name ?? "");
}

function sessionOptions(runtime: RuntimeConfig): InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: "all",
    executionMode: runtime.executionMode,
    ...(runtime.intraOpThreads > 0 ? { intraOpNumThreads: runtime.intraOpThreads } : {}),
    ...(runtime.interOpThreads > 0 ? { interOpNumThreads: runtime.interOpThreads } : {}),
  };
}

function feeds(batch: RowBatch, inputs: readonly TensorInfo[]): Record<string, ort.Tensor> {
  const result: Record<string, ort.Tensor> = {};
  for (const input of inputs) {
    const data = batch.inputs[input.name];
    if (data === undefined) throw invalidParameter(`input '${input.name}' is missing`);
    const known = input.rowShape.reduce((p, d) => p * (d > 0 ? d : 1), 1);
    const open = input.rowShape.indexOf(-1);
    // An open dimension takes whatever the row holds.
    const rowShape = open >= 0 ? input.rowShape.map((d, i) => (i === open ? data.length / Math.max(1, batch.rows) / known : d)) : input.rowShape;
    result[input.name] = new ort.Tensor(input.type, data, [batch.rows, ...rowShape]);
  }
  return result;
}

/** One row of zeros (or empty strings) per input, to make onnxruntime allocate and plan before traffic. */
function warmUpBatch(inputs: readonly TensorInfo[]): RowBatch {
  const data: Record<string, TensorData> = {};
  for (const input of inputs) {
    const size = input.rowShape.reduce((p, d) => p * (d > 0 ? d : 1), 1);
    const tensor = createTensor(input.type, size);
    if (Array.isArray(tensor)) tensor.fill("");
    data[input.name] = tensor;
  }
  return { rows: 1, inputs: data };
}

/**
 * Loads the model in `dir` (an MLflow model directory, or a directory with model.onnx) at `version`, and
 * runs it once on a row of zeros so that the first request does not pay for onnxruntime's first run.
 *
 * @example
 * const model = await loadOnnxModel("./model", "3", SERVE_DEFAULTS.runtime);
 * const out = await model.run({ rows: 1, inputs: { input: new Float32Array(20) } });
 */
export async function loadOnnxModel(dir: string, version: string, runtime: RuntimeConfig): Promise<LoadedModel> {
  const started = performance.now();
  const { path, signature } = await onnxFile(dir);
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, sessionOptions(runtime));
  } catch (error) {
    throw invalidParameter(`onnxruntime cannot load ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const inputs = session.inputMetadata.map((m) => tensorInfo(m, "input"));
  const outputs = session.outputMetadata.map((m) => tensorInfo(m, "output"));
  const outputNames = outputs.map((o) => o.name);
  const run = async (batch: RowBatch): Promise<OutputBatch> => {
    let result: InferenceSession.ReturnType;
    try {
      result = await session.run(feeds(batch, inputs), outputNames);
    } catch (error) {
      throw new KeelError("INVALID_PARAMETER_VALUE", `the model could not score the input: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const out: Record<string, TensorData> = {};
    for (const name of outputNames) out[name] = result[name].data as TensorData;
    return { rows: batch.rows, outputs: out };
  };
  await run(warmUpBatch(inputs));
  const columnNames = columnNamesOf(signature, inputs);
  return {
    version,
    inputs,
    outputs,
    ...(signature ? { signature } : {}),
    ...(columnNames ? { columnNames } : {}),
    loadSeconds: (performance.now() - started) / 1000,
    run,
    release: () => session.release(),
  };
}
