/**
 * Column kind as Evidently infers it when the caller does not say (evidently/core/datasets.py,
 * `infer_column_type`, applied by `Dataset.from_pandas` with an empty DataDefinition).
 */
import type { Column } from "../../core/frame.js";
import type { ColumnKind } from "./types.js";

/** Integer columns with at most this many distinct values are categorical (Evidently's INTEGER_CARDINALITY_LIMIT). */
export const INTEGER_CARDINALITY_LIMIT = 10;

/**
 * Evidently's rule: floats are numerical; integers are categorical up to 10 distinct values and numerical
 * above; strings and booleans are categorical. A Frame keeps numbers as float64 only, so a number column counts
 * as pandas' integer dtype when it has no missing value and every value is a whole number — as pandas reads it
 * (a column with a missing value is float64 in pandas). Booleans arrive as 0/1 and so are categorical.
 * Evidently would call a string column with more distinct values than half its non-missing count "text" and run
 * a text-drift model; Keel has none and tests such a column as categorical.
 * @example
 * inferColumnKind({ kind: "number", name: "age", values: Float64Array.of(31, 45.5) }); // "numerical"
 */
export function inferColumnKind(column: Column): ColumnKind {
  if (column.kind === "string") return "categorical";
  const distinct = new Set<number>();
  for (const v of column.values) {
    if (!Number.isInteger(v)) return "numerical";
    if (distinct.size <= INTEGER_CARDINALITY_LIMIT) distinct.add(v);
  }
  return distinct.size <= INTEGER_CARDINALITY_LIMIT ? "categorical" : "numerical";
}
