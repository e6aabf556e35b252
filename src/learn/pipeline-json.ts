/**
 * A fitted pipeline's JSON: its preprocessing steps' state, the model's own JSON, and how columns map to
 * ONNX inputs. pipeline.ts revives it (`pipelineFromJson`).
 */
import { invalidParameter } from "../core/errors.js";
import type { PipelineInput, PipelineSteps } from "./pipeline-onnx.js";
import type { ColumnSelectorJson } from "./preprocess/column-selector.js";
import { columnSelectorFromJson } from "./preprocess/column-selector.js";
import type { OneHotEncoderJson } from "./preprocess/one-hot-encoder.js";
import { oneHotEncoderFromJson } from "./preprocess/one-hot-encoder.js";
import type { SimpleImputerJson } from "./preprocess/simple-imputer.js";
import { simpleImputerFromJson } from "./preprocess/simple-imputer.js";
import type { StandardScalerJson } from "./preprocess/standard-scaler.js";
import { standardScalerFromJson } from "./preprocess/standard-scaler.js";
import type { Params, Task } from "./types.js";

export interface PipelineStepsJson {
  readonly numeric: ColumnSelectorJson;
  readonly imputer?: SimpleImputerJson;
  readonly scaler?: StandardScalerJson;
  readonly categorical: ColumnSelectorJson;
  readonly encoders: readonly OneHotEncoderJson[];
}

export interface PipelineJson {
  readonly format: "keel-pipeline";
  readonly version: 1;
  readonly task: Task;
  readonly targetColumn: string;
  readonly learner: { readonly kind: string; readonly params: Params };
  readonly featureNames: readonly string[];
  readonly inputs: readonly PipelineInput[];
  readonly steps: PipelineStepsJson;
  readonly model: unknown;
}

export function stepsToJson(steps: PipelineSteps): PipelineStepsJson {
  return {
    numeric: steps.numeric.toJson(),
    ...(steps.imputer ? { imputer: steps.imputer.toJson() } : {}),
    ...(steps.scaler ? { scaler: steps.scaler.toJson() } : {}),
    categorical: steps.categorical.toJson(),
    encoders: steps.encoders.map((e) => e.toJson()),
  };
}

/** The fitted steps from their JSON. */
export function stepsFromJson(json: PipelineStepsJson): PipelineSteps {
  return {
    numeric: columnSelectorFromJson(json.numeric),
    categorical: columnSelectorFromJson(json.categorical),
    encoders: json.encoders.map(oneHotEncoderFromJson),
    ...(json.imputer ? { imputer: simpleImputerFromJson(json.imputer) } : {}),
    ...(json.scaler ? { scaler: standardScalerFromJson(json.scaler) } : {}),
  };
}

/** Checks the envelope of a pipeline's JSON before it is revived. */
export function checkPipelineJson(json: unknown): PipelineJson {
  const p = json as Partial<PipelineJson> | null;
  if (!p || p.format !== "keel-pipeline" || p.version !== 1 || !p.steps || !p.inputs || !p.learner || typeof p.targetColumn !== "string") {
    throw invalidParameter("this is not a Keel pipeline (expected format 'keel-pipeline', version 1)");
  }
  return p as PipelineJson;
}
