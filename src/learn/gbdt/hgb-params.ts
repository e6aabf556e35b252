/**
 * The hyperparameters of histogram gradient boosting, with scikit-learn 1.2's names and defaults
 * (HistGradientBoostingClassifier / Regressor), plus two of Keel's own: `subsample` (a fraction of the
 * rows drawn afresh for each iteration, as LightGBM's bagging) and `grow_policy` ("lossguide": split the
 * leaf of highest gain next, scikit-learn's only way; "depthwise": split level by level, as XGBoost's
 * default). Unknown names and bad values fail at construction, so a typo never trains with a default.
 */
import { invalidParameter } from "../../core/errors.js";
import type { Params } from "../types.js";

export interface HgbParams {
  readonly loss: string;
  readonly learningRate: number;
  readonly maxIter: number;
  readonly maxLeafNodes: number | null;
  readonly maxDepth: number | null;
  readonly minSamplesLeaf: number;
  readonly l2Regularization: number;
  readonly maxBins: number;
  readonly earlyStopping: "auto" | boolean;
  /** A fraction in (0, 1) or a row count; null scores early stopping on the training loss. */
  readonly validationFraction: number | null;
  readonly nIterNoChange: number;
  readonly tol: number;
  readonly scoring: "loss";
  readonly randomState: number | null;
  readonly subsample: number;
  readonly growPolicy: "lossguide" | "depthwise";
}

type Value = Params[string];

interface Spec {
  readonly key: keyof HgbParams;
  readonly expected: string;
  readonly accepts: (v: Value) => boolean;
}

const isInt = (min: number) => (v: Value) => typeof v === "number" && Number.isInteger(v) && v >= min;
const isNumber = (ok: (n: number) => boolean) => (v: Value) => typeof v === "number" && Number.isFinite(v) && ok(v);
const orNull = (accepts: (v: Value) => boolean) => (v: Value) => v === null || accepts(v);

const SPECS: Readonly<Record<string, Spec>> = {
  learning_rate: { key: "learningRate", expected: "a positive number", accepts: isNumber((n) => n > 0) },
  max_iter: { key: "maxIter", expected: "an integer >= 1", accepts: isInt(1) },
  max_leaf_nodes: { key: "maxLeafNodes", expected: "an integer >= 2 or null", accepts: orNull(isInt(2)) },
  max_depth: { key: "maxDepth", expected: "an integer >= 1 or null", accepts: orNull(isInt(1)) },
  min_samples_leaf: { key: "minSamplesLeaf", expected: "an integer >= 1", accepts: isInt(1) },
  l2_regularization: { key: "l2Regularization", expected: "a number >= 0", accepts: isNumber((n) => n >= 0) },
  max_bins: { key: "maxBins", expected: "an integer from 2 to 255", accepts: (v) => isInt(2)(v) && (v as number) <= 255 },
  early_stopping: { key: "earlyStopping", expected: '"auto", true or false', accepts: (v) => v === "auto" || typeof v === "boolean" },
  validation_fraction: {
    key: "validationFraction",
    expected: "a fraction in (0, 1), a row count >= 1, or null",
    accepts: orNull(isNumber((n) => (n > 0 && n < 1) || (Number.isInteger(n) && n >= 1))),
  },
  n_iter_no_change: { key: "nIterNoChange", expected: "an integer >= 1", accepts: isInt(1) },
  tol: { key: "tol", expected: "a number >= 0", accepts: isNumber((n) => n >= 0) },
  scoring: { key: "scoring", expected: '"loss" (the only early-stopping score Keel computes)', accepts: (v) => v === "loss" },
  random_state: { key: "randomState", expected: "an integer >= 0 or null", accepts: orNull(isInt(0)) },
  subsample: { key: "subsample", expected: "a fraction in (0, 1]", accepts: isNumber((n) => n > 0 && n <= 1) },
  grow_policy: { key: "growPolicy", expected: '"lossguide" or "depthwise"', accepts: (v) => v === "lossguide" || v === "depthwise" },
};

const DEFAULTS: Omit<HgbParams, "loss"> = {
  learningRate: 0.1,
  maxIter: 100,
  maxLeafNodes: 31,
  maxDepth: null,
  minSamplesLeaf: 20,
  l2Regularization: 0,
  maxBins: 255,
  earlyStopping: "auto",
  validationFraction: 0.1,
  nIterNoChange: 10,
  tol: 1e-7,
  scoring: "loss",
  randomState: null,
  subsample: 1,
  growPolicy: "lossguide",
};

/** `given` over the defaults; `losses` lists the loss names this learner accepts, the first the default. */
export function resolveHgbParams(kind: string, given: Params, losses: readonly string[]): HgbParams {
  const resolved: Record<string, unknown> = { ...DEFAULTS, loss: losses[0] };
  const accepted = ["loss", ...Object.keys(SPECS)].sort();
  for (const [name, value] of Object.entries(given)) {
    if (name === "loss") {
      if (typeof value !== "string" || !losses.includes(value)) {
        throw invalidParameter(`${kind} parameter 'loss' must be one of ${losses.map((l) => `"${l}"`).join(", ")}, got ${JSON.stringify(value)}`);
      }
      resolved.loss = value;
      continue;
    }
    const spec = SPECS[name];
    if (!spec) throw invalidParameter(`${kind} has no parameter '${name}'; accepted parameters: ${accepted.join(", ")}`);
    if (!spec.accepts(value)) throw invalidParameter(`${kind} parameter '${name}' must be ${spec.expected}, got ${JSON.stringify(value)}`);
    resolved[spec.key] = value;
  }
  return resolved as unknown as HgbParams;
}
