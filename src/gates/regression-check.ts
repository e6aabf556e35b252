import { readCheckSpec } from "./check-spec.js";
import { atMost, formatNumber } from "./format-number.js";
import type { GateCheck, GateCheckFactory } from "./gate-check.js";
import { availableMetrics, describeRun, metricValue } from "./metric-threshold-check.js";
import type { CheckResult } from "./types.js";

const KEYS = {
  metric: "accuracy",
  max_drop: "0.01",
  max_drop_pct: "2",
  higher_is_better: "true",
  warn_margin: "0.005",
};

/**
 * Policy `type: regression`: the candidate's metric may be worse than the baseline's (the version holding the
 * target now) by at most `max_drop` (absolute) or `max_drop_pct` (percent of the baseline value).
 * `warn_margin` is in the same unit as the allowance: absolute for max_drop, percentage points for max_drop_pct.
 */
export const createRegressionCheck: GateCheckFactory = (raw, where) => {
  const spec = readCheckSpec(raw, where, "regression", KEYS);
  const metric = spec.string("metric") ?? spec.missing("metric");
  const maxDrop = spec.number("max_drop", { min: 0 });
  const maxDropPct = spec.number("max_drop_pct", { min: 0 });
  const higherIsBetter = spec.boolean("higher_is_better") ?? true;
  const margin = spec.number("warn_margin", { min: 0 }) ?? 0;
  if (maxDrop === undefined && maxDropPct === undefined) {
    spec.missing("max_drop", "or write `max_drop_pct: 2` for a drop relative to the baseline, in percent");
  }
  if (maxDrop !== undefined && maxDropPct !== undefined) {
    spec.refuse("write either 'max_drop' (absolute) or 'max_drop_pct' (percent), not both");
  }
  const relative = maxDropPct !== undefined;
  const allowed = relative ? maxDropPct : (maxDrop ?? 0);
  const unit = relative ? "%" : "";
  const word = higherIsBetter ? "drop" : "rise";
  const limit = `${word} <= ${formatNumber(allowed)}${unit}`;
  const allowance = `the allowed ${formatNumber(allowed)}${unit}`;
  const name = `regression:${metric}`;

  const check: GateCheck = {
    name,
    type: "regression",
    async run(ctx): Promise<CheckResult> {
      const { candidate, baseline } = ctx;
      const base = { check: name, type: "regression" };
      if (!baseline) {
        const message = `no version holds ${ctx.target}; nothing to compare`;
        return { ...base, status: "PASS", actual: null, threshold: limit, message };
      }
      const before = metricValue(baseline, metric);
      const threshold = `${limit} (baseline v${baseline.version}: ${before === undefined ? "none" : formatNumber(before)})`;
      const after = metricValue(candidate, metric);
      if (after === undefined || Number.isNaN(after)) {
        const problem = after === undefined ? `has no metric '${metric}' (${availableMetrics(candidate)})` : `has ${metric} NaN`;
        return { ...base, status: "FAIL", actual: null, threshold, message: `${describeRun(candidate)} ${problem}` };
      }
      if (before === undefined || Number.isNaN(before)) {
        const problem = before === undefined ? `has no metric '${metric}'` : `has ${metric} NaN`;
        const message = `baseline v${baseline.version} (${describeRun(baseline)}) ${problem}; nothing to compare against`;
        return { ...base, status: "WARN", actual: null, threshold, message };
      }
      const drop = higherIsBetter ? before - after : after - before;
      const measured = relative ? relativeDrop(drop, before) : drop;
      const change = `${metric} ${formatNumber(before)} (v${baseline.version}) → ${formatNumber(after)}`;
      const amount = `${formatNumber(measured)}${unit}`;
      // Rounded to 12 digits so reports show 0.02, not 0.020000000000000018; a non-finite relative drop
      // (from a baseline of 0) has no JSON form, so it is null.
      const actual = Number.isFinite(measured) ? Number(measured.toPrecision(12)) : null;
      if (atMost(measured, allowed)) {
        const message = drop > 0 ? `${change}: ${word} of ${amount} is within ${allowance}` : `${change}: no ${word}`;
        return { ...base, status: "PASS", actual, threshold, message };
      }
      if (margin > 0 && atMost(measured, allowed + margin)) {
        const message = `${change}: ${word} of ${amount} exceeds ${allowance} (within the ${formatNumber(margin)}${unit} margin)`;
        return { ...base, status: "WARN", actual, threshold, message };
      }
      const beyond = margin > 0 ? `, beyond the ${formatNumber(margin)}${unit} margin` : "";
      return { ...base, status: "FAIL", actual, threshold, message: `${change}: ${word} of ${amount} exceeds ${allowance}${beyond}` };
    },
  };
  return check;
};

/** The drop in percent of the baseline; from a baseline of 0, any worsening is an infinite relative drop. */
function relativeDrop(drop: number, baseline: number): number {
  if (baseline === 0) return drop > 0 ? Infinity : drop < 0 ? -Infinity : 0;
  return (drop / Math.abs(baseline)) * 100;
}
