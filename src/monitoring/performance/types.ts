/** Entities of model performance over time once ground truth has arrived: inputs in, JSON-serializable results out. */

/** Whether a larger value of a metric means a better model. */
export type MetricDirection = "higher_is_better" | "lower_is_better";

/** What every performance computation takes besides the labels and predictions. */
export interface PerformanceOptions {
  /** When each prediction was made, UTC milliseconds since the epoch; one per row, in any order. */
  readonly timestamps: Float64Array;
  /** Window length in milliseconds; windows start at multiples of it from the epoch (3_600_000 = hourly, UTC). */
  readonly windowMs: number;
  /**
   * The model's validation metrics, named as `keel train` logs them (accuracy, f1, roc_auc, log_loss, rmse, …).
   * Metrics without a known direction or absent on either side are not compared.
   */
  readonly referenceMetrics?: Readonly<Record<string, number>>;
  /** Relative worsening tolerated before a metric counts as degraded: 0.05 = 5% of the reference value. */
  readonly tolerance?: number;
  /** Windows with fewer rows than this list their row count with no metrics. Default 1. */
  readonly minWindowRows?: number;
}

export interface ClassificationPerformanceInput extends PerformanceOptions {
  /** True class indices into `classes`, one per row. */
  readonly yTrue: Int32Array;
  /** Predicted probabilities, rows × classes, row-major (predictProba's layout). */
  readonly proba: Float64Array;
  readonly classes: readonly string[];
}

export interface ClassificationLabelsPerformanceInput extends PerformanceOptions {
  /** True class indices into `classes`, one per row. */
  readonly yTrue: Int32Array;
  /** Predicted class indices into `classes`, one per row. */
  readonly yPred: Int32Array;
  readonly classes: readonly string[];
}

export interface RegressionPerformanceInput extends PerformanceOptions {
  readonly yTrue: Float64Array;
  readonly yPred: Float64Array;
}

/** One metric of the current data against the reference. */
export interface MetricComparison {
  readonly metric: string;
  readonly reference: number;
  readonly current: number;
  /** current − reference. */
  readonly change: number;
  /** change / |reference|; null when the reference is 0 and the value changed (0 when it did not). */
  readonly relativeChange: number | null;
  readonly direction: MetricDirection;
  /** Worse than the reference by more than tolerance × |reference|. */
  readonly degraded: boolean;
}

export interface PerformanceWindow {
  /** Inclusive start, UTC milliseconds, a multiple of windowMs. */
  readonly start: number;
  /** Exclusive end: start + windowMs. */
  readonly end: number;
  readonly rows: number;
  /** Metrics defined on this window; undefined ones (roc_auc with one class, r2 of one row) are left out. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Names of this window's metrics that are degraded against the reference (empty without one). */
  readonly degradedMetrics: readonly string[];
}

export interface PerformanceResult {
  /** Metrics over every row; empty when there are none. */
  readonly overall: Readonly<Record<string, number>>;
  readonly rows: number;
  /** Windows holding at least one row, oldest first; empty windows are not listed. */
  readonly windows: readonly PerformanceWindow[];
  /** Overall metrics against referenceMetrics; empty without them. */
  readonly comparison: readonly MetricComparison[];
  /** Any overall metric degraded. */
  readonly degraded: boolean;
  /** The tolerance the verdict used. */
  readonly tolerance: number;
}
