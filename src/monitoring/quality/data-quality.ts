/**
 * Data quality of a current table against a reference table (typically the training data): per-column missing
 * shares, type mismatches, new categories, out-of-range values and constant columns, and duplicate rows, each
 * judged against a threshold into a list of issues.
 */
import { KeelError } from "../../core/errors.js";
import type { Column, Frame } from "../../core/frame.js";
import type { ColumnKind } from "../drift/index.js";
import { inferColumnKind } from "../drift/index.js";
import { columnQuality } from "./column-quality.js";
import { countDuplicateRows } from "./duplicate-rows.js";
import type { ColumnQuality, DataQualityOptions, DataQualityResult, DataQualityThresholds, DuplicateRows, QualityIssue } from "./types.js";

export const DEFAULT_QUALITY_THRESHOLDS: DataQualityThresholds = {
  maxMissingShareIncrease: 0.1,
  maxNewCategoryShare: 0,
  maxOutOfRangeShare: 0.05,
  maxDuplicateShareIncrease: 0.05,
};

function invalid(message: string): KeelError {
  return new KeelError("INVALID_PARAMETER_VALUE", message);
}

function names(frame: Frame): string {
  return frame.columns.length === 0 ? "(none)" : frame.columns.map((c) => `'${c.name}'`).join(", ");
}

function thresholdsOf(options: DataQualityOptions): DataQualityThresholds {
  const thresholds = { ...DEFAULT_QUALITY_THRESHOLDS };
  for (const key of Object.keys(thresholds) as (keyof DataQualityThresholds)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!(value >= 0 && value <= 1)) throw invalid(`${key} is a share and must be between 0 and 1, got ${value}`);
    thresholds[key] = value;
  }
  return thresholds;
}

function kindOf(column: Column, override: ColumnKind | undefined): ColumnKind {
  if (override === undefined) return inferColumnKind(column);
  if (override !== "numerical" && override !== "categorical") {
    throw invalid(`kind of column '${column.name}' must be numerical or categorical, got '${String(override)}'`);
  }
  if (override === "numerical" && column.kind === "string") {
    throw invalid(`column '${column.name}' holds text in the reference, so it cannot be numerical; check it as categorical`);
  }
  return override;
}

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

function columnIssues(q: ColumnQuality, t: DataQualityThresholds): QualityIssue[] {
  const issues: QualityIssue[] = [];
  const add = (check: QualityIssue["check"], message: string): void => {
    issues.push({ column: q.column, check, message: `column '${q.column}': ${message}` });
  };
  const rise = q.missing.current - q.missing.reference;
  if (rise > t.maxMissingShareIncrease) {
    add("missing", `${percent(q.missing.current)} missing against ${percent(q.missing.reference)} in the reference, more than the allowed rise of ${percent(t.maxMissingShareIncrease)}; check the upstream source or raise maxMissingShareIncrease`);
  }
  if (q.typeMismatch > 0) {
    add("type", `${q.typeMismatch} value(s) are text that is not a number, while the reference holds numbers; fix the producer or read the column with an explicit type`);
  }
  const nc = q.newCategories;
  if (nc !== null && nc.count > 0 && nc.share > t.maxNewCategoryShare) {
    const shown = nc.values.map((v) => `'${String(v)}'`).join(", ");
    const more = nc.distinct > nc.values.length ? ` and ${nc.distinct - nc.values.length} more` : "";
    add("new_categories", `${nc.distinct} categor${nc.distinct === 1 ? "y" : "ies"} absent from the reference (${shown}${more}) in ${percent(nc.share)} of values; retrain with them or raise maxNewCategoryShare`);
  }
  const oor = q.outOfRange;
  if (oor !== null && oor.count > 0 && oor.share > t.maxOutOfRangeShare) {
    add("out_of_range", `${percent(oor.share)} of values lie outside the reference range [${oor.referenceMin}, ${oor.referenceMax}], more than ${percent(t.maxOutOfRangeShare)}; check units and the producer, or raise maxOutOfRangeShare`);
  }
  if (q.constant && !q.referenceConstant) {
    add("constant", "holds at most one distinct value although the reference varies; check that the feature is still being filled");
  }
  return issues;
}

