/**
 * The trees' and forests' hyperparameters, with scikit-learn 1.2's names and defaults, checked at
 * construction so that a typo fails before training; and their resolution against the data's size.
 */
import { availableParallelism } from "node:os";
import { invalidParameter } from "../../core/errors.js";
import type { Params } from "../types.js";
import type { Criterion, TreeGrowth } from "./build-tree.js";

type Value = number | string | boolean | null;

export type MaxFeatures = number | "sqrt" | "log2" | null;

export interface TreeParams {
  readonly criterion: Criterion;
  readonly max_depth: number | null;
  readonly min_samples_split: number;
  readonly min_samples_leaf: number;
  readonly max_features: MaxFeatures;
  readonly random_state: number | null;
}

export interface ForestParams extends TreeParams {
  readonly n_estimators: number;
  readonly bootstrap: boolean;
  readonly n_jobs: number | null;
}

interface Spec {
  readonly expected: string;
  readonly accepts: (v: Value) => boolean;
}

const isInt = (v: Value): v is number => typeof v === "number" && Number.isInteger(v);
const isFraction = (v: Value, max: number): boolean => typeof v === "number" && !Number.isInteger(v) && v > 0 && v <= max;

const SPECS: Readonly<Record<string, Spec>> = {
  max_depth: { expected: "a positive integer or null", accepts: (v) => v === null || (isInt(v) && v > 0) },
  min_samples_split: { expected: "an integer >= 2 or a fraction in (0, 1]", accepts: (v) => (isInt(v) && v >= 2) || isFraction(v, 1) || v === 1 },
  min_samples_leaf: { expected: "a positive integer or a fraction in (0, 0.5]", accepts: (v) => (isInt(v) && v >= 1) || isFraction(v, 0.5) },
  max_features: {
    expected: `a positive integer, a fraction in (0, 1], "sqrt", "log2" or null`,
    accepts: (v) => v === null || v === "sqrt" || v === "log2" || (typeof v === "number" && v > 0 && (Number.isInteger(v) || v <= 1)),
  },
  random_state: { expected: "an integer or null", accepts: (v) => v === null || isInt(v) },
  n_estimators: { expected: "a positive integer", accepts: (v) => isInt(v) && v > 0 },
  bootstrap: { expected: "true or false", accepts: (v) => typeof v === "boolean" },
  n_jobs: { expected: "a positive integer, -1 (all cores) or null", accepts: (v) => v === null || (isInt(v) && (v > 0 || v === -1)) },
};

function resolve(kind: string, given: Params, defaults: Readonly<Record<string, Value>>, criteria: readonly string[]): Record<string, Value> {
  const specs: Record<string, Spec> = {
    ...SPECS,
    criterion: { expected: `one of ${criteria.map((c) => `"${c}"`).join(", ")}`, accepts: (v) => typeof v === "string" && criteria.includes(v) },
  };
  const accepted = Object.keys(defaults).sort();
  const resolved: Record<string, Value> = { ...defaults };
  for (const [name, value] of Object.entries(given)) {
    if (!(name in defaults)) throw invalidParameter(`${kind} has no parameter '${name}'; accepted parameters: ${accepted.join(", ")}`);
    if (!specs[name].accepts(value)) throw invalidParameter(`${kind} parameter '${name}' must be ${specs[name].expected}, got ${JSON.stringify(value)}`);
    resolved[name] = value;
  }
  // scikit-learn's "log_loss" is its newer name for entropy.
  if (resolved.criterion === "log_loss") resolved.criterion = "entropy";
  return resolved;
}

const TREE_DEFAULTS = { max_depth: null, min_samples_split: 2, min_samples_leaf: 1, max_features: null, random_state: null } as const;
const CLASSIFICATION_CRITERIA = ["gini", "entropy", "log_loss"];
const REGRESSION_CRITERIA = ["squared_error"];

export function resolveTreeParams(kind: string, given: Params, task: "classification" | "regression"): TreeParams {
  const classification = task === "classification";
  const defaults = { ...TREE_DEFAULTS, criterion: classification ? "gini" : "squared_error" };
  return resolve(kind, given, defaults, classification ? CLASSIFICATION_CRITERIA : REGRESSION_CRITERIA) as unknown as TreeParams;
}

export function resolveForestParams(kind: string, given: Params, task: "classification" | "regression"): ForestParams {
  const classification = task === "classification";
  const defaults = {
    ...TREE_DEFAULTS,
    criterion: classification ? "gini" : "squared_error",
    // scikit-learn 1.2's defaults: sqrt of the features for classification, all of them for regression.
    max_features: classification ? "sqrt" : 1.0,
    n_estimators: 100,
    bootstrap: true,
    n_jobs: null,
  };
  return resolve(kind, given, defaults, classification ? CLASSIFICATION_CRITERIA : REGRESSION_CRITERIA) as unknown as ForestParams;
}

/** The growth limits in absolute numbers for `rows` samples of `cols` features. */
export function treeGrowth(params: TreeParams, rows: number, cols: number): TreeGrowth {
  const { min_samples_split: split, min_samples_leaf: leaf, max_features: mf } = params;
  let maxFeatures: number;
  if (mf === null) maxFeatures = cols;
  else if (mf === "sqrt") maxFeatures = Math.max(1, Math.floor(Math.sqrt(cols)));
  else if (mf === "log2") maxFeatures = Math.max(1, Math.floor(Math.log2(cols)));
  // JSON and the command line cannot tell 1 from 1.0: 1 is read as scikit-learn's 1.0, every feature.
  else if (Number.isInteger(mf) && mf !== 1) maxFeatures = mf;
  else maxFeatures = Math.max(1, Math.floor(mf * cols));
  if (maxFeatures > cols) throw invalidParameter(`max_features=${mf} is more than the ${cols} features; use at most ${cols}, or null for all`);
  return {
    criterion: params.criterion,
    maxDepth: params.max_depth ?? Infinity,
    // 1 can only be scikit-learn's fraction 1.0: an integer min_samples_split must be at least 2.
    minSamplesSplit: Number.isInteger(split) && split !== 1 ? split : Math.max(2, Math.ceil(split * rows)),
    minSamplesLeaf: Number.isInteger(leaf) ? leaf : Math.max(1, Math.ceil(leaf * rows)),
    maxFeatures,
  };
}

/** Worker threads to use: n_jobs, with null as every available core and -1 as scikit-learn's "all". */
export function workerCount(nJobs: number | null, trees: number): number {
  const wanted = nJobs === null || nJobs === -1 ? availableParallelism() : nJobs;
  return Math.max(1, Math.min(wanted, trees));
}

/** The seed a fit uses: random_state when given, else FitOptions.seed, else 0. */
export function fitSeed(params: TreeParams, seed: number | undefined): number {
  return params.random_state ?? seed ?? 0;
}
