/**
 * scikit-learn's OneHotEncoder for one text column, with handle_unknown="ignore": one 0/1 feature per category
 * seen in training, an unseen category encoding as all zeros.
 *
 * Missing values follow scikit-learn 1.2: a missing value (null) is a category of its own, sorted after the
 * others and named "None" in feature names; when training had no missing values, a missing value at predict
 * time is unknown and so all zeros. ONNX string tensors cannot hold null, so the ONNX model reads the empty
 * string as missing, and in-process the empty string is taken for missing too, keeping the two in agreement.
 */
import { invalidParameter } from "../../core/errors.js";
import type { Matrix, OnnxGraphBuilder } from "../types.js";
import { compareCodePoints } from "../../core/compare-code-points.js";

export type HandleUnknown = "ignore" | "error";

export interface OneHotEncoderOptions {
  /** "ignore" (default): unseen categories encode as all zeros; "error": they are refused. */
  readonly handleUnknown?: HandleUnknown;
}

export interface OneHotEncoderJson {
  readonly type: "one_hot_encoder";
  readonly column: string;
  readonly categories: readonly (string | null)[];
  readonly handleUnknown: HandleUnknown;
}

export interface FittedOneHotEncoder {
  readonly column: string;
  /** Sorted by code point as scikit-learn sorts them; null (missing) last when training saw it. */
  readonly categories: readonly (string | null)[];
  readonly handleUnknown: HandleUnknown;
  /** `column_category` per category, as scikit-learn's get_feature_names_out ("column_None" for missing). */
  readonly featureNames: readonly string[];
  /** rows × categories of 0/1. */
  transform(values: readonly (string | null)[]): Matrix;
  /** Writes the 0/1 features of each row into `out` at `out[r * stride + offset + k]` (already zeroed). */
  transformInto(values: readonly (string | null)[], out: Float64Array, stride: number, offset: number): void;
  /** Adds the encoding of the string tensor `input` [N, 1]; returns the float tensor [N, categories]. */
  toOnnx(graph: OnnxGraphBuilder, input: string): string;
  toJson(): OneHotEncoderJson;
}

export function fitOneHotEncoder(column: string, values: readonly (string | null)[], options: OneHotEncoderOptions = {}): FittedOneHotEncoder {
  const seen = new Set<string>();
  let missing = false;
  for (const v of values) {
    if (v === null || v === "") missing = true;
    else seen.add(v);
  }
  const categories: (string | null)[] = [...seen].sort(compareCodePoints);
  if (missing) categories.push(null);
  return encoder(column, categories, options.handleUnknown ?? "ignore");
}

export function oneHotEncoderFromJson(json: OneHotEncoderJson): FittedOneHotEncoder {
  return encoder(json.column, json.categories, json.handleUnknown);
}

function encoder(column: string, categories: readonly (string | null)[], handleUnknown: HandleUnknown): FittedOneHotEncoder {
  if (categories.length === 0) throw invalidParameter(`column '${column}' has no rows to learn categories from`);
  const index = new Map<string, number>();
  categories.forEach((c, k) => index.set(c ?? "", k));
  const width = categories.length;
  const transformInto = (values: readonly (string | null)[], out: Float64Array, stride: number, offset: number): void => {
    for (let r = 0; r < values.length; r++) {
      const k = index.get(values[r] ?? "");
      if (k !== undefined) out[r * stride + offset + k] = 1;
      else if (handleUnknown === "error") {
        throw invalidParameter(`column '${column}' holds '${values[r]}' (row ${r}), a category not seen in training`);
      }
    }
  };
  return {
    column,
    categories,
    handleUnknown,
    featureNames: categories.map((c) => `${column}_${c ?? "None"}`),
    transform(values) {
      const data = new Float64Array(values.length * width);
      transformInto(values, data, width, 0);
      return { rows: values.length, cols: width, data };
    },
    transformInto,
    toOnnx(graph, input) {
      // OneHotEncoder appends the category axis: [N, 1] → [N, 1, C]; Reshape drops the middle axis.
      const encoded = graph.name("one_hot");
      graph.node("OneHotEncoder", [input], [encoded], { cats_strings: categories.map((c) => c ?? ""), zeros: { int: handleUnknown === "ignore" ? 1 : 0 } }, "ai.onnx.ml");
      const shape = graph.initializer("one_hot_shape", [2], BigInt64Array.from([-1n, BigInt(width)]), "int64");
      const output = graph.name("one_hot_2d");
      graph.node("Reshape", [encoded, shape], [output]);
      return output;
    },
    toJson: () => ({ type: "one_hot_encoder", column, categories: [...categories], handleUnknown }),
  };
}
