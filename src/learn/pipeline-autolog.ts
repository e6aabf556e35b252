/**
 * What a pipeline fit logs when autologging is on (see autolog.ts), as mlflow.sklearn.autolog does: the
 * learner's params, per-iteration losses as stepped metrics, metrics on the training data (prefixed
 * `training_`), and the fitted pipeline as an ONNX model with its signature and an input example.
 */
import type { Frame } from "../core/frame.js";
import { currentAutolog } from "./autolog.js";
import { loggableParams } from "./loggable-params.js";
import { evaluatePipeline } from "./evaluate-pipeline.js";
import { pipelineInputExample } from "./pipeline-input-example.js";
import type { FittedPipeline } from "./pipeline.js";
import type { ProgressCallback } from "./types.js";

/** Wraps `onProgress` so that, under autolog, losses are also logged as stepped metrics. */
export function autologProgress(onProgress: ProgressCallback | undefined): ProgressCallback | undefined {
  const scope = currentAutolog();
  if (!scope) return onProgress;
  return (event) => {
    const losses: Record<string, number> = {};
    if (event.trainLoss !== undefined) losses.train_loss = event.trainLoss;
    if (event.validationLoss !== undefined) losses.validation_loss = event.validationLoss;
    if (Object.keys(losses).length > 0) scope.sink.logMetrics(losses, { step: event.step });
    onProgress?.(event);
  };
}

function trainingMetrics(fitted: FittedPipeline, frame: Frame): Record<string, number> {
  return Object.fromEntries(Object.entries(evaluatePipeline(fitted, frame)).map(([k, v]) => [`training_${k}`, v]));
}

/** Logs a finished fit to the autolog run of the current async context; does nothing outside one. */
export async function autologFit(fitted: FittedPipeline, frame: Frame): Promise<void> {
  const scope = currentAutolog();
  if (!scope) return;
  const { sink, options } = scope;
  sink.logParams({ model: fitted.learner.kind, ...loggableParams(fitted.learner.params) });
  sink.logMetrics(trainingMetrics(fitted, frame));
  if (options.modelArtifactPath === false) return;
  await sink.logModel(fitted.exportOnnx(), {
    artifactPath: options.modelArtifactPath ?? "model",
    signature: fitted.signature(),
    inputExample: pipelineInputExample(fitted, frame),
    ...(options.registeredModelName ? { registeredModelName: options.registeredModelName } : {}),
  });
}
