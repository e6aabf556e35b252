/** A fitted linear regressor (ordinary least squares or ridge): ŷ = x·coef + intercept. */
import { invalidParameter } from "../../core/errors.js";
import type { FittedRegressor, Matrix, OnnxGraphBuilder } from "../types.js";
import { assertCompleteMatrix, assertFeatureCount } from "./matrix-checks.js";

export const LINEAR_REGRESSION_KIND = "linear_regression";
export const RIDGE_KIND = "ridge";
export type LinearRegressorKind = typeof LINEAR_REGRESSION_KIND | typeof RIDGE_KIND;

export interface LinearRegressorState {
  readonly kind: LinearRegressorKind;
  readonly featureCount: number;
  readonly coef: Float64Array;
  readonly intercept: number;
}

export interface FittedLinearRegressor extends FittedRegressor, LinearRegressorState {
  readonly kind: LinearRegressorKind;
  /** |coef| normalised to sum to 1 (all zeros when every coefficient is zero); compare only standardised features. */
  featureImportances(): Float64Array;
}

interface LinearRegressorJson {
  readonly kind: LinearRegressorKind;
  readonly version: 1;
  readonly featureCount: number;
  readonly coef: readonly number[];
  readonly intercept: number;
}

export function createFittedLinearRegressor(state: LinearRegressorState): FittedLinearRegressor {
  const p = state.featureCount;
  const coef = Float64Array.from(state.coef);
  const intercept = state.intercept;

  const predict = (x: Matrix): Float64Array => {
    assertFeatureCount(x, p, state.kind);
    assertCompleteMatrix(x, state.kind);
    const out = new Float64Array(x.rows);
    const data = x.data;
    for (let i = 0, off = 0; i < x.rows; i++, off += p) {
      let s = intercept;
      for (let j = 0; j < p; j++) s += data[off + j] * coef[j];
      out[i] = s;
    }
    return out;
  };

  const featureImportances = (): Float64Array => {
    const importances = coef.map(Math.abs);
    const total = importances.reduce((a, b) => a + b, 0);
    return total > 0 ? importances.map((v) => v / total) : importances;
  };

  const toOnnx = (graph: OnnxGraphBuilder, input: string) => {
    const prediction = graph.name("prediction");
    graph.node(
      "LinearRegressor",
      [input],
      [prediction],
      { coefficients: Array.from(coef), intercepts: [intercept], targets: { int: 1 }, post_transform: "NONE" },
      "ai.onnx.ml",
    );
    return { prediction };
  };

  const toJson = (): LinearRegressorJson => ({ kind: state.kind, version: 1, featureCount: p, coef: Array.from(coef), intercept });

  return {
    task: "regression",
    kind: state.kind,
    featureCount: p,
    // A copy, so a caller editing it cannot change the model's predictions.
    coef: Float64Array.from(coef),
    intercept,
    predict,
    featureImportances,
    toOnnx,
    toJson,
  };
}

/** Rebuilds a linear_regression or ridge model from `toJson()`'s output; throws INVALID_PARAMETER_VALUE if malformed. */
export function linearRegressorFromJson(json: unknown): FittedLinearRegressor {
  const fail = (what: string) => invalidParameter(`not a saved ${LINEAR_REGRESSION_KIND} or ${RIDGE_KIND} model: ${what}`);
  if (typeof json !== "object" || json === null) throw fail("expected an object");
  const j = json as Partial<Record<keyof LinearRegressorJson, unknown>>;
  if (j.kind !== LINEAR_REGRESSION_KIND && j.kind !== RIDGE_KIND) throw fail(`kind is ${JSON.stringify(j.kind)}`);
  if (j.version !== 1) throw fail(`unsupported version ${JSON.stringify(j.version)}`);
  const { featureCount, coef, intercept } = j;
  if (!Number.isInteger(featureCount) || (featureCount as number) < 0) throw fail("featureCount must be a non-negative integer");
  if (!Array.isArray(coef) || coef.length !== featureCount || !coef.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw fail(`coef must hold ${String(featureCount)} finite numbers`);
  }
  if (typeof intercept !== "number" || !Number.isFinite(intercept)) throw fail("intercept must be a finite number");
  return createFittedLinearRegressor({ kind: j.kind, featureCount: featureCount as number, coef: Float64Array.from(coef as number[]), intercept });
}
