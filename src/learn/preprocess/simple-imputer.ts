/**
 * scikit-learn's SimpleImputer for numeric columns: missing values (NaN) are replaced by each column's mean,
 * median, most frequent value or a constant. Exports as ONNX's ai.onnx.ml Imputer; transform computes what that
 * operator computes (float32 output), so in-process and ONNX predictions agree.
 *
 * Text columns are not imputed: the pipeline's one-hot encoder keeps a missing category of its own instead.
 */
import { invalidParameter } from "../../core/errors.js";
import type { Matrix, OnnxGraphBuilder } from "../types.js";

export type ImputeStrategy = "mean" | "median" | "most_frequent" | "constant";

export const IMPUTE_STRATEGIES: readonly ImputeStrategy[] = ["mean", "median", "most_frequent", "constant"];

export interface SimpleImputerOptions {
  /** Default "mean", as scikit-learn's. */
  readonly strategy?: ImputeStrategy;
  /** The fill value of the "constant" strategy (default 0, as scikit-learn's for numbers). */
  readonly fillValue?: number;
}

export interface SimpleImputerJson {
  readonly type: "simple_imputer";
  readonly strategy: ImputeStrategy;
  readonly statistics: readonly number[];
}

export interface FittedSimpleImputer {
  readonly strategy: ImputeStrategy;
  /**
   * The fill value per column (scikit-learn's `statistics_`). A column with no values at all gets 0, as
   * scikit-learn's `keep_empty_features=True` does (by default scikit-learn would drop that column).
   */
  readonly statistics: Float64Array;
  /** A new matrix with NaN replaced, every value rounded to float32 as the ONNX Imputer outputs it. */
  transform(x: Matrix): Matrix;
  /** Adds an Imputer node reading the float tensor `input` [N, columns]; returns its output's name. */
  toOnnx(graph: OnnxGraphBuilder, input: string): string;
  toJson(): SimpleImputerJson;
}

export function fitSimpleImputer(x: Matrix, options: SimpleImputerOptions = {}): FittedSimpleImputer {
  const strategy = options.strategy ?? "mean";
  if (!IMPUTE_STRATEGIES.includes(strategy)) {
    throw invalidParameter(`unknown imputation strategy '${String(strategy)}'; use one of ${IMPUTE_STRATEGIES.join(", ")}`);
  }
  if (strategy === "constant") return imputer(strategy, new Float64Array(x.cols).fill(options.fillValue ?? 0));
  return imputer(strategy, Float64Array.from(presentValues(x), (values) => statistic(values, strategy)));
}

export function simpleImputerFromJson(json: SimpleImputerJson): FittedSimpleImputer {
  return imputer(json.strategy, Float64Array.from(json.statistics));
}

function imputer(strategy: ImputeStrategy, statistics: Float64Array): FittedSimpleImputer {
  const fill = Float32Array.from(statistics);
  return {
    strategy,
    statistics,
    transform(x) {
      if (x.cols !== statistics.length) throw invalidParameter(`the imputer was fitted on ${statistics.length} columns but got ${x.cols}`);
      const out = new Float64Array(x.data.length);
      for (let r = 0, i = 0; r < x.rows; r++) {
        for (let c = 0; c < x.cols; c++, i++) {
          const v = x.data[i];
          out[i] = v === v ? Math.fround(v) : fill[c];
        }
      }
      return { rows: x.rows, cols: x.cols, data: out };
    },
    toOnnx(graph, input) {
      const output = graph.name("imputed");
      graph.node("Imputer", [input], [output], { imputed_value_floats: Array.from(fill), replaced_value_float: Number.NaN }, "ai.onnx.ml");
      return output;
    },
    toJson: () => ({ type: "simple_imputer", strategy, statistics: Array.from(statistics) }),
  };
}

/** Each column's non-missing values, gathered in one pass over the row-major matrix. */
function presentValues(x: Matrix): Float64Array[] {
  const columns = Array.from({ length: x.cols }, () => new Float64Array(x.rows));
  const counts = new Int32Array(x.cols);
  for (let r = 0, i = 0; r < x.rows; r++) {
    for (let c = 0; c < x.cols; c++, i++) {
      const v = x.data[i];
      if (v === v) columns[c][counts[c]++] = v;
    }
  }
  return columns.map((values, c) => values.subarray(0, counts[c]));
}

function statistic(values: Float64Array, strategy: Exclude<ImputeStrategy, "constant">): number {
  if (values.length === 0) return 0;
  if (strategy === "mean") {
    let sum = 0;
    for (const v of values) sum += v;
    return sum / values.length;
  }
  if (strategy === "median") {
    // values is a scratch copy, so selecting in place is fine; selection is linear where sorting is not.
    const mid = values.length >> 1;
    const upper = select(values, mid);
    if (values.length % 2 === 1) return upper;
    let lower = -Infinity;
    for (let i = 0; i < mid; i++) if (values[i] > lower) lower = values[i];
    return (lower + upper) / 2;
  }
  return mostFrequent(values.sort());
}

/** Hoare's quickselect: reorders `a` so that a[k] is the k-th smallest, smaller values before it. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

/** The most frequent value; ties go to the smallest, as scipy.stats.mode (and so scikit-learn) decides. */
function mostFrequent(sorted: Float64Array): number {
  let best = sorted[0];
  let bestCount = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) {
      best = sorted[i];
      bestCount = j - i;
    }
    i = j;
  }
  return best;
}
