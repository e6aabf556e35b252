/** Monitor runs as `/ajax-api/2.0/keel/monitors/...` answers them (MonitorRun of src/monitoring/monitors/types.ts). */

export type MonitorStatus = "ok" | "alert" | "error";

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
  readonly reasons: readonly string[];
  readonly rows: number;
  readonly driftShare: number | null;
  readonly datasetDrift: boolean | null;
  readonly result: MonitorResult;
  readonly actions?: readonly { readonly action: string; readonly ok: boolean; readonly detail: string }[];
}

export interface ColumnDrift {
  readonly column: string;
  readonly kind: string;
  readonly stattest: string;
  readonly threshold: number;
  /** null when infinite (a chi-square statistic for a category the reference lacks). */
  readonly statistic: number | null;
  readonly pValue?: number | null;
  readonly drifted: boolean;
}

export interface DriftResult {
  readonly columns: readonly ColumnDrift[];
  readonly driftedColumns: number;
  readonly share: number;
  readonly driftShare: number;
  readonly datasetDrift: boolean;
}

export interface QualityIssue {
  readonly column?: string;
  readonly check: string;
  readonly message: string;
}

export interface MetricComparison {
  readonly metric: string;
  readonly reference: number;
  readonly current: number;
  readonly change: number;
  readonly relativeChange: number | null;
  readonly direction: string;
  readonly degraded: boolean;
}

/** The stored checks; every part may be missing (an errored run stores `{}`). */
export interface MonitorResult {
  readonly reference?: { readonly table: string; readonly runId?: string; readonly version?: string; readonly rows: number };
  readonly drift?: DriftResult;
  readonly predictionDrift?: DriftResult | null;
  readonly quality?: { readonly passed: boolean; readonly issues: readonly QualityIssue[]; readonly rows?: { readonly reference: number; readonly current: number } } | null;
  readonly performance?: {
    readonly overall: Readonly<Record<string, number>>;
    readonly comparison: readonly MetricComparison[];
    readonly degraded: boolean;
    readonly tolerance: number;
    readonly labelledRows?: number;
  } | null;
  readonly performanceSkipped?: string;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

export function percent(share: number | null | undefined): string {
  return share === null || share === undefined ? "—" : `${(share * 100).toFixed(1)}%`;
}

/** A number in at most 4 significant digits; "—" for null (an infinite statistic or a missing p-value). */
export function num(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (value !== 0 && Math.abs(value) < 1e-4) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}
