import { readCheckSpec } from "./check-spec.js";
import { atMost, formatNumber } from "./format-number.js";
import type { GateCheck, GateCheckFactory, GateSubject } from "./gate-check.js";
import type { CheckResult } from "./types.js";

const KEYS = { metric: "accuracy", min: "0.85", max: "0.2", warn_margin: "0.02" };

/** How a subject's run is named in messages: by run id when known. */
export function describeRun(subject: GateSubject): string {
  return subject.runId ? `run ${subject.runId}` : `the run of ${subject.name} version ${subject.version}`;
}

/** A hint listing the metrics a run does have, since a missing metric is most often a typo. */
export function availableMetrics(subject: GateSubject): string {
  const names = Object.keys(subject.metrics).sort();
  if (names.length === 0) return "it logged no metrics";
  const shown = names.slice(0, 10).join(", ");
  return `it has ${shown}${names.length > 10 ? `, … (${names.length} in all)` : ""}`;
}

/** A subject's metric value; own keys only, so a metric named like an Object method is simply missing. */
export function metricValue(subject: GateSubject, metric: string): number | undefined {
  return Object.hasOwn(subject.metrics, metric) ? subject.metrics[metric] : undefined;
}

/** Policy `type: metric`: the candidate run's metric must lie within `min` and/or `max`. */
export const createMetricThresholdCheck: GateCheckFactory = (raw, where) => {
  const spec = readCheckSpec(raw, where, "metric", KEYS);
  const metric = spec.string("metric") ?? spec.missing("metric");
  const min = spec.number("min");
  const max = spec.number("max");
  const margin = spec.number("warn_margin", { min: 0 }) ?? 0;
  if (min === undefined && max === undefined) {
    spec.refuse(`a metric check needs \`min:\` and/or \`max:\` (e.g. \`min: 0.85\` for accuracy, \`max: 0.3\` for a loss)`);
  }
  if (min !== undefined && max !== undefined && min > max) {
    spec.refuse(`'min' (${min}) is greater than 'max' (${max}); no value can pass`);
  }
  const bounds = [min === undefined ? "" : `>= ${formatNumber(min)}`, max === undefined ? "" : `<= ${formatNumber(max)}`];
  const threshold = bounds.filter((b) => b !== "").join(" and ");
  const name = `metric:${metric}`;

  const check: GateCheck = {
    name,
    type: "metric",
    async run(ctx): Promise<CheckResult> {
      const base = { check: name, type: "metric", threshold };
      const actual = metricValue(ctx.candidate, metric);
      if (actual === undefined) {
        const message = `${describeRun(ctx.candidate)} has no metric '${metric}' (${availableMetrics(ctx.candidate)})`;
        return { ...base, status: "FAIL", actual: null, message };
      }
      if (Number.isNaN(actual)) {
        return { ...base, status: "FAIL", actual: null, message: `${metric} is NaN in ${describeRun(ctx.candidate)}` };
      }
      const shown = `${metric} ${formatNumber(actual)}`;
      let miss = 0;
      let side = "";
      if (min !== undefined && actual < min) {
        miss = min - actual;
        side = `below the minimum ${formatNumber(min)}`;
      } else if (max !== undefined && actual > max) {
        miss = actual - max;
        side = `above the maximum ${formatNumber(max)}`;
      }
      if (atMost(miss, 0)) return { ...base, status: "PASS", actual, message: `${shown} meets ${threshold}` };
      if (margin > 0 && atMost(miss, margin)) {
        return { ...base, status: "WARN", actual, message: `${shown} is ${side} (within the ${formatNumber(margin)} margin)` };
      }
      const beyond = margin > 0 ? `, beyond the ${formatNumber(margin)} margin` : "";
      return { ...base, status: "FAIL", actual, message: `${shown} is ${side} by ${formatNumber(miss)}${beyond}` };
    },
  };
  return check;
};
