import type { Frame } from "../core/frame.js";
import { evaluateClassifier, evaluateRegressor } from "./metrics/index.js";
import type { FittedPipeline } from "./pipeline.js";

/** The metric set of a fitted pipeline on `frame` (its target column included); names as in metrics/evaluate.ts. */
export function evaluatePipeline(fitted: FittedPipeline, frame: Frame): Record<string, number> {
  const target = fitted.encodeTarget(frame);
  if (fitted.task === "regression") return evaluateRegressor(target.y as Float64Array, fitted.predict(frame));
  return evaluateClassifier(target.y as Int32Array, fitted.predictProba(frame), fitted.classes);
}
