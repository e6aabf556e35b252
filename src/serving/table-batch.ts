/**
 * A table of named columns (a DataFrame as MLflow's scoring formats and CSV carry it) mapped onto the model's
 * inputs the way MLflow's ONNX pyfunc maps a DataFrame:
 * - a model with several inputs takes one column per input, by name (a cell may hold a nested list of the
 *   input's rowSize values);
 * - a model with ONE input takes a lone column directly, or stacks several scalar columns into its row
 *   (DataFrame.values), in the model's feature order when it is known (`columnNames`), else as given;
 *   their count must equal the input's row size.
 * Cells are read where the request put them (row arrays, record objects or column lists) and written
 * straight into each input's typed array.
 */
import { KeelError } from "../core/errors.js";
import { csvFieldValue } from "./csv-rows.js";
import { createTensor, describeValue, fillNested, formatShape, isFloatType, refuseRows, setValue } from "./decode-columns.js";
import type { FillState } from "./decode-columns.js";
import type { ElementType, ModelInterface, RowBatch, TensorData, TensorInfo } from "./types.js";
import { rowSize } from "./types.js";

/** The request's table, in the layout it arrived in; `label` names it in messages. */
export type Table =
  | { readonly kind: "rows"; readonly label: string; readonly columns: readonly string[]; readonly rows: readonly unknown[]; readonly text?: boolean }
  | { readonly kind: "records"; readonly label: string; readonly columns: readonly string[]; readonly rows: readonly Readonly<Record<string, unknown>>[] }
  | { readonly kind: "columns"; readonly label: string; readonly columns: readonly string[]; readonly values: readonly (readonly unknown[])[] };

export interface TableOptions {
  readonly maxRows: number;
  /** The single input's feature names in the model's order (from its signature), when it has them. */
  readonly columnNames?: readonly string[];
  /** Drop columns the model does not take instead of refusing them (MLflow logs and drops them). */
  readonly ignoreExtraColumns?: boolean;
}

/** One request column feeding `width` values at `offset` of each `stride`-wide row of one input. */
interface Target {
  readonly column: number;
  readonly input: TensorInfo;
  readonly offset: number;
  readonly width: number;
  readonly stride: number;
}

export function tableRows(table: Table): number {
  return table.kind === "columns" ? (table.values[0]?.length ?? 0) : table.rows.length;
}

export function tableToBatch(table: Table, model: ModelInterface, options: TableOptions): RowBatch {
  const targets = planTargets(table.columns, model, options);
  const rows = tableRows(table);
  refuseRows(rows, options.maxRows);
  const inputs: Record<string, TensorData> = {};
  for (const t of targets) inputs[t.input.name] ??= createTensor(t.input.type, rows * t.stride);
  const data = targets.map((t) => inputs[t.input.name]);
  const floats = targets.map((t) => isFloatType(t.input.type));
  const state: FillState = { pos: 0, end: 0, error: undefined };
  const width = table.columns.length;
  for (let r = 0; r < rows; r++) {
    let row: readonly unknown[] = [];
    if (table.kind === "rows") {
      const value = table.rows[r];
      if (!Array.isArray(value) || value.length !== width) {
        const got = Array.isArray(value) ? `${value.length} values` : describeValue(value);
        throw new KeelError("INVALID_PARAMETER_VALUE", `${table.label} row ${r} must hold one value per column (${width}); got ${got}.`);
      }
      row = value;
    }
    for (let c = 0; c < targets.length; c++) {
      const t = targets[c];
      const name = table.columns[t.column];
      let cell: unknown;
      if (table.kind === "rows") cell = table.text ? csvFieldValue(row[t.column] as string, t.input.type) : row[t.column];
      else if (table.kind === "records") cell = table.rows[r][name];
      else cell = table.values[t.column][r];
      const pos = r * t.stride + t.offset;
      if (floats[c] && typeof cell === "number") {
        (data[c] as Float32Array)[pos] = cell;
        continue;
      }
      if (cell === undefined && !floats[c]) {
        throw new KeelError("INVALID_PARAMETER_VALUE", `${table.label} row ${r} has no value for column '${name}' (input '${t.input.name}' takes ${t.input.type}).`);
      }
      state.pos = pos;
      state.end = pos + t.width;
      fillNested(data[c], t.input.type, cell === undefined ? null : cell, state);
      if (state.error !== undefined) throw cellError(table.label, r, name, t.input.type, state.error);
      if (state.pos - pos !== t.width) {
        throw new KeelError(
          "INVALID_PARAMETER_VALUE",
          `${table.label} row ${r}, column '${name}' has ${state.pos - pos} values; the model's input '${t.input.name}' takes ${t.width} per row (row shape ${formatShape(t.input.rowShape)}).`,
        );
      }
    }
  }
  return { rows, inputs };
}

function cellError(label: string, row: number, column: string, type: ElementType, reason: string): KeelError {
  return new KeelError("INVALID_PARAMETER_VALUE", `${label} row ${row}, column '${column}': ${reason} (the model takes ${type} there).`);
}

function columnIndex(columns: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  columns.forEach((name, i) => {
    if (index.has(name)) throw new KeelError("INVALID_PARAMETER_VALUE", `Column '${name}' appears twice in the request; name each column once.`);
    index.set(name, i);
  });
  return index;
}

const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(", ");

function planTargets(columns: readonly string[], model: ModelInterface, options: TableOptions): Target[] {
  const inputs = model.inputs;
  const index = columnIndex(columns);
  if (inputs.length === 1) {
    const input = inputs[0];
    const k = rowSize(input.rowShape);
    if (index.has(input.name) && (columns.length === 1 || options.ignoreExtraColumns)) {
      return [{ column: index.get(input.name) ?? 0, input, offset: 0, width: k, stride: k }];
    }
    if (columns.length === 1 && !options.columnNames) return [{ column: 0, input, offset: 0, width: k, stride: k }];
    const names = options.columnNames ?? columns;
    const order = checkNames(names, columns, index, options, `The model's single input '${input.name}' takes the columns ${quoted(names)}`);
    if (order.length !== k) {
      throw new KeelError(
        "INVALID_PARAMETER_VALUE",
        `The request has ${order.length} columns (${quoted(order.map((i) => columns[i]))}), but the model's single input '${input.name}' takes ${k} values per row (row shape ${formatShape(input.rowShape)}); send one column per feature.`,
      );
    }
    return order.map((column, j) => ({ column, input, offset: j, width: 1, stride: k }));
  }
  const described = inputs.map((i) => `${i.name} (${i.type})`).join(", ");
  const order = checkNames(inputs.map((i) => i.name), columns, index, options, `The model takes one column per input: ${described}`);
  return inputs.map((input, n) => {
    const k = rowSize(input.rowShape);
    return { column: order[n], input, offset: 0, width: k, stride: k };
  });
}

/** The request column index of each expected name, refusing missing (and, unless told, extra) columns. */
function checkNames(names: readonly string[], columns: readonly string[], index: ReadonlyMap<string, number>, options: TableOptions, takes: string): number[] {
  const missing = names.filter((n) => !index.has(n));
  if (missing.length > 0) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `The request is missing the columns ${quoted(missing)}. ${takes}.`);
  }
  if (!options.ignoreExtraColumns && columns.length > names.length) {
    const known = new Set(names);
    const extra = columns.filter((c) => !known.has(c));
    throw new KeelError("INVALID_PARAMETER_VALUE", `The request has columns the model does not take: ${quoted(extra)}. ${takes}; remove the others.`);
  }
  return names.map((n) => index.get(n) ?? 0);
}
