/** Entities of data-quality checks: options in, JSON-serializable results out. */
import type { ColumnKind } from "../drift/index.js";

/** The storage type of a Frame column: numbers (NaN = missing) or text (null = missing). */
export type ValueType = "number" | "string";

/** The checks a data-quality run can fail; each issue names one. */
export type QualityCheck = "missing" | "type" | "new_categories" | "out_of_range" | "constant" | "duplicates" | "missing_column";

export interface DataQualityOptions {
  /** Columns to check (default: every reference column, in its order). Each must exist in the reference. */
  readonly columns?: readonly string[];
  /** Per-column kind overriding inference from the reference; "numerical" needs a number column in the reference. */
  readonly kinds?: Readonly<Record<string, ColumnKind>>;
  /** A missing-share rise (current − reference, a fraction in [0, 1]) above this is an issue. Default 0.1. */
  readonly maxMissingShareIncrease?: number;
  /** A share of current values in categories the reference lacks above this is an issue. Default 0: any. */
  readonly maxNewCategoryShare?: number;
  /** A share of current values outside the reference [min, max] above this is an issue. Default 0.05. */
  readonly maxOutOfRangeShare?: number;
  /** A duplicate-row share rise (current − reference) above this is an issue. Default 0.05. */
  readonly maxDuplicateShareIncrease?: number;
}

/** The thresholds a result was judged with, defaults filled in. */
export interface DataQualityThresholds {
  readonly maxMissingShareIncrease: number;
  readonly maxNewCategoryShare: number;
  readonly maxOutOfRangeShare: number;
  readonly maxDuplicateShareIncrease: number;
}

/** Categorical values in the current column that never occur in the reference. */
export interface NewCategories {
  /** The first NEW_CATEGORY_SAMPLE_SIZE (20) distinct new values, sorted (numbers ascending, text by code point). */
  readonly values: readonly (string | number)[];
  /** Distinct new values in all. */
  readonly distinct: number;
  /** Current values that hold a new category. */
  readonly count: number;
  /** count / non-missing current values that fit the reference type (0 when there are none). */
  readonly share: number;
}

/** Numerical current values outside the range seen in the reference. */
export interface OutOfRange {
  /** Current values below referenceMin or above referenceMax. */
  readonly count: number;
  /** count / non-missing current values that fit the reference type (0 when there are none). */
  readonly share: number;
  /** Smallest and largest finite reference value; null when the reference has none (then count is 0). */
  readonly referenceMin: number | null;
  readonly referenceMax: number | null;
}

export interface ColumnQuality {
  readonly column: string;
  readonly kind: ColumnKind;
  readonly types: { readonly reference: ValueType; readonly current: ValueType };
  /** Shares of missing values (NaN or null) in [0, 1]; 0 for a table with no rows. */
  readonly missing: { readonly reference: number; readonly current: number };
  /**
   * Current values that do not fit the reference type: text that is not a decimal number when the reference
   * column holds numbers. Numbers always fit a text reference (they are compared as their decimal text). 0 when
   * both columns have the same type.
   */
  readonly typeMismatch: number;
  /** Categorical columns only; null for numerical ones. */
  readonly newCategories: NewCategories | null;
  /** Numerical columns only; null for categorical ones. */
  readonly outOfRange: OutOfRange | null;
  /** The current column holds at most one distinct non-missing value (so an empty one is constant). */
  readonly constant: boolean;
  /** The same of the reference column: a column constant since training is no news. */
  readonly referenceConstant: boolean;
}

export interface DuplicateRows {
  /** Current rows equal, over every compared column, to an earlier current row (missing equals missing). */
  readonly count: number;
  /** count / current rows (0 when there are none). */
  readonly share: number;
  /** The same for the reference table over the same columns. */
  readonly referenceCount: number;
  readonly referenceShare: number;
}

export interface QualityIssue {
  /** Absent for dataset-level issues (duplicates). */
  readonly column?: string;
  readonly check: QualityCheck;
  readonly message: string;
}

export interface DataQualityResult {
  /** No issue under the thresholds. */
  readonly passed: boolean;
  readonly rows: { readonly reference: number; readonly current: number };
  /** Over the checked columns present in both tables. */
  readonly duplicateRows: DuplicateRows;
  /** Checked columns the current table lacks (each also an issue). */
  readonly missingColumns: readonly string[];
  /** Current columns the reference lacks; not checked, since there is nothing to compare them with. */
  readonly extraColumns: readonly string[];
  /** One entry per checked column present in both tables, in checking order. */
  readonly columns: readonly ColumnQuality[];
  readonly issues: readonly QualityIssue[];
  readonly thresholds: DataQualityThresholds;
}
