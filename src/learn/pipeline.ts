/**
 * Preprocessing and a learner fitted together on a Frame, predicting on Frames and exporting as ONE ONNX model
 * (see pipeline-onnx.ts for its inputs and outputs). Numeric columns are imputed (median by default) and
 * standardised, then followed by the one-hot encodings of the categorical columns, as a scikit-learn
 * ColumnTransformer([("num", Pipeline([imputer, scaler]), numeric), ("cat", OneHotEncoder(handle_unknown=
 * "ignore"), categorical)]) would lay them out.
 */
import type { Frame } from "../core/frame.js";
import { invalidParameter } from "../core/errors.js";
import type { ModelSignature } from "../core/model-signature.js";
import { encodeClasses, inferTask, targetFromColumn } from "./data/encode-target.js";
import { getColumn } from "./data/frame-columns.js";
import type { PipelineInput, PipelineSteps } from "./pipeline-onnx.js";
import { exportPipelineOnnx, pipelineInputs, pipelineSignature } from "./pipeline-onnx.js";
import { createColumnSelector } from "./preprocess/column-selector.js";
import { fitOneHotEncoder } from "./preprocess/one-hot-encoder.js";
import type { ImputeStrategy } from "./preprocess/simple-imputer.js";
import { fitSimpleImputer } from "./preprocess/simple-imputer.js";
import { fitStandardScaler } from "./preprocess/standard-scaler.js";
import { checkPipelineJson, stepsFromJson, stepsToJson } from "./pipeline-json.js";
import type { PipelineJson } from "./pipeline-json.js";
import type { FitOptions, FittedClassifier, FittedModel, FittedRegressor, Learner, Matrix, Params, Target, Task } from "./types.js";
import { autologFit, autologProgress } from "./pipeline-autolog.js";

export interface PipelineOptions {
  /**
   * Numeric columns. When neither role is given, every column but the target is used: number columns as
   * numeric, text columns as categorical. When one role is given, the other defaults to the remaining columns
   * of its kind.
   */
  readonly numeric?: readonly string[];
  /** Categorical (text) columns, one-hot encoded. */
  readonly categorical?: readonly string[];
  readonly learner: Learner;
  /** How missing numbers are filled (default "median"); false leaves NaN for the learner. */
  readonly numericImpute?: ImputeStrategy | { readonly strategy: ImputeStrategy; readonly fillValue?: number } | false;
  /** Standardise the numeric columns (default true). */
  readonly scale?: boolean;
}

export interface PipelineFitOptions extends FitOptions {
  /** Default: from the target column (text or few distinct integers → classification; see inferTask). */
  readonly task?: Task;
}

export interface Pipeline {
  readonly learner: Learner;
  fit(frame: Frame, targetColumn: string, options?: PipelineFitOptions): Promise<FittedPipeline>;
}

interface FittedPipelineBase {
  readonly targetColumn: string;
  readonly learner: { readonly kind: string; readonly params: Params };
  /** The model's features in order: numeric columns, then `column_category` per one-hot feature. */
  readonly featureNames: readonly string[];
  /** The source columns and the ONNX input (and signature column) each is fed through. */
  readonly inputs: readonly PipelineInput[];
  readonly steps: PipelineSteps;
  /** The model's input matrix for `frame` (float32 values, as the ONNX model computes them). */
  transform(frame: Frame): Matrix;
  /** The target column of `frame` as a Target, with this pipeline's classes for classification. */
  encodeTarget(frame: Frame): Target;
  /** ONE ONNX model: preprocessing and the model; see pipeline-onnx.ts for inputs and outputs. */
  exportOnnx(): Uint8Array;
  /** MLflow's signature of the exported model. */
  signature(): ModelSignature;
  toJson(): PipelineJson;
}

export interface FittedClassificationPipeline extends FittedPipelineBase {
  readonly task: "classification";
  /** Class names; `predict` and the ONNX `label` output give indices into this list. */
  readonly classes: readonly string[];
  readonly model: FittedClassifier;
  predict(frame: Frame): Int32Array;
  /** rows × classes, row-major. */
  predictProba(frame: Frame): Float64Array;
}

export interface FittedRegressionPipeline extends FittedPipelineBase {
  readonly task: "regression";
  readonly model: FittedRegressor;
  predict(frame: Frame): Float64Array;
}

export type FittedPipeline = FittedClassificationPipeline | FittedRegressionPipeline;

/**
 * A pipeline of preprocessing and `learner`.
 *
 * @example
 * const pipeline = createPipeline({ learner: createLogisticRegression({ C: 1 }) });
 * const fitted = await pipeline.fit(await readTable("customers.csv"), "churn", { seed: 42 });
 * writeFileSync("model.onnx", fitted.exportOnnx());
 */
export function createPipeline(options: PipelineOptions): Pipeline {
  return {
    learner: options.learner,
    async fit(frame, targetColumn, fitOptions = {}) {
      const targetValues = getColumn(frame, targetColumn);
      const task = fitOptions.task ?? inferTask(targetValues);
      const target = targetFromColumn(targetValues, task);
      const roles = columnRoles(frame, targetColumn, options);
      const steps = fitSteps(frame, roles, options);
      const inputs = pipelineInputs(roles.numeric, roles.categorical);
      const featureNames = [...roles.numeric, ...steps.encoders.flatMap((e) => e.featureNames)];
      const x = transformWith(steps, frame);
      const model = await options.learner.fit(x, target, { seed: fitOptions.seed, onProgress: autologProgress(fitOptions.onProgress) });
      if (model.task !== task) throw invalidParameter(`learner '${options.learner.kind}' does ${model.task}, but the task is ${task}`);
      if (model.featureCount !== featureNames.length) {
        throw invalidParameter(`learner '${options.learner.kind}' fitted ${model.featureCount} features but the pipeline made ${featureNames.length}`);
      }
      const fitted = fittedPipeline({ targetColumn, learner: { kind: options.learner.kind, params: options.learner.params }, featureNames, inputs, steps, model });
      await autologFit(fitted, frame);
      return fitted;
    },
  };
}

