import { describe, expect, it } from "vitest";
import { evaluateGates } from "./evaluate-gates.js";
import type { GateCheck, GateContext } from "./gate-check.js";
import { parseGatePolicy } from "./policy.js";
import type { CheckStatus } from "./types.js";

const ctx: GateContext = {
  candidate: { name: "churn", version: "4", metrics: { accuracy: 0.9 }, loadOnnx: async () => undefined },
  target: "alias production",
  baseDir: ".",
};

const options = { model: "churn", version: "4", target: "alias production", now: () => Date.UTC(2024, 4, 1, 12) };

function fixed(name: string, status: CheckStatus): GateCheck {
  return {
    name,
    type: "test",
    run: async () => ({ check: name, type: "test", status, actual: null, threshold: null, message: status }),
  };
}

describe("evaluateGates", () => {
  it("runs the checks in order and approves when none fails", async () => {
    const policy = parseGatePolicy("checks:\n  - type: metric\n    metric: accuracy\n    min: 0.85\n  - type: signature\n", "g.yaml");
    const report = await evaluateGates(policy, ctx, options);
    expect(report).toMatchObject({
      model: "churn",
      version: "4",
      target: "alias production",
      verdict: "APPROVED",
      evaluatedAt: "2024-05-01T12:00:00.000Z",
      durationMs: 0,
    });
    expect(report.checks.map((c) => [c.check, c.status])).toEqual([
      ["metric:accuracy", "PASS"],
      ["signature", "PASS"],
    ]);
  });

  it("approves with warnings and rejects on any failure", async () => {
    const warned = await evaluateGates({ checks: [fixed("a", "PASS"), fixed("b", "WARN")] }, ctx, options);
    expect(warned.verdict).toBe("APPROVED");
    const failed = await evaluateGates({ checks: [fixed("a", "FAIL"), fixed("b", "PASS")] }, ctx, options);
    expect(failed.verdict).toBe("REJECTED");
    expect(failed.checks).toHaveLength(2);
  });

  it("turns a throwing check into a FAIL and still runs the rest", async () => {
    const broken: GateCheck = {
      name: "drift:age",
      type: "drift",
      run: async () => {
        throw new Error("reference data unreadable");
      },
    };
    const report = await evaluateGates({ checks: [broken, fixed("after", "PASS")] }, ctx, options);
    expect(report.verdict).toBe("REJECTED");
    expect(report.checks[0]).toEqual({
      check: "drift:age",
      type: "drift",
      status: "FAIL",
      actual: null,
      threshold: null,
      message: "the check could not run: reference data unreadable",
    });
    expect(report.checks[1].status).toBe("PASS");
  });

  it("measures duration with the clock it is given", async () => {
    let t = 1000;
    const report = await evaluateGates({ checks: [fixed("a", "PASS")] }, ctx, { ...options, now: () => (t += 250) });
    expect(report.durationMs).toBe(250);
    expect(report.evaluatedAt).toBe(new Date(1250).toISOString());
  });
});
