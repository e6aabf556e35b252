/** Entities of column drift detection: options in, JSON-serializable results out. */

/** How a column is compared: by its numeric distribution, or by the shares of its distinct values. */
export type ColumnKind = "numerical" | "categorical";

/** Evidently's registered names of the drift tests Keel implements. */
export type StatTestName = "ks" | "chisquare" | "z" | "wasserstein" | "jensenshannon" | "psi" | "cramer_von_mises";

/** Per-column overrides; each field wins over the dataset-wide option and over inference. */
export interface ColumnDriftOverride {
  readonly stattest?: StatTestName;
  readonly threshold?: number;
  readonly kind?: ColumnKind;
}

export interface DetectDriftOptions {
  /** Columns to compare (default: every column of the current frame, in its order). */
  readonly columns?: readonly string[];
  /** One test for every column instead of Evidently's default choice; it must suit each column's kind. */
  readonly stattest?: StatTestName;
  /** One threshold for every column instead of each test's default. */
  readonly stattestThreshold?: number;
  readonly perColumn?: Readonly<Record<string, ColumnDriftOverride>>;
  /** Dataset drift when the share of drifted columns is at least this (default 0.5, Evidently's). */
  readonly driftShare?: number;
}

/** One column's verdict. Infinity (a chi-square statistic for a category the reference lacks) is `null` in JSON. */
export interface ColumnDriftResult {
  readonly column: string;
  readonly kind: ColumnKind;
  readonly stattest: StatTestName;
  readonly threshold: number;
  /** The test statistic (KS D, chi-square, z) or, for distance tests, the distance itself. */
  readonly statistic: number;
  /** Present for the p-value tests (ks, chisquare, z, cramer_von_mises) only. */
  readonly pValue?: number;
  readonly drifted: boolean;
  /** Values compared, after dropping missing ones (NaN, ±Infinity, null), as Evidently does. */
  readonly referenceRows: number;
  readonly currentRows: number;
  /** Missing values dropped from each sample. */
  readonly missing: { readonly reference: number; readonly current: number };
}

export interface DriftResult {
  readonly columns: readonly ColumnDriftResult[];
  readonly driftedColumns: number;
  /** driftedColumns / columns.length. */
  readonly share: number;
  /** The driftShare the verdict used. */
  readonly driftShare: number;
  /** share >= driftShare. */
  readonly datasetDrift: boolean;
}
