/** Entities of scheduled monitors: what a monitor checks, how it alerts, and what one run of it found. */
import type { StatTestName } from "../drift/index.js";

/** Where an alert goes when a monitor run does not pass. */
export type AlertSpec =
  | {
      readonly type: "webhook";
      readonly url: string;
      /** Further attempts after the first failed one (default 3), with doubling delays from `retryDelayMs` (default 500). */
      readonly retries: number;
      readonly retryDelayMs: number;
      readonly timeoutMs: number;
      readonly headers: Readonly<Record<string, string>>;
    }
  | { readonly type: "log" }
  | {
      readonly type: "command";
      /** Run by the shell with the run's JSON on stdin and KEEL_MONITOR_* variables in its environment. */
      readonly command: string;
      readonly timeoutMs: number;
    };

export interface DriftCheckSpec {
  readonly stattest?: StatTestName;
  readonly threshold?: number;
  readonly perColumn: Readonly<Record<string, { readonly stattest?: StatTestName; readonly threshold?: number }>>;
  readonly driftShare?: number;
}

export interface QualityCheckSpec {
  readonly maxMissingShareIncrease?: number;
  readonly maxNewCategoryShare?: number;
  readonly maxOutOfRangeShare?: number;
}

export interface PerformanceCheckSpec {
  readonly task: "classification" | "regression";
  /** Relative worsening of a metric, vs the reference, that counts as degraded (default 0.05). */
  readonly tolerance: number;
  /** Width of the windows metrics are also given for, milliseconds (default one hour). */
  readonly windowMs: number;
  /** Reference metrics; default: the metrics of the registered model version's training run. */
  readonly referenceMetrics?: Readonly<Record<string, number>>;
  /** Labelled rows needed before performance is judged (default 30). */
  readonly minLabelledRows: number;
}

export interface MonitorSpec {
  readonly name: string;
  /** The name predictions are logged under (the served model's name). */
  readonly model: string;
  /** The prediction log's root directory (default `./keel-data`, `keel serve`'s default). */
  readonly predictionLog: string;
  /** Only this version's predictions (default: all). */
  readonly version?: string;
  /**
   * The reference table (CSV or Parquet); default: the dataset logged as input of the training run of the
   * registered model version that answered most predictions in the window.
   */
  readonly reference?: string;
  /** The registered model whose versions' runs give the reference and its metrics (default: `model`). */
  readonly registeredModel: string;
  /** The reference table's target column, compared with the predicted label (prediction drift). */
  readonly target?: string;
  /** How far back from the run's time the window reaches, milliseconds. */
  readonly windowMs: number;
  /** Cron expression for `keel server --monitors` (none: run on demand only). */
  readonly schedule?: string;
  /** The input columns compared (default: every logged input the reference also has). */
  readonly columns?: readonly string[];
  /** Predictions needed in the window (default 1); fewer makes the run an error, not a pass. */
  readonly minRows: number;
  readonly drift: DriftCheckSpec;
  /** Null when data quality is not checked. */
  readonly quality: QualityCheckSpec | null;
  /** Null when performance is not checked. */
  readonly performance: PerformanceCheckSpec | null;
  readonly alerts: readonly AlertSpec[];
  /** Started when a run fails, e.g. `keel train ...`; its outcome is stored with the run. */
  readonly retrain?: { readonly command: string; readonly timeoutMs: number };
}

/** `ok`: every check passed; `alert`: a check failed; `error`: the monitor could not be computed. */
export type MonitorStatus = "ok" | "alert" | "error";

/** What an alert or the retraining command did. */
export interface ActionOutcome {
  readonly action: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly attempts?: number;
  readonly exitCode?: number | null;
  readonly durationMs?: number;
}

/** One stored monitor run. `result` holds the full JSON of the checks (drift, quality, performance, prediction drift). */
export interface MonitorRun {
  readonly id: number;
  readonly monitor: string;
  readonly model: string;
  /** UTC milliseconds. */
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly status: MonitorStatus;
  /** Why the run did not pass, one line per failed check (empty when ok). */
  readonly reasons: readonly string[];
  readonly rows: number;
  readonly driftShare: number | null;
  readonly datasetDrift: boolean | null;
  readonly result: Readonly<Record<string, unknown>>;
  readonly actions: readonly ActionOutcome[];
}

export type NewMonitorRun = Omit<MonitorRun, "id" | "actions">;