function duplicateIssue(d: DuplicateRows, t: DataQualityThresholds): QualityIssue[] {
  if (d.share - d.referenceShare <= t.maxDuplicateShareIncrease) return [];
  return [{
    check: "duplicates",
    message: `${d.count} row(s) (${percent(d.share)}) repeat an earlier row against ${percent(d.referenceShare)} in the reference; look for double-logged requests or raise maxDuplicateShareIncrease`,
  }];
}

/**
 * Checks `current` against `reference`. Columns default to every reference column; each column's kind is
 * inferred from the reference as Evidently infers kinds (unless `kinds` says otherwise), so the reference
 * defines what a column should hold. Numerical columns get an out-of-range check, categorical ones a
 * new-category check. A checked column missing from the current table is an issue; current columns the
 * reference lacks are listed, not checked. Duplicate rows are counted over the checked columns present in both.
 * @throws KeelError INVALID_PARAMETER_VALUE for an empty reference, a checked column the reference lacks, a bad
 * kind override, or a threshold outside [0, 1].
 * @example
 * const quality = checkDataQuality(trainFrame, todayFrame, { maxOutOfRangeShare: 0.01 });
 * if (!quality.passed) for (const issue of quality.issues) console.log(issue.message);
 */
export function checkDataQuality(reference: Frame, current: Frame, options: DataQualityOptions = {}): DataQualityResult {
  const thresholds = thresholdsOf(options);
  if (reference.rowCount === 0) throw invalid("the reference table has no rows; pass the training or validation data it should describe");
  const refByName = new Map(reference.columns.map((c) => [c.name, c]));
  const curByName = new Map(current.columns.map((c) => [c.name, c]));
  const wanted = options.columns ?? reference.columns.map((c) => c.name);
  for (const name of wanted) {
    if (!refByName.has(name)) throw invalid(`no column '${name}' in the reference table; its columns are ${names(reference)}`);
  }
  for (const name of Object.keys(options.kinds ?? {})) {
    if (!wanted.includes(name)) throw invalid(`kinds names column '${name}', which is not among the columns checked: ${wanted.join(", ")}`);
  }

  const missingColumns = wanted.filter((name) => !curByName.has(name));
  const checked = wanted.filter((name) => curByName.has(name));
  const columns = checked.map((name) => {
    const ref = refByName.get(name) as Column;
    return columnQuality(ref, curByName.get(name) as Column, kindOf(ref, options.kinds?.[name]));
  });
  const count = countDuplicateRows(checked.map((name) => curByName.get(name) as Column), current.rowCount);
  const referenceCount = countDuplicateRows(checked.map((name) => refByName.get(name) as Column), reference.rowCount);
  const duplicateRows: DuplicateRows = {
    count,
    share: current.rowCount === 0 ? 0 : count / current.rowCount,
    referenceCount,
    referenceShare: referenceCount / reference.rowCount,
  };

  const issues: QualityIssue[] = [
    ...missingColumns.map((name): QualityIssue => ({
      column: name,
      check: "missing_column",
      message: `column '${name}' is in the reference but not in the current table; restore it in the producer or leave it out of \`columns\``,
    })),
    ...columns.flatMap((q) => columnIssues(q, thresholds)),
    ...duplicateIssue(duplicateRows, thresholds),
  ];
  return {
    passed: issues.length === 0,
    rows: { reference: reference.rowCount, current: current.rowCount },
    duplicateRows,
    missingColumns,
    extraColumns: current.columns.filter((c) => !refByName.has(c.name)).map((c) => c.name),
    columns,
    issues,
    thresholds,
  };
}
