/**
 * scikit-learn's StandardScaler: (x - mean) / std per column, with the population std, NaN ignored when fitting
 * and passed through when transforming, and constant columns left unscaled (scale 1). Exports as ONNX's
 * ai.onnx.ml Scaler, which computes (x - offset) * scale in float32; transform computes exactly that, so it
 * can differ from scikit-learn's float64 division in the last float32 bit.
 */
import { invalidParameter } from "../../core/errors.js";
import type { Matrix, OnnxGraphBuilder } from "../types.js";

export interface StandardScalerOptions {
  readonly withMean?: boolean;
  readonly withStd?: boolean;
}

export interface StandardScalerJson {
  readonly type: "standard_scaler";
  readonly withMean: boolean;
  readonly withStd: boolean;
  readonly mean: readonly number[];
  readonly variance: readonly number[];
  readonly scale: readonly number[];
}

export interface FittedStandardScaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  /** scikit-learn's `mean_`, `var_` and `scale_` (sqrt of var_, 1 for constant columns). */
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  readonly scale: Float64Array;
  /** A new matrix, computed as the ONNX Scaler does: fround((fround(x) - offset32) * (1/scale)32). */
  transform(x: Matrix): Matrix;
  /** Adds a Scaler node reading the float tensor `input` [N, columns]; returns its output's name. */
  toOnnx(graph: OnnxGraphBuilder, input: string): string;
  toJson(): StandardScalerJson;
}

export function fitStandardScaler(x: Matrix, options: StandardScalerOptions = {}): FittedStandardScaler {
  const { mean, variance, counts } = meanAndVariance(x);
  const scale = Float64Array.from(variance, (v, c) => (isConstant(v, mean[c], counts[c]) ? 1 : Math.sqrt(v)));
  return scaler(options.withMean ?? true, options.withStd ?? true, mean, variance, scale);
}

export function standardScalerFromJson(json: StandardScalerJson): FittedStandardScaler {
  return scaler(json.withMean, json.withStd, Float64Array.from(json.mean), Float64Array.from(json.variance), Float64Array.from(json.scale));
}

function scaler(withMean: boolean, withStd: boolean, mean: Float64Array, variance: Float64Array, scale: Float64Array): FittedStandardScaler {
  // The ONNX Scaler multiplies by its scale attribute, stored as float32.
  const offset = Float32Array.from(mean, (m) => (withMean ? m : 0));
  const factor = Float32Array.from(scale, (s) => (withStd ? 1 / s : 1));
  return {
    withMean,
    withStd,
    mean,
    variance,
    scale,
    transform(x) {
      if (x.cols !== mean.length) throw invalidParameter(`the scaler was fitted on ${mean.length} columns but got ${x.cols}`);
      const out = new Float64Array(x.data.length);
      for (let r = 0, i = 0; r < x.rows; r++) {
        for (let c = 0; c < x.cols; c++, i++) out[i] = Math.fround(Math.fround(Math.fround(x.data[i]) - offset[c]) * factor[c]);
      }
      return { rows: x.rows, cols: x.cols, data: out };
    },
    toOnnx(graph, input) {
      const output = graph.name("scaled");
      graph.node("Scaler", [input], [output], { offset: Array.from(offset), scale: Array.from(factor) }, "ai.onnx.ml");
      return output;
    },
    toJson: () => ({
      type: "standard_scaler",
      withMean,
      withStd,
      mean: Array.from(mean),
      variance: Array.from(variance),
      scale: Array.from(scale),
    }),
  };
}

/**
 * Mean and population variance over the non-NaN values of each column, with the corrected two-pass algorithm
 * scikit-learn's `_incremental_mean_and_var` uses on a first fit. A column without values gets 0 and 0.
 * Both passes walk the matrix row by row, the order it is stored in.
 */
function meanAndVariance(x: Matrix): { mean: Float64Array; variance: Float64Array; counts: Float64Array } {
  const { rows, cols, data } = x;
  const mean = new Float64Array(cols);
  const counts = new Float64Array(cols);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) {
      const v = data[i];
      if (v !== v) continue;
      mean[c] += v;
      counts[c]++;
    }
  }
  for (let c = 0; c < cols; c++) mean[c] = counts[c] > 0 ? mean[c] / counts[c] : 0;
  const correction = new Float64Array(cols);
  const squares = new Float64Array(cols);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) {
      const v = data[i];
      if (v !== v) continue;
      const d = v - mean[c];
      correction[c] += d;
      squares[c] += d * d;
    }
  }
  const variance = Float64Array.from(squares, (sq, c) => (counts[c] > 0 ? (sq - (correction[c] * correction[c]) / counts[c]) / counts[c] : 0));
  return { mean, variance, counts };
}

/** scikit-learn's `_is_constant_feature`: variance within float64 rounding noise of zero. */
function isConstant(variance: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  const bound = n * eps * variance + (n * mean * eps) ** 2;
  return variance <= bound;
}
