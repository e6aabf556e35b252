/**
 * The serving domain's shared shapes. Data moves through serving as columns, never as row objects: a
 * request is decoded once into one typed array per model input, batched by concatenating those arrays,
 * run as one onnxruntime call, and sliced back per caller.
 */

/** onnxruntime's element type names, the ones Keel feeds and reads. */
export type ElementType =
  | "float32" | "float64"
  | "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64"
  | "bool" | "string";

/** Values of one tensor, flat and row-major. bool is a Uint8Array of 0/1, as onnxruntime-node takes it. */
export type TensorData =
  | Float32Array | Float64Array
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array
  | string[];

/** One input or output of a served model. */
export interface TensorInfo {
  readonly name: string;
  readonly type: ElementType;
  /**
   * The shape of ONE row: the tensor's dims after the batch dimension. A table column fed as [N, 1] has
   * `[1]`; one float input of 20 features has `[20]`; a 1-D output `label` of shape [N] has `[]`.
   * -1 marks a dimension the model leaves open.
   */
  readonly rowShape: readonly number[];
}

/** Rows to score: for each model input (by name), `rows × rowSize` values, row-major. */
export interface RowBatch {
  readonly rows: number;
  readonly inputs: Readonly<Record<string, TensorData>>;
}

/** The model's answers for the rows of a RowBatch, in the same order: per output, `rows × rowSize` values. */
export interface OutputBatch {
  readonly rows: number;
  readonly outputs: Readonly<Record<string, TensorData>>;
}

/** What a protocol decoder needs to know about the model it decodes for. */
export interface ModelInterface {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
}

/** The number of values in one row of a tensor with this row shape (open dims count as 1). */
export function rowSize(rowShape: readonly number[]): number {
  let size = 1;
  for (const d of rowShape) size *= d > 0 ? d : 1;
  return size;
}
