import { formatNumber } from "./format-number.js";
import type { CheckResult, CheckStatus, GateReport } from "./types.js";

/** MLflow's limit on a model-version tag value, in characters. */
export const MAX_TAG_VALUE_LENGTH = 5000;

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

function actualText(actual: CheckResult["actual"]): string {
  if (actual === null) return "-";
  return typeof actual === "number" ? formatNumber(actual) : oneLine(actual);
}

function count(report: GateReport, status: CheckStatus): number {
  return report.checks.filter((c) => c.status === status).length;
}

/** The report's last line, e.g. "REJECTED: 1 FAIL, 1 WARN, 2 PASS (model churn version 4 → alias production)". */
export function gateReportVerdictLine(report: GateReport): string {
  const counts = `${count(report, "FAIL")} FAIL, ${count(report, "WARN")} WARN, ${count(report, "PASS")} PASS`;
  return `${report.verdict}: ${counts} (model ${report.model} version ${report.version} → ${report.target})`;
}

/**
 * An aligned text table, one line per check (CHECK, STATUS, ACTUAL, THRESHOLD, MESSAGE), then the verdict line.
 * The message column is last and not padded, so long messages do not widen the table.
 */
export function formatGateReportTable(report: GateReport): string {
  const header = ["CHECK", "STATUS", "ACTUAL", "THRESHOLD", "MESSAGE"];
  const rows = report.checks.map((c) => [
    oneLine(c.check),
    c.status,
    actualText(c.actual),
    c.threshold === null ? "-" : oneLine(c.threshold),
    oneLine(c.message),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), ...rows.map(line), gateReportVerdictLine(report)].join("\n") + "\n";
}

/** The whole report as pretty JSON, for `--output json` and for storing beside the model version. */
export function gateReportJson(report: GateReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

interface TagCheck {
  check: string;
  status: CheckStatus;
  actual: number | string | null;
  message: string;
}

function clip(text: string, limit: number): string {
  const chars = Array.from(text);
  if (chars.length <= limit) return text;
  return limit <= 0 ? "" : chars.slice(0, limit - 1).join("") + "…";
}

function tagJson(verdict: string, checks: readonly TagCheck[], omitted: number): string {
  return JSON.stringify(omitted > 0 ? { verdict, checks, omitted } : { verdict, checks });
}

/** The largest limit in [0, high] for which `fits(limit)` holds, assuming fits is monotonic; -1 if none. */
function largestFitting(high: number, fits: (limit: number) => boolean): number {
  let low = -1;
  while (low < high) {
    const mid = Math.ceil((low + high + 1) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * A compact JSON summary for a model-version tag: `{"verdict", "checks": [{check, status, actual, message}]}`,
 * at most MAX_TAG_VALUE_LENGTH characters. When too long, messages are cut to a common length (ending in "…");
 * if even empty messages do not fit, text actuals are cut too and the last checks are left out, counted in `omitted`.
 */
export function gateReportSummaryTag(report: GateReport): string {
  const all: TagCheck[] = report.checks.map((c) => ({ check: c.check, status: c.status, actual: c.actual, message: c.message }));
  const json = (kept: number, messageLimit: number, actualLimit: number): string =>
    tagJson(
      report.verdict,
      all.slice(0, kept).map((c) => ({
        ...c,
        actual: typeof c.actual === "string" ? clip(c.actual, actualLimit) : c.actual,
        message: clip(c.message, messageLimit),
      })),
      all.length - kept,
    );
  const fits = (text: string): boolean => text.length <= MAX_TAG_VALUE_LENGTH;
  const longest = (pick: (c: TagCheck) => string): number => Math.max(0, ...all.map((c) => Array.from(pick(c)).length));
  const maxMessage = longest((c) => c.message);
  const maxActual = longest((c) => (typeof c.actual === "string" ? c.actual : ""));
  if (fits(json(all.length, maxMessage, maxActual))) return json(all.length, maxMessage, maxActual);
  // Actuals are the data; messages only explain them, so messages give way first.
  if (fits(json(all.length, 0, maxActual))) {
    const messageLimit = largestFitting(maxMessage, (m) => fits(json(all.length, m, maxActual)));
    return json(all.length, messageLimit, maxActual);
  }
  const kept = largestFitting(all.length, (k) => fits(json(k, 0, 0)));
  const actualLimit = largestFitting(maxActual, (a) => fits(json(kept, 0, a)));
  return json(kept, 0, actualLimit);
}
