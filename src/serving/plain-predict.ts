/**
 * The plain protocol: `POST /predict` as the FastAPI app of the reference guide serves it
 * (shared/reference/002_b07f4ee19692d654.txt, shared/bench/serving/fastapi_app.py), so that its clients move
 * over unchanged. The app takes `{"features": [..]}` (one row) and answers its PredictionOutput model,
 * `{"prediction": int(model.predict(X)[0]), "probability": float(model.predict_proba(X)[0].max())}`.
 * Keel adds `{"instances": [[..], ..]}` for several rows, answered under `predictions`, and `model_version`.
 */
import { KeelError } from "../core/errors.js";
import { DEFAULT_MAX_ROWS, decodeRows, describeValue, refuseRows } from "./decode-columns.js";
import { parseJsonBody } from "./json-body.js";
import { jsonList, jsonScalar } from "./tensor-json.js";
import type { JsonScalar } from "./tensor-json.js";
import type { ModelInterface, OutputBatch, RowBatch, TensorInfo } from "./types.js";

/** A decoded `/predict` body; `single` is true for `features` (answered as one object). */
export interface PlainBatch extends RowBatch {
  readonly single: boolean;
}

export interface PlainPredictOptions {
  readonly maxRows?: number;
}

const EXPECTED = `{"features": [values of one row]} or {"instances": [[values of a row], ...]}`;

/**
 * Decodes a `/predict` body. The row's values feed the model's single input, or, for a model with one
 * input per column, its inputs in declared order.
 */
export function decodePlainPredict(body: string | Buffer, model: ModelInterface, options: PlainPredictOptions = {}): PlainBatch {
  const parsed = parseJsonBody(body, "MALFORMED_REQUEST", EXPECTED);
  const isObject = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  const features: unknown = isObject ? (parsed as Record<string, unknown>).features : undefined;
  const instances: unknown = isObject ? (parsed as Record<string, unknown>).instances : undefined;
  if ((features === undefined) === (instances === undefined)) {
    const got = features === undefined ? describeValue(parsed) : "both 'features' and 'instances'";
    throw new KeelError("INVALID_PARAMETER_VALUE", `Send ${EXPECTED}; got ${got}.${describeOrder(model.inputs)}`);
  }
  if (features !== undefined) {
    if (!Array.isArray(features)) {
      throw new KeelError("INVALID_PARAMETER_VALUE", `'features' must be a list of the row's values; got ${describeValue(features)}.${describeOrder(model.inputs)}`);
    }
    return { rows: 1, inputs: decodeRows([features], model.inputs, "features", false), single: true };
  }
  if (!Array.isArray(instances)) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `'instances' must be a list of rows, each a list of values; got ${describeValue(instances)}.`);
  }
  refuseRows(instances.length, options.maxRows ?? DEFAULT_MAX_ROWS);
  return { rows: instances.length, inputs: decodeRows(instances, model.inputs, "instances"), single: false };
}

function describeOrder(inputs: readonly TensorInfo[]): string {
  if (inputs.length === 1) return "";
  return ` The model takes one value per input, in this order: ${inputs.map((i) => `${i.name} (${i.type})`).join(", ")}.`;
}

export interface PlainPredictExtras {
  readonly modelVersion: string;
  /** Class labels by index, to answer a classifier's `label` output (a class index) with the class itself. */
  readonly classes?: readonly (string | number)[];
}

export interface PlainPrediction {
  readonly prediction: JsonScalar | JsonScalar[];
  readonly probability?: number;
}

export type PlainPredictResponse =
  | (PlainPrediction & { readonly model_version: string })
  | { readonly predictions: PlainPrediction[]; readonly model_version: string };

/**
 * The `/predict` answer. `prediction` comes from the `label` output (a classifier), else `prediction`, else
 * the model's first output; a one-value row gives a number, a wider one a list. `probability` is the row's
 * largest value of a `probabilities` output (the reference's `predict_proba(X)[0].max()`, which is the
 * predicted class's probability), absent when the model has no such output.
 */
export function encodePlainPredict(out: OutputBatch, model: ModelInterface, single: boolean, extras: PlainPredictExtras): PlainPredictResponse {
  const present = model.outputs.filter((o) => out.outputs[o.name] !== undefined);
  const probabilities = present.find((o) => o.name === "probabilities");
  const predicted = present.find((o) => o.name === "label") ?? present.find((o) => o.name === "prediction") ?? present.find((o) => o !== probabilities);
  if (predicted === undefined) throw new KeelError("INTERNAL_ERROR", "The model answered no output to report as a prediction.");
  const rows = out.rows;
  const data = out.outputs[predicted.name];
  const width = rows > 0 ? data.length / rows : 0;
  const probs = probabilities === undefined ? undefined : (out.outputs[probabilities.name] as ArrayLike<number>);
  const classes = rows > 0 && probs !== undefined ? probs.length / rows : 0;
  const predictions = new Array<PlainPrediction>(rows);
  for (let r = 0; r < rows; r++) {
    let prediction: JsonScalar | JsonScalar[] = width === 1 ? jsonScalar(data, predicted.type, r) : jsonList(data, predicted.type, r * width, width);
    if (predicted.name === "label" && extras.classes !== undefined && typeof prediction === "number") {
      prediction = extras.classes[prediction] ?? prediction;
    }
    if (probs === undefined) {
      predictions[r] = { prediction };
      continue;
    }
    let best = -Infinity;
    for (let c = r * classes; c < (r + 1) * classes; c++) if (probs[c] > best) best = probs[c];
    predictions[r] = { prediction, probability: best };
  }
  if (single) return { ...predictions[0], model_version: extras.modelVersion };
  return { predictions, model_version: extras.modelVersion };
}
