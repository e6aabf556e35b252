import { describe, expect, it } from "vitest";
import { formatGateReportTable, gateReportJson, gateReportSummaryTag, MAX_TAG_VALUE_LENGTH } from "./report-format.js";
import type { CheckResult, GateReport } from "./types.js";

const checks: CheckResult[] = [
  { check: "metric:accuracy", type: "metric", status: "PASS", actual: 0.91, threshold: ">= 0.85", message: "accuracy 0.91 meets >= 0.85" },
  {
    check: "regression:accuracy",
    type: "regression",
    status: "WARN",
    actual: 0.012000000000000011,
    threshold: "drop <= 0.01 (baseline v3: 0.922)",
    message: "accuracy 0.922 (v3) → 0.91: drop of 0.012 exceeds drop <= 0.01 (within the 0.005 margin)",
  },
  { check: "latency", type: "latency", status: "FAIL", actual: "p50 1.2 ms, p99 34 ms", threshold: "p99 <= 20 ms", message: "p99 34 ms exceeds 20 ms" },
  { check: "signature", type: "signature", status: "PASS", actual: null, threshold: null, message: "no version holds alias production;\nnothing to compare" },
];

const report: GateReport = {
  model: "churn",
  version: "4",
  target: "alias production",
  verdict: "REJECTED",
  checks,
  evaluatedAt: "2024-05-01T12:00:00.000Z",
  durationMs: 812,
};

describe("formatGateReportTable", () => {
  const lines = formatGateReportTable(report).trimEnd().split("\n");

  it("prints a header, one line per check and the verdict line", () => {
    expect(lines).toHaveLength(1 + checks.length + 1);
    expect(lines[0].split(/\s{2,}/)).toEqual(["CHECK", "STATUS", "ACTUAL", "THRESHOLD", "MESSAGE"]);
    expect(lines.at(-1)).toBe("REJECTED: 1 FAIL, 1 WARN, 2 PASS (model churn version 4 → alias production)");
  });

  it("aligns the columns and shows numbers without float noise", () => {
    const statusAt = lines[0].indexOf("STATUS");
    const thresholdAt = lines[0].indexOf("THRESHOLD");
    for (const line of lines.slice(1, -1)) {
      expect(line.slice(statusAt)).toMatch(/^(PASS|WARN|FAIL)/);
      expect(line[thresholdAt - 1]).toBe(" ");
    }
    expect(lines[2]).toContain("  0.012  ");
    expect(lines[4]).toMatch(/^signature\s+PASS\s+-\s+-\s+no version holds alias production; nothing to compare$/);
  });
});

describe("gateReportJson", () => {
  it("round-trips the report", () => {
    expect(JSON.parse(gateReportJson(report))).toEqual(report);
  });
});

describe("gateReportSummaryTag", () => {
  it("holds the verdict and each check's status and actual", () => {
    const tag = JSON.parse(gateReportSummaryTag(report));
    expect(tag.verdict).toBe("REJECTED");
    expect(tag.checks[2]).toEqual({ check: "latency", status: "FAIL", actual: "p50 1.2 ms, p99 34 ms", message: "p99 34 ms exceeds 20 ms" });
  });

  it("stays within MLflow's 5000-character tag limit by cutting messages", () => {
    const huge: GateReport = { ...report, checks: checks.map((c) => ({ ...c, message: `"${"x".repeat(20_000)}"` })) };
    const text = gateReportSummaryTag(huge);
    expect(text.length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
    expect(text.length).toBeGreaterThan(MAX_TAG_VALUE_LENGTH - 50);
    const tag = JSON.parse(text);
    expect(tag.checks.map((c: { status: string }) => c.status)).toEqual(["PASS", "WARN", "FAIL", "PASS"]);
    expect(tag.checks[2].actual).toBe("p50 1.2 ms, p99 34 ms");
    expect(tag.checks[0].message).toMatch(/^"x+…$/);
  });

  it("cuts long actuals and leaves out checks when even that is not enough", () => {
    const many: GateReport = {
      ...report,
      checks: Array.from({ length: 400 }, (_, i) => ({ ...checks[2], check: `check-${i}`, actual: "y".repeat(5000) })),
    };
    const text = gateReportSummaryTag(many);
    expect(text.length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
    const tag = JSON.parse(text);
    expect(tag.checks.length).toBeGreaterThan(0);
    expect(tag.checks.length + tag.omitted).toBe(400);
  });
});
