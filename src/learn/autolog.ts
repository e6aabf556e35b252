/**
 * Autologging, as mlflow.sklearn.autolog does: while `withAutolog(run, fn)` runs, every pipeline fit inside
 * `fn` logs its params, training metrics and model to `run`. The run is carried by AsyncLocalStorage, so it
 * follows `fn`'s async work and nothing else: two autologged trainings in one process never mix.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { TrainingSink } from "./training-sink.js";

export interface AutologOptions {
  /** Log the fitted model as ONNX under this artifact path (default "model"); false to skip. */
  readonly modelArtifactPath?: string | false;
  readonly registeredModelName?: string;
}

interface AutologScope {
  readonly sink: TrainingSink;
  readonly options: AutologOptions;
}

const scope = new AsyncLocalStorage<AutologScope>();

/**
 * Runs `fn` with autologging to `sink` on.
 *
 * @example
 * await keel.withRun({ experiment: "churn" }, (run) => withAutolog(run, () => pipeline.fit(frame, "churn")));
 */
export function withAutolog<T>(sink: TrainingSink, fn: () => Promise<T>, options: AutologOptions = {}): Promise<T> {
  return scope.run({ sink, options }, fn);
}

/** The autolog target of the current async context, if any. */
export function currentAutolog(): AutologScope | undefined {
  return scope.getStore();
}
