/**
 * The learners `keel train --model NAME` offers, by name and task, and the parsing of `--param k=v` values
 * into the numbers, booleans and nulls the learners take.
 */
import { invalidParameter } from "../core/errors.js";
import { createHistGradientBoostingClassifier, createHistGradientBoostingRegressor } from "./gbdt/index.js";
import { createLinearRegression, createLogisticRegression, createRidge } from "./linear/index.js";
import { createDecisionTreeClassifier, createDecisionTreeRegressor, createRandomForestClassifier, createRandomForestRegressor } from "./trees/index.js";
import type { Learner, Params, Task } from "./types.js";

type Factory = (params: Params) => Learner;

const CATALOG: Readonly<Record<string, Partial<Record<Task, Factory>>>> = {
  gbdt: { classification: createHistGradientBoostingClassifier, regression: createHistGradientBoostingRegressor },
  rf: { classification: createRandomForestClassifier, regression: createRandomForestRegressor },
  tree: { classification: createDecisionTreeClassifier, regression: createDecisionTreeRegressor },
  logreg: { classification: createLogisticRegression },
  linear: { regression: createLinearRegression },
  ridge: { regression: createRidge },
};

export const LEARNER_NAMES: readonly string[] = Object.keys(CATALOG);

/** `"8"` → 8, `"true"` → true, `"none"`/`"null"` → null, anything else stays a string ("sqrt", "entropy"). */
export function parseParamValue(text: string): number | boolean | string | null {
  const lower = text.trim().toLowerCase();
  if (lower === "true" || lower === "false") return lower === "true";
  if (lower === "none" || lower === "null") return null;
  if (text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
  return text;
}

/** The learner `name` for `task`, with `params` given as text (from the command line) or values. */
export function createLearner(name: string, task: Task, params: Readonly<Record<string, string | number | boolean | null>> = {}): Learner {
  const entry = CATALOG[name];
  if (!entry) throw invalidParameter(`unknown model '${name}'; choose one of ${LEARNER_NAMES.join(", ")}`);
  const factory = entry[task];
  if (!factory) {
    const fits = LEARNER_NAMES.filter((n) => CATALOG[n][task] !== undefined).join(", ");
    throw invalidParameter(`model '${name}' does not do ${task}; for ${task} choose one of ${fits}`);
  }
  const parsed: Record<string, number | boolean | string | null> = {};
  for (const [key, value] of Object.entries(params)) parsed[key] = typeof value === "string" ? parseParamValue(value) : value;
  return factory(parsed);
}
