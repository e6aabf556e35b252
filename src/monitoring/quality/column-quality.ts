/**
 * Per-column data-quality measures of a current column against its reference column: missing shares, values
 * that do not fit the reference type, new categories, out-of-range values and constant columns.
 */
import { compareCodePoints } from "../../core/compare-code-points.js";
import type { Column } from "../../core/frame.js";
import type { ColumnKind } from "../drift/index.js";
import type { ColumnQuality, NewCategories, OutOfRange } from "./types.js";

/** How many distinct new categories a result lists; the total is always reported. */
export const NEW_CATEGORY_SAMPLE_SIZE = 20;

// A decimal number as CSV readers write one; hex, "1_000" or "Infinity" are not numbers in a data file.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a text value spells, or undefined when it is not a decimal number. */
export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : undefined;
}

/** The current column seen through the reference type, with what did not fit it counted apart. */
type Aligned =
  | { readonly type: "number"; readonly values: Float64Array; readonly mismatch: number; readonly fitting: number }
  | { readonly type: "string"; readonly values: readonly (string | null)[]; readonly mismatch: number; readonly fitting: number };

function countMissing(column: Column): number {
  let missing = 0;
  if (column.kind === "number") {
    for (const v of column.values) if (v !== v) missing++;
  } else {
    for (const v of column.values) if (v === null) missing++;
  }
  return missing;
}

/** Converts only when the types differ, so the common case allocates nothing. */
function align(referenceType: Column["kind"], current: Column, missing: number): Aligned {
  const rows = current.values.length;
  if (referenceType === "number") {
    if (current.kind === "number") return { type: "number", values: current.values, mismatch: 0, fitting: rows - missing };
    const values = new Float64Array(rows);
    let mismatch = 0;
    current.values.forEach((text, i) => {
      const parsed = text === null ? undefined : parseDecimal(text);
      if (text !== null && parsed === undefined) mismatch++;
      values[i] = parsed ?? Number.NaN;
    });
    return { type: "number", values, mismatch, fitting: rows - missing - mismatch };
  }
  if (current.kind === "string") return { type: "string", values: current.values, mismatch: 0, fitting: rows - missing };
  const values = Array.from(current.values, (v) => (v !== v ? null : String(v)));
  return { type: "string", values, mismatch: 0, fitting: rows - missing };
}

/** At most one distinct non-missing value. */
export function isConstant(column: Column): boolean {
  const missing = column.kind === "number" ? (v: number | string | null) => v !== v : (v: number | string | null) => v === null;
  let first: number | string | null | undefined;
  for (const v of column.values) {
    if (missing(v)) continue;
    if (first === undefined) first = v;
    else if (v !== first) return false;
  }
  return true;
}

function newCategories(reference: Column, current: Aligned): NewCategories {
  const known = new Set<string | number>();
  for (const v of reference.values) if (v !== null && v === v) known.add(v);
  const found = new Set<string | number>();
  let count = 0;
  for (const v of current.values) {
    if (v === null || v !== v || known.has(v)) continue;
    found.add(v);
    count++;
  }
  const sorted = [...found].sort((a, b) =>
    typeof a === "number" && typeof b === "number" ? a - b : compareCodePoints(String(a), String(b)),
  );
  return {
    values: sorted.slice(0, NEW_CATEGORY_SAMPLE_SIZE),
    distinct: found.size,
    count,
    share: current.fitting === 0 ? 0 : count / current.fitting,
  };
}

function outOfRange(reference: Float64Array, current: Float64Array, fitting: number): OutOfRange {
  let min = Infinity;
  let max = -Infinity;
  for (const v of reference) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { count: 0, share: 0, referenceMin: null, referenceMax: null };
  let count = 0;
  for (const v of current) if (v < min || v > max) count++;
  return { count, share: fitting === 0 ? 0 : count / fitting, referenceMin: min, referenceMax: max };
}

/**
 * Measures `current` against `reference` as a column of `kind`. Shares of new categories and out-of-range
 * values are over the current values that are present and fit the reference type, so a column that went
 * mostly missing is reported by its missing share, not diluted here.
 * @example
 * columnQuality(refFrame.columns[0], curFrame.columns[0], "numerical").outOfRange; // { count: 3, share: 0.01, … }
 */
export function columnQuality(reference: Column, current: Column, kind: ColumnKind): ColumnQuality {
  const referenceMissing = countMissing(reference);
  const currentMissing = countMissing(current);
  const aligned = align(reference.kind, current, currentMissing);
  const share = (part: number, rows: number): number => (rows === 0 ? 0 : part / rows);
  return {
    column: reference.name,
    kind,
    types: { reference: reference.kind, current: current.kind },
    missing: { reference: share(referenceMissing, reference.values.length), current: share(currentMissing, current.values.length) },
    typeMismatch: aligned.mismatch,
    newCategories: kind === "categorical" ? newCategories(reference, aligned) : null,
    outOfRange:
      kind === "numerical" && reference.kind === "number" && aligned.type === "number"
        ? outOfRange(reference.values, aligned.values, aligned.fitting)
        : null,
    constant: isConstant(current),
    referenceConstant: isConstant(reference),
  };
}