export interface FittedPipelineParts {
  readonly targetColumn: string;
  readonly learner: { readonly kind: string; readonly params: Params };
  readonly featureNames: readonly string[];
  readonly inputs: readonly PipelineInput[];
  readonly steps: PipelineSteps;
  readonly model: FittedModel;
}

/** A fitted pipeline from its parts (what `fit` and `pipelineFromJson` build). */
export function fittedPipeline(parts: FittedPipelineParts): FittedPipeline {
  const { targetColumn, learner, featureNames, inputs, steps, model } = parts;
  const transform = (frame: Frame): Matrix => transformWith(steps, frame);
  const base = {
    targetColumn,
    learner,
    featureNames,
    inputs,
    steps,
    transform,
    exportOnnx: () => exportPipelineOnnx(inputs, steps, model),
    signature: () => pipelineSignature(inputs, model),
    toJson: (): PipelineJson => ({
      format: "keel-pipeline",
      version: 1,
      task: model.task,
      targetColumn,
      learner: { kind: learner.kind, params: { ...learner.params } },
      featureNames: [...featureNames],
      inputs: inputs.map((i) => ({ ...i })),
      steps: stepsToJson(steps),
      model: model.toJson(),
    }),
  };
  if (model.task === "classification") {
    return {
      ...base,
      task: "classification",
      classes: model.classes,
      model,
      predict: (frame) => model.predict(transform(frame)),
      predictProba: (frame) => model.predictProba(transform(frame)),
      encodeTarget: (frame) => ({ task: "classification", ...encodeClasses(getColumn(frame, targetColumn), model.classes) }),
    };
  }
  return {
    ...base,
    task: "regression",
    model,
    predict: (frame) => model.predict(transform(frame)),
    encodeTarget: (frame) => targetFromColumn(getColumn(frame, targetColumn), "regression"),
  };
}

/**
 * Rebuilds a pipeline written by `toJson`; `modelFromJson` rebuilds its model (each learner module has one), so
 * that this module does not depend on every learner.
 */
export function pipelineFromJson(json: unknown, modelFromJson: (model: unknown) => FittedModel): FittedPipeline {
  const p = checkPipelineJson(json);
  const model = modelFromJson(p.model);
  if (model.task !== p.task) throw invalidParameter(`the pipeline is for ${p.task} but its model does ${model.task}`);
  return fittedPipeline({ targetColumn: p.targetColumn, learner: p.learner, featureNames: p.featureNames, inputs: p.inputs, steps: stepsFromJson(p.steps), model });
}

function columnRoles(frame: Frame, targetColumn: string, options: PipelineOptions): { numeric: string[]; categorical: string[] } {
  const named = new Set([...(options.numeric ?? []), ...(options.categorical ?? [])]);
  if (named.has(targetColumn)) throw invalidParameter(`the target column '${targetColumn}' cannot also be a feature; remove it from the column lists`);
  const rest = (kind: "number" | "string"): string[] =>
    frame.columns.filter((c) => c.kind === kind && c.name !== targetColumn && !named.has(c.name)).map((c) => c.name);
  const numeric = options.numeric ? [...options.numeric] : rest("number");
  const categorical = options.categorical ? [...options.categorical] : rest("string");
  const both = numeric.filter((n) => categorical.includes(n));
  if (both.length > 0) throw invalidParameter(`column '${both[0]}' is listed as both numeric and categorical; pick one`);
  if (numeric.length + categorical.length === 0) {
    throw invalidParameter(`no feature columns: the table has only the target '${targetColumn}'; add columns or name them`);
  }
  return { numeric, categorical };
}

function fitSteps(frame: Frame, roles: { numeric: string[]; categorical: string[] }, options: PipelineOptions): PipelineSteps {
  const numeric = createColumnSelector(roles.numeric, "number");
  const categorical = createColumnSelector(roles.categorical, "string");
  const catColumns = categorical.select(frame);
  const encoders = catColumns.map((c) => fitOneHotEncoder(c.name, c.values as readonly (string | null)[]));
  if (roles.numeric.length === 0) return { numeric, categorical, encoders };
  let x = numeric.toMatrix(frame);
  const impute = options.numericImpute ?? "median";
  const imputer = impute === false ? undefined : fitSimpleImputer(x, typeof impute === "string" ? { strategy: impute } : impute);
  if (imputer) x = imputer.transform(x);
  const scaler = (options.scale ?? true) ? fitStandardScaler(x) : undefined;
  return { numeric, categorical, encoders, ...(imputer ? { imputer } : {}), ...(scaler ? { scaler } : {}) };
}

function transformWith(steps: PipelineSteps, frame: Frame): Matrix {
  const width = steps.numeric.names.length + steps.encoders.reduce((n, e) => n + e.categories.length, 0);
  const data = new Float64Array(frame.rowCount * width);
  let offset = 0;
  if (steps.numeric.names.length > 0) {
    let x = steps.numeric.toMatrix(frame);
    if (steps.imputer) x = steps.imputer.transform(x);
    if (steps.scaler) x = steps.scaler.transform(x);
    for (let r = 0; r < x.rows; r++) data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), r * width);
    offset = x.cols;
  }
  const catColumns = steps.categorical.select(frame);
  steps.encoders.forEach((encoder, i) => {
    encoder.transformInto(catColumns[i].values as readonly (string | null)[], data, width, offset);
    offset += encoder.categories.length;
  });
  return { rows: frame.rowCount, cols: width, data };
}
