/**
 * A fitted logistic regression: prediction as scikit-learn computes it (expit for binary, softmax for the
 * multinomial), ONNX export as one ai.onnx.ml LinearClassifier, and a JSON form that rebuilds it exactly.
 */
import { invalidParameter } from "../../core/errors.js";
import type { FittedClassifier, Matrix, OnnxGraphBuilder } from "../types.js";
import { assertCompleteMatrix, assertFeatureCount } from "./matrix-checks.js";

export const LOGISTIC_REGRESSION_KIND = "logistic_regression";

export interface LogisticRegressionState {
  readonly classes: readonly string[];
  readonly featureCount: number;
  /** modelRows × featureCount, row-major: one row (the positive class) for binary, one per class for multinomial. */
  readonly coef: Float64Array;
  /** One per model row. */
  readonly intercept: Float64Array;
  /** L-BFGS iterations run. */
  readonly nIter: number;
  /** False when `max_iter` ran out before the tolerance was met (scikit-learn's ConvergenceWarning). */
  readonly converged: boolean;
}

export interface FittedLogisticRegression extends FittedClassifier, LogisticRegressionState {
  /** True when there is one softmax row per class rather than one logistic row (binary). */
  readonly multinomial: boolean;
  /** Raw scores: rows × modelRows (the logit for binary, one logit per class for multinomial). */
  decisionFunction(x: Matrix): Float64Array;
  /**
   * Each feature's summed |coef| over the model rows, normalised to sum to 1 (all zeros when every coefficient
   * is zero). Coefficients compare only on features of one scale: standardise first for this to mean much.
   */
  featureImportances(): Float64Array;
}

interface LogisticRegressionJson {
  readonly kind: typeof LOGISTIC_REGRESSION_KIND;
  readonly version: 1;
  readonly classes: readonly string[];
  readonly featureCount: number;
  readonly coef: readonly (readonly number[])[];
  readonly intercept: readonly number[];
  readonly nIter: number;
  readonly converged: boolean;
}

export function createFittedLogisticRegression(state: LogisticRegressionState): FittedLogisticRegression {
  const p = state.featureCount;
  const coef = Float64Array.from(state.coef);
  const intercept = Float64Array.from(state.intercept);
  const modelRows = intercept.length;
  const classCount = state.classes.length;
  const multinomial = modelRows > 1;

  const decisionFunction = (x: Matrix): Float64Array => {
    assertFeatureCount(x, p, LOGISTIC_REGRESSION_KIND);
    assertCompleteMatrix(x, LOGISTIC_REGRESSION_KIND);
    const { rows, data } = x;
    const out = new Float64Array(rows * modelRows);
    for (let i = 0, off = 0, o = 0; i < rows; i++, off += p) {
      for (let c = 0, base = 0; c < modelRows; c++, base += p, o++) {
        let z = intercept[c];
        for (let j = 0; j < p; j++) z += data[off + j] * coef[base + j];
        out[o] = z;
      }
    }
    return out;
  };

  const predictProba = (x: Matrix): Float64Array => {
    const scores = decisionFunction(x);
    const out = new Float64Array(x.rows * classCount);
    if (!multinomial) {
      for (let i = 0; i < x.rows; i++) {
        const positive = 1 / (1 + Math.exp(-scores[i]));
        out[2 * i] = 1 - positive;
        out[2 * i + 1] = positive;
      }
      return out;
    }
    for (let i = 0, off = 0; i < x.rows; i++, off += classCount) {
      let max = -Infinity;
      for (let c = 0; c < classCount; c++) max = Math.max(max, scores[off + c]);
      let sum = 0;
      for (let c = 0; c < classCount; c++) {
        const e = Math.exp(scores[off + c] - max);
        out[off + c] = e;
        sum += e;
      }
      for (let c = 0; c < classCount; c++) out[off + c] /= sum;
    }
    return out;
  };

  const predict = (x: Matrix): Int32Array => {
    const scores = decisionFunction(x);
    const labels = new Int32Array(x.rows);
    for (let i = 0, off = 0; i < x.rows; i++, off += modelRows) {
      if (!multinomial) {
        labels[i] = scores[i] > 0 ? 1 : 0;
        continue;
      }
      let best = 0;
      for (let c = 1; c < modelRows; c++) if (scores[off + c] > scores[off + best]) best = c;
      labels[i] = best;
    }
    return labels;
  };

  const featureImportances = (): Float64Array => {
    const importances = new Float64Array(p);
    let total = 0;
    for (let c = 0; c < modelRows; c++) {
      for (let j = 0; j < p; j++) importances[j] += Math.abs(coef[c * p + j]);
    }
    for (let j = 0; j < p; j++) total += importances[j];
    if (total > 0) for (let j = 0; j < p; j++) importances[j] /= total;
    return importances;
  };

  const toOnnx = (graph: OnnxGraphBuilder, input: string) => {
    // Binary models export two mirrored rows (-w, -b) and (w, b): LOGISTIC then yields [1 - p, p] as two
    // columns, whereas a single row makes onnxruntime's output layout depend on its binary special case.
    const coefficients = multinomial ? Array.from(coef) : [...Array.from(coef, (v) => -v), ...coef];
    const intercepts = multinomial ? Array.from(intercept) : [-intercept[0], intercept[0]];
    const label = graph.name("label");
    const probabilities = graph.name("probabilities");
    graph.node(
      "LinearClassifier",
      [input],
      [label, probabilities],
      {
        coefficients,
        intercepts,
        classlabels_ints: { ints: state.classes.map((_, i) => i) },
        multi_class: { int: 0 },
        post_transform: multinomial ? "SOFTMAX" : "LOGISTIC",
      },
      "ai.onnx.ml",
    );
    return { label, probabilities };
  };

  const toJson = (): LogisticRegressionJson => ({
    kind: LOGISTIC_REGRESSION_KIND,
    version: 1,
    classes: [...state.classes],
    featureCount: p,
    coef: Array.from({ length: modelRows }, (_, c) => Array.from(coef.subarray(c * p, (c + 1) * p))),
    intercept: Array.from(intercept),
    nIter: state.nIter,
    converged: state.converged,
  });

  return {
    task: "classification",
    kind: LOGISTIC_REGRESSION_KIND,
    classes: [...state.classes],
    featureCount: p,
    // Copies, so a caller editing them cannot change the model's predictions.
    coef: Float64Array.from(coef),
    intercept: Float64Array.from(intercept),
    nIter: state.nIter,
    converged: state.converged,
    multinomial,
    decisionFunction,
    predictProba,
    predict,
    featureImportances,
    toOnnx,
    toJson,
  };
}

