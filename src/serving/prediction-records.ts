/**
 * Turns one scored request into prediction-log lines, one per row, with inputs keyed by feature name and
 * outputs by output name, so that monitoring reads each feature as a column. The lines are written straight
 * from the tensors with each key's text prepared once per model: the log runs on every request, and an
 * object per row through JSON.stringify cost the server a third of its throughput.
 */
import type { EncodedPrediction } from "./prediction-log.js";
import { predictionTimestamp } from "./prediction-log.js";
import type { ElementType, OutputBatch, RowBatch, TensorData, TensorInfo } from "./types.js";

/** What the log needs of the model that answered. */
export interface LoggedModel {
  readonly version: string;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** A one-input model's feature names, to log its values as columns. */
  readonly columnNames?: readonly string[];
}

export interface ScoredRequest {
  readonly requestId: string;
  readonly timestamp: number;
  readonly model: string;
  readonly protocol: string;
  readonly latencyMs: number;
  readonly shadow?: boolean;
}

/** One JSON value of a tensor: numbers as JSON numbers (non-finite ones as null), strings quoted. */
function jsonText(data: TensorData, type: ElementType, index: number): string {
  const value = data[index];
  if (type === "string") return JSON.stringify(value);
  if (type === "bool") return value ? "true" : "false";
  const n = Number(value);
  return Number.isFinite(n) ? String(n) : "null";
}

function cellText(data: TensorData, info: TensorInfo, row: number, width: number): string {
  if (width === 1) return jsonText(data, info.type, row);
  let text = "[";
  for (let j = 0; j < width; j++) text += (j > 0 ? "," : "") + jsonText(data, info.type, row * width + j);
  return `${text}]`;
}

interface RecordEncoder {
  /** `"key":` prefixes of a wide single input's features, or null to log inputs by input name. */
  readonly featureKeys: (width: number) => readonly string[] | null;
  readonly inputKeys: readonly string[];
  readonly outputKeys: readonly string[];
}

const ENCODERS = new WeakMap<LoggedModel, RecordEncoder>();

function encoderOf(model: LoggedModel): RecordEncoder {
  let encoder = ENCODERS.get(model);
  if (encoder) return encoder;
  const single = model.inputs.length === 1 && model.inputs[0].type !== "string" ? model.inputs[0] : undefined;
  const byWidth = new Map<number, readonly string[]>();
  encoder = {
    featureKeys: (width) => {
      if (!single || width <= 1) return null;
      let keys = byWidth.get(width);
      if (!keys) {
        // The signature's column names, else `<input>_<j>`.
        const names = model.columnNames?.length === width ? model.columnNames : Array.from({ length: width }, (_, j) => `${single.name}_${j}`);
        keys = names.map((n) => `${JSON.stringify(n)}:`);
        byWidth.set(width, keys);
      }
      return keys;
    },
    inputKeys: model.inputs.map((i) => `${JSON.stringify(i.name)}:`),
    outputKeys: model.outputs.map((o) => `${JSON.stringify(o.name)}:`),
  };
  ENCODERS.set(model, encoder);
  return encoder;
}

/** The log lines of a request's rows; `model` is the version that answered. */
export function predictionRecords(request: ScoredRequest, model: LoggedModel, batch: RowBatch, out: OutputBatch): EncodedPrediction[] {
  const rows = batch.rows;
  const encoder = encoderOf(model);
  const records: EncodedPrediction[] = new Array(rows);
  const single = model.inputs.length === 1 ? model.inputs[0] : undefined;
  const singleData = single ? batch.inputs[single.name] : undefined;
  const width = singleData && rows > 0 ? singleData.length / rows : 0;
  const featureKeys = single ? encoder.featureKeys(width) : null;
  const head =
    `,"timestamp":"${predictionTimestamp(request.timestamp)}","model":${JSON.stringify(request.model)},"version":${JSON.stringify(model.version)},` +
    `"protocol":${JSON.stringify(request.protocol)},"shadow":${request.shadow === true},"latency_ms":${Number.isFinite(request.latencyMs) ? request.latencyMs : null},"inputs":{`;
  for (let r = 0; r < rows; r++) {
    const requestId = rows === 1 ? request.requestId : `${request.requestId}:${r}`;
    let line = `{"request_id":${JSON.stringify(requestId)}${head}`;
    if (featureKeys && singleData && single) {
      for (let j = 0; j < featureKeys.length; j++) line += (j > 0 ? "," : "") + featureKeys[j] + jsonText(singleData, single.type, r * width + j);
    } else {
      let first = true;
      model.inputs.forEach((input, k) => {
        const data = batch.inputs[input.name];
        if (!data) return;
        line += (first ? "" : ",") + encoder.inputKeys[k] + cellText(data, input, r, data.length / rows);
        first = false;
      });
    }
    line += '},"outputs":{';
    let first = true;
    model.outputs.forEach((output, k) => {
      const data = out.outputs[output.name];
      if (!data) return;
      line += (first ? "" : ",") + encoder.outputKeys[k] + cellText(data, output, r, data.length / rows);
      first = false;
    });
    records[r] = { requestId, timestamp: request.timestamp, model: request.model, line: `${line}}}` };
  }
  return records;
}
