/**
 * Picks a pipeline's columns out of a Frame by name and checks their kind, so that a table with extra, reordered
 * or missing columns is handled the same way at fit and predict time. Numeric columns come out as one float32
 * matrix, because the ONNX model reads them as float tensors.
 */
import type { Column, Frame } from "../../core/frame.js";
import { invalidParameter } from "../../core/errors.js";
import type { ValueKind } from "../data/infer-types.js";
import { getColumn } from "../data/frame-columns.js";
import type { Matrix, OnnxGraphBuilder } from "../types.js";

export interface ColumnSelectorJson {
  readonly type: "column_selector";
  readonly kind: ValueKind;
  readonly names: readonly string[];
}

export interface ColumnSelector {
  readonly kind: ValueKind;
  readonly names: readonly string[];
  /** The named columns of `frame`, in the selector's order; a missing column or one of the wrong kind is an error. */
  select(frame: Frame): Column[];
  /** The numeric columns as a rows × names matrix, each value rounded to float32 (what ONNX will be fed). */
  toMatrix(frame: Frame): Matrix;
  /** Joins the graph inputs ([N, 1] float each, in the selector's order) into one [N, names] tensor. */
  toOnnx(graph: OnnxGraphBuilder, inputs: readonly string[]): string;
  toJson(): ColumnSelectorJson;
}

export function createColumnSelector(names: readonly string[], kind: ValueKind): ColumnSelector {
  const distinct = new Set(names);
  if (distinct.size !== names.length) throw invalidParameter(`the ${kind === "number" ? "numeric" : "categorical"} columns name a column twice`);
  const select = (frame: Frame): Column[] =>
    names.map((name) => {
      const column = getColumn(frame, name);
      if (column.kind !== kind) throw invalidParameter(kindMismatch(name, kind));
      return column;
    });
  return {
    kind,
    names,
    select,
    toMatrix(frame) {
      if (kind !== "number") throw invalidParameter("only numeric columns make a matrix; one-hot encode text columns");
      const columns = select(frame).map((c) => c.values as Float64Array);
      const cols = columns.length;
      const data = new Float64Array(frame.rowCount * cols);
      for (let r = 0, i = 0; r < frame.rowCount; r++) {
        for (let c = 0; c < cols; c++, i++) data[i] = Math.fround(columns[c][r]);
      }
      return { rows: frame.rowCount, cols, data };
    },
    toOnnx(graph, inputs) {
      if (inputs.length !== names.length) throw invalidParameter(`the selector has ${names.length} columns but got ${inputs.length} inputs`);
      const output = graph.name("numeric");
      graph.node("Concat", inputs, [output], { axis: { int: 1 } });
      return output;
    },
    toJson: () => ({ type: "column_selector", kind, names: [...names] }),
  };
}

export function columnSelectorFromJson(json: ColumnSelectorJson): ColumnSelector {
  return createColumnSelector(json.names, json.kind);
}

function kindMismatch(name: string, kind: ValueKind): string {
  return kind === "number"
    ? `column '${name}' was numeric in training but holds text here; read it with types: { "${name}": "number" }`
    : `column '${name}' was text (categorical) in training but holds numbers here; read it with types: { "${name}": "string" }`;
}
