import { nowMs } from "../core/time.js";
import type { GateContext } from "./gate-check.js";
import type { GatePolicy } from "./policy.js";
import type { CheckResult, GateReport } from "./types.js";

export interface EvaluateGatesOptions {
  readonly model: string;
  readonly version: string;
  /** The promotion target in human form, as in GateContext: "alias production" or "stage Production". */
  readonly target: string;
  /** Clock in UTC epoch milliseconds; injectable so tests get a fixed evaluatedAt. */
  readonly now?: () => number;
}

/**
 * Runs the policy's checks in order, one at a time (latency timing must not compete with other checks).
 * A check that throws becomes a FAIL result carrying the error message; the evaluation itself never rejects.
 * @example const report = await evaluateGates(policy, ctx, { model: "churn", version: "4", target: "alias production" });
 */
export async function evaluateGates(policy: GatePolicy, ctx: GateContext, options: EvaluateGatesOptions): Promise<GateReport> {
  const now = options.now ?? nowMs;
  const started = now();
  const checks: CheckResult[] = [];
  for (const check of policy.checks) {
    try {
      checks.push(await check.run(ctx));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      checks.push({
        check: check.name,
        type: check.type,
        status: "FAIL",
        actual: null,
        threshold: null,
        message: `the check could not run: ${reason}`,
      });
    }
  }
  return {
    model: options.model,
    version: options.version,
    target: options.target,
    verdict: checks.some((c) => c.status === "FAIL") ? "REJECTED" : "APPROVED",
    checks,
    evaluatedAt: new Date(started).toISOString(),
    durationMs: Math.max(0, now() - started),
  };
}
