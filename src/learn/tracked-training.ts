/**
 * `keel train` and the SDK's tracked training: read a table, split it, fit a pipeline, evaluate it (and
 * cross-validate if asked), and log everything to a run — params, held-out metrics, per-iteration losses as
 * stepped metrics, feature importances and the confusion matrix as JSON artifacts, the ONNX model with its
 * MLmodel, and the dataset as the run's input.
 */
import { basename } from "node:path";
import type { Column, Frame } from "../core/frame.js";
import { invalidParameter } from "../core/errors.js";
import { dataDigest, encodeClasses, inferTask, readTable } from "./data/index.js";
import { createLearner } from "./learner-catalog.js";
import { evaluatePipeline } from "./evaluate-pipeline.js";
import { confusionMatrix } from "./metrics/index.js";
import { createPipeline } from "./pipeline.js";
import { pipelineInputExample } from "./pipeline-input-example.js";
import { kFold, stratifiedKFold, takeRows, trainTestSplit } from "./split.js";
import type { TrainingSink } from "./training-sink.js";
import type { ProgressCallback, Task } from "./types.js";
import { loggableParams } from "./loggable-params.js";

export interface TrainOptions {
  readonly dataPath: string;
  readonly target: string;
  readonly model: string;
  readonly params?: Readonly<Record<string, string | number | boolean | null>>;
  readonly testSize?: number;
  readonly cv?: number;
  readonly seed?: number;
  readonly task?: Task;
  readonly registeredModelName?: string;
  readonly onProgress?: ProgressCallback;
}

export interface TrainSummary {
  readonly runId: string;
  readonly task: Task;
  readonly model: string;
  readonly trainRows: number;
  readonly testRows: number;
  readonly features: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly cvMetrics?: Readonly<Record<string, number>>;
  readonly modelUri: string;
  readonly registeredVersion?: { readonly name: string; readonly version: string };
  readonly durationMs: number;
}

function targetColumn(frame: Frame, name: string): Column {
  const column = frame.columns.find((c) => c.name === name);
  if (!column) throw invalidParameter(`target column '${name}' is not in the data; its columns are ${frame.columns.map((c) => c.name).join(", ")}`);
  return column;
}

function meanAndStd(values: readonly number[]): [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return [mean, Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length)];
}

async function crossValidate(frame: Frame, options: TrainOptions, task: Task, seed: number): Promise<Record<string, number>> {
  const k = options.cv as number;
  const folds = task === "classification" ? stratifiedKFold(encodeClasses(targetColumn(frame, options.target)).y, k, seed) : kFold(frame.rowCount, k, seed);
  const scores = new Map<string, number[]>();
  for (const fold of folds) {
    const pipeline = createPipeline({ learner: createLearner(options.model, task, options.params) });
    const fitted = await pipeline.fit(takeRows(frame, fold.train), options.target, { seed, task });
    for (const [key, value] of Object.entries(evaluatePipeline(fitted, takeRows(frame, fold.test)))) {
      scores.set(key, [...(scores.get(key) ?? []), value]);
    }
  }
  const out: Record<string, number> = {};
  for (const [key, values] of scores) [out[`cv_${key}_mean`], out[`cv_${key}_std`]] = meanAndStd(values);
  return out;
}

/** Trains, evaluates and logs to `sink`; resolves with what a summary table needs. */
export async function trainTracked(options: TrainOptions, sink: TrainingSink): Promise<TrainSummary> {
  const started = Date.now();
  const seed = options.seed ?? 0;
  const testSize = options.testSize ?? 0.2;
  const frame = await readTable(options.dataPath);
  const target = targetColumn(frame, options.target);
  const task = options.task ?? inferTask(target);
  if (task !== "classification" && task !== "regression") throw invalidParameter(`task must be classification or regression, got '${String(task)}'`);
  const learner = createLearner(options.model, task, options.params);
  const split = trainTestSplit(frame.rowCount, { testSize, seed, ...(task === "classification" ? { stratify: encodeClasses(target).y } : {}) });
  const train = takeRows(frame, split.train);
  const test = takeRows(frame, split.test);

  sink.logParams({ model: options.model, task, target: options.target, test_size: testSize, seed, ...(options.cv ? { cv: options.cv } : {}), ...loggableParams(learner.params) });
  sink.setTag("keel.training.data", basename(options.dataPath));
  const fitted = await createPipeline({ learner }).fit(train, options.target, {
    seed,
    task,
    onProgress: (event) => {
      const losses: Record<string, number> = {};
      if (event.trainLoss !== undefined) losses.train_loss = event.trainLoss;
      if (event.validationLoss !== undefined) losses.validation_loss = event.validationLoss;
      if (Object.keys(losses).length > 0) sink.logMetrics(losses, { step: event.step });
      options.onProgress?.(event);
    },
  });

  const metrics = evaluatePipeline(fitted, test);
  sink.logMetrics(metrics);
  if (fitted.task === "classification") {
    const matrix = confusionMatrix(fitted.encodeTarget(test).y as Int32Array, fitted.predict(test), fitted.classes.length);
    await sink.logDict({ labels: fitted.classes, matrix }, "confusion_matrix.json");
  }
  const importances = fitted.model.featureImportances?.();
  if (importances) {
    const ranked = fitted.featureNames.map((name, i) => ({ feature: name, importance: importances[i] })).sort((a, b) => b.importance - a.importance);
    await sink.logDict(ranked, "feature_importances.json");
  }
  const cvMetrics = options.cv ? await crossValidate(frame, options, task, seed) : undefined;
  if (cvMetrics) sink.logMetrics(cvMetrics);

  const { dataset } = await dataDigest(options.dataPath);
  await sink.logInputs([{ dataset, tags: [{ key: "mlflow.data.context", value: "training" }] }]);
  const logged = await sink.logModel(fitted.exportOnnx(), {
    artifactPath: "model",
    signature: fitted.signature(),
    inputExample: pipelineInputExample(fitted, test),
    ...(options.registeredModelName ? { registeredModelName: options.registeredModelName } : {}),
  });
  return {
    runId: sink.runId,
    task,
    model: options.model,
    trainRows: train.rowCount,
    testRows: test.rowCount,
    features: fitted.featureNames.length,
    metrics,
    ...(cvMetrics ? { cvMetrics } : {}),
    modelUri: logged.modelUri,
    ...(logged.modelVersion && options.registeredModelName ? { registeredVersion: { name: options.registeredModelName, version: logged.modelVersion.version } } : {}),
    durationMs: Date.now() - started,
  };
}
