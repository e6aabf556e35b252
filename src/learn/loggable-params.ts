import type { Params } from "./types.js";

/** Params as MLflow logs them: a null (scikit-learn's None) is the text "None". */
export function loggableParams(params: Params): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v ?? "None"]));
}