const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Rebuilds a model from `toJson()`'s output; throws INVALID_PARAMETER_VALUE saying what is malformed. */
export function logisticRegressionFromJson(json: unknown): FittedLogisticRegression {
  const fail = (what: string) => invalidParameter(`not a saved ${LOGISTIC_REGRESSION_KIND} model: ${what}`);
  if (typeof json !== "object" || json === null) throw fail("expected an object");
  const j = json as Partial<Record<keyof LogisticRegressionJson, unknown>>;
  if (j.kind !== LOGISTIC_REGRESSION_KIND) throw fail(`kind is ${JSON.stringify(j.kind)}`);
  if (j.version !== 1) throw fail(`unsupported version ${JSON.stringify(j.version)}`);
  const { classes, featureCount, coef, intercept, nIter, converged } = j;
  if (!Array.isArray(classes) || classes.length < 2 || !classes.every((c) => typeof c === "string")) throw fail("classes must list at least two strings");
  if (!Number.isInteger(featureCount) || (featureCount as number) < 0) throw fail("featureCount must be a non-negative integer");
  const p = featureCount as number;
  const modelRows = classes.length === 2 && Array.isArray(coef) && coef.length === 1 ? 1 : classes.length;
  if (!Array.isArray(coef) || coef.length !== modelRows) throw fail(`coef must have ${modelRows} rows`);
  if (!coef.every((row) => Array.isArray(row) && row.length === p && row.every(isFiniteNumber))) throw fail(`each coef row must hold ${p} finite numbers`);
  if (!Array.isArray(intercept) || intercept.length !== modelRows || !intercept.every(isFiniteNumber)) throw fail(`intercept must hold ${modelRows} finite numbers`);
  if (!Number.isInteger(nIter) || typeof converged !== "boolean") throw fail("nIter and converged are missing");
  return createFittedLogisticRegression({
    classes: classes as string[],
    featureCount: p,
    coef: Float64Array.from((coef as number[][]).flat()),
    intercept: Float64Array.from(intercept as number[]),
    nIter: nIter as number,
    converged,
  });
}
