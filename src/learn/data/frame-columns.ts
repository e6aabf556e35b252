/**
 * Small constructors and look-ups for Frames, so that tests, preprocessing and callers build and read tables
 * the same way (and get the same error when a column is missing).
 */
import type { Column, Frame } from "../../core/frame.js";
import { invalidParameter } from "../../core/errors.js";

export function numberColumn(name: string, values: ArrayLike<number>): Column {
  return { kind: "number", name, values: values instanceof Float64Array ? values : Float64Array.from(values) };
}

export function stringColumn(name: string, values: readonly (string | null)[]): Column {
  return { kind: "string", name, values };
}

/** A Frame over `columns`; they must have distinct names and the same length. */
export function frameFromColumns(columns: readonly Column[]): Frame {
  const rowCount = columns.length === 0 ? 0 : columns[0].values.length;
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name)) throw invalidParameter(`column '${column.name}' appears twice; column names must be distinct`);
    seen.add(column.name);
    if (column.values.length !== rowCount) {
      throw invalidParameter(
        `column '${column.name}' has ${column.values.length} values but '${columns[0].name}' has ${rowCount}; all columns need the same length`,
      );
    }
  }
  return { columns, rowCount };
}

/** The column named `name`, or an error listing the columns there are. */
export function getColumn(frame: Frame, name: string): Column {
  const column = frame.columns.find((c) => c.name === name);
  if (!column) throw invalidParameter(`no column '${name}' in the table; its columns are ${listNames(frame)}`);
  return column;
}

export function getNumberColumn(frame: Frame, name: string): Float64Array {
  const column = getColumn(frame, name);
  if (column.kind !== "number") {
    throw invalidParameter(`column '${name}' holds text, not numbers; read it with types: { "${name}": "number" } or treat it as categorical`);
  }
  return column.values;
}

export function getStringColumn(frame: Frame, name: string): readonly (string | null)[] {
  const column = getColumn(frame, name);
  if (column.kind !== "string") {
    throw invalidParameter(`column '${name}' holds numbers, not text; read it with types: { "${name}": "string" } to treat it as categorical`);
  }
  return column.values;
}

export function listNames(frame: Frame): string {
  return frame.columns.length === 0 ? "(none)" : frame.columns.map((c) => `'${c.name}'`).join(", ");
}
