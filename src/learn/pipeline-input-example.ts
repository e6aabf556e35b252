import type { Frame } from "../core/frame.js";
import type { FittedPipeline } from "./pipeline.js";

/**
 * The first rows of `frame` as MLflow's split-orient input example of a fitted pipeline's model: columns named
 * as the model's inputs (and its signature) name them, which may differ from the table's names when those are
 * not valid identifiers ("monthly charges" → "monthly_charges"); missing values are null.
 */
export function pipelineInputExample(fitted: FittedPipeline, frame: Frame, rows = 5): { columns: string[]; data: unknown[][] } {
  const sources = fitted.inputs.map((input) => frame.columns.find((c) => c.name === input.column));
  const n = Math.min(rows, frame.rowCount);
  return {
    columns: fitted.inputs.map((input) => input.name),
    data: Array.from({ length: n }, (_, r) =>
      sources.map((c) => (c === undefined ? null : c.kind === "number" ? (Number.isNaN(c.values[r]) ? null : c.values[r]) : c.values[r])),
    ),
  };
}
