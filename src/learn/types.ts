/**
 * The learn domain's shared shapes. Learners train on a dense numeric matrix (what preprocessing makes of a
 * Frame) and a target; fitted models predict on the same kind of matrix and export themselves into an ONNX
 * graph. Classification targets are class indices 0..k-1 into `classes`.
 */

/** Row-major dense matrix: value (r, c) is data[r * cols + c]. NaN marks a missing value. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export type Task = "classification" | "regression";

export type Target =
  | { readonly task: "classification"; readonly classes: readonly string[]; readonly y: Int32Array }
  | { readonly task: "regression"; readonly y: Float64Array };

/** A learner's hyperparameters as given (scikit-learn's names where one exists). */
export type Params = Readonly<Record<string, number | string | boolean | null>>;

/** Called as training advances: iteration `step` of `total`, with losses when the learner has them (boosting). */
export type ProgressCallback = (event: { readonly step: number; readonly total: number; readonly trainLoss?: number; readonly validationLoss?: number }) => void;

export interface FitOptions {
  readonly seed?: number;
  readonly onProgress?: ProgressCallback;
}

/** Where a fitted model adds its nodes: the ONNX graph under construction (see onnx/graph-builder.ts). */
export interface OnnxGraphBuilder {
  /** A fresh, unused tensor name starting with `prefix`. */
  name(prefix: string): string;
  /** Adds a node; `domain` is "" (ai.onnx) or "ai.onnx.ml"; attributes are typed by their JS value. */
  node(opType: string, inputs: readonly string[], outputs: readonly string[], attributes?: Readonly<Record<string, OnnxAttribute>>, domain?: "" | "ai.onnx.ml"): void;
  /** Adds a constant tensor and returns its name. */
  initializer(prefix: string, dims: readonly number[], values: Float32Array | Float64Array | BigInt64Array | readonly string[], type?: "float" | "double" | "int64" | "string"): string;
}

/** ONNX attribute values: numbers are floats unless wrapped as { int } / { ints }. */
export type OnnxAttribute =
  | number
  | string
  | readonly number[]
  | readonly string[]
  | { readonly int: number }
  | { readonly ints: readonly number[] };

export interface FittedClassifier {
  readonly task: "classification";
  readonly kind: string;
  readonly classes: readonly string[];
  readonly featureCount: number;
  /** rows × classes, row-major; each row sums to 1. */
  predictProba(x: Matrix): Float64Array;
  /** Class index per row (argmax of predictProba; ties go to the lower index, as numpy's argmax). */
  predict(x: Matrix): Int32Array;
  /** Impurity- or gain-based importances, normalised to sum to 1, when the learner has them. */
  featureImportances?(): Float64Array;
  /**
   * Adds the model to `graph`, reading the float tensor `input` [N, featureCount]; returns the names of the
   * int64 label tensor [N] (class index) and the float probabilities tensor [N, classes].
   */
  toOnnx(graph: OnnxGraphBuilder, input: string): { readonly label: string; readonly probabilities: string };
  /** JSON-serialisable state, enough to rebuild the model (see learners' `fromJson`). */
  toJson(): unknown;
}

export interface FittedRegressor {
  readonly task: "regression";
  readonly kind: string;
  readonly featureCount: number;
  predict(x: Matrix): Float64Array;
  featureImportances?(): Float64Array;
  /** Adds the model to `graph`, reading `input` [N, featureCount]; returns the float prediction tensor [N, 1]. */
  toOnnx(graph: OnnxGraphBuilder, input: string): { readonly prediction: string };
  toJson(): unknown;
}

export type FittedModel = FittedClassifier | FittedRegressor;

/** A learner: hyperparameters checked at construction, fit returns a new fitted model (the learner is unchanged). */
export interface Learner {
  readonly kind: string;
  readonly params: Params;
  fit(x: Matrix, target: Target, options?: FitOptions): Promise<FittedModel>;
}
