/** The outcome of one check: WARN lets the version through but is shown to the person promoting it. */
export type CheckStatus = "PASS" | "WARN" | "FAIL";

export interface CheckResult {
  /** Identifies the check in reports, e.g. "metric:accuracy", "regression:log_loss", "latency", "signature". */
  readonly check: string;
  /** The policy's `type` of the check: metric, regression, latency, signature, ... */
  readonly type: string;
  readonly status: CheckStatus;
  /** What was measured (a number, or a short text such as "p50 1.2 ms, p99 3.4 ms"); null when nothing was. */
  readonly actual: number | string | null;
  /** The limit in human form, such as ">= 0.85"; null when the check has none. */
  readonly threshold: string | null;
  readonly message: string;
}

export type GateVerdict = "APPROVED" | "REJECTED";

export interface GateReport {
  readonly model: string;
  readonly version: string;
  /** The promotion target in human form: "alias production" or "stage Production". */
  readonly target: string;
  /** APPROVED iff no check FAILed. */
  readonly verdict: GateVerdict;
  /** One result per policy check, in policy order. */
  readonly checks: readonly CheckResult[];
  /** ISO 8601 UTC time the evaluation started. */
  readonly evaluatedAt: string;
  /** Wall-clock milliseconds the whole evaluation took. */
  readonly durationMs: number;
}
