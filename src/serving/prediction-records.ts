/**
 * Turns one scored request into prediction-log records, one per row, with inputs keyed by feature name and
 * outputs by output name, so that monitoring reads each feature as a column.
 */
import type { LoadedModel } from "./onnx-model.js";
import type { PredictionRecord } from "./prediction-log.js";
import { jsonList, jsonScalar } from "./tensor-json.js";
import type { OutputBatch, RowBatch, TensorData, TensorInfo } from "./types.js";

export interface ScoredRequest {
  readonly requestId: string;
  readonly timestamp: number;
  readonly model: string;
  readonly protocol: string;
  readonly latencyMs: number;
  readonly shadow?: boolean;
}

function cell(data: TensorData, info: TensorInfo, row: number, width: number): unknown {
  return width === 1 ? jsonScalar(data, info.type, row) : jsonList(data, info.type, row * width, width);
}

/** The names a wide single input's values are logged under: the signature's columns, else `<input>_<j>`. */
function featureNames(model: LoadedModel, input: TensorInfo, width: number): string[] {
  if (model.columnNames && model.columnNames.length === width) return [...model.columnNames];
  return Array.from({ length: width }, (_, j) => `${input.name}_${j}`);
}

/** The records of a request's rows; `deployment` is the model version that answered. */
export function predictionRecords(request: ScoredRequest, model: LoadedModel, batch: RowBatch, out: OutputBatch): PredictionRecord[] {
  const rows = batch.rows;
  const records: PredictionRecord[] = new Array(rows);
  const single = model.inputs.length === 1 ? model.inputs[0] : undefined;
  const singleData = single ? batch.inputs[single.name] : undefined;
  const singleWidth = singleData && rows > 0 ? singleData.length / rows : 0;
  const names = single && singleWidth > 1 && single.type !== "string" ? featureNames(model, single, singleWidth) : undefined;
  for (let r = 0; r < rows; r++) {
    const inputs: Record<string, unknown> = {};
    if (names && singleData) {
      for (let j = 0; j < names.length; j++) inputs[names[j]] = jsonScalar(singleData, single?.type ?? "float32", r * singleWidth + j);
    } else {
      for (const input of model.inputs) {
        const data = batch.inputs[input.name];
        if (data) inputs[input.name] = cell(data, input, r, data.length / rows);
      }
    }
    const outputs: Record<string, unknown> = {};
    for (const output of model.outputs) {
      const data = out.outputs[output.name];
      if (data) outputs[output.name] = cell(data, output, r, data.length / rows);
    }
    records[r] = {
      requestId: rows === 1 ? request.requestId : `${request.requestId}:${r}`,
      timestamp: request.timestamp,
      model: request.model,
      version: model.version,
      protocol: request.protocol,
      inputs,
      outputs,
      latencyMs: request.latencyMs,
      ...(request.shadow ? { shadow: true } : {}),
    };
  }
  return records;
}
