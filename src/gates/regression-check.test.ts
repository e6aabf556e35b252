import { describe, expect, it } from "vitest";
import type { GateContext, GateSubject } from "./gate-check.js";
import { createRegressionCheck } from "./regression-check.js";

function subject(version: string, metrics: Record<string, number>): GateSubject {
  return { name: "churn", version, runId: `run${version}`, metrics, loadOnnx: async () => undefined };
}

function context(candidate: Record<string, number>, baseline?: Record<string, number>): GateContext {
  return {
    candidate: subject("4", candidate),
    baseline: baseline ? subject("3", baseline) : undefined,
    target: "alias production",
    baseDir: ".",
  };
}

const check = (spec: Record<string, unknown>) => createRegressionCheck({ type: "regression", ...spec }, "gates.yaml checks[1]");

describe("regression check", () => {
  const absolute = check({ metric: "accuracy", max_drop: 0.01, warn_margin: 0.005 });

  it("passes when no version holds the target", async () => {
    const result = await absolute.run(context({ accuracy: 0.5 }));
    expect(result.status).toBe("PASS");
    expect(result.message).toBe("no version holds alias production; nothing to compare");
  });

  it("passes a drop up to the allowance, boundary included, and any improvement", async () => {
    const result = await absolute.run(context({ accuracy: 0.9 }, { accuracy: 0.91 }));
    expect(result).toMatchObject({ status: "PASS", threshold: "drop <= 0.01 (baseline v3: 0.91)" });
    expect(result.actual).toBeCloseTo(0.01, 12);
    expect((await absolute.run(context({ accuracy: 0.95 }, { accuracy: 0.91 }))).status).toBe("PASS");
  });

  it("warns within the margin and fails beyond it", async () => {
    expect((await absolute.run(context({ accuracy: 0.895 }, { accuracy: 0.91 }))).status).toBe("WARN");
    const failed = await absolute.run(context({ accuracy: 0.894 }, { accuracy: 0.91 }));
    expect(failed.status).toBe("FAIL");
    expect(failed.actual).toBeCloseTo(0.016, 12);
    expect(failed.message).toContain("accuracy 0.91 (v3) → 0.894");
  });

  it("treats a rise as the drop when lower is better", async () => {
    const loss = check({ metric: "log_loss", max_drop: 0.02, higher_is_better: false });
    expect((await loss.run(context({ log_loss: 0.1 }, { log_loss: 0.3 }))).status).toBe("PASS");
    const worse = await loss.run(context({ log_loss: 0.33 }, { log_loss: 0.3 }));
    expect(worse.status).toBe("FAIL");
    expect(worse.threshold).toBe("rise <= 0.02 (baseline v3: 0.3)");
  });

  it("measures max_drop_pct relative to the baseline, in percent", async () => {
    const pct = check({ metric: "accuracy", max_drop_pct: 2, warn_margin: 1 });
    const ok = await pct.run(context({ accuracy: 0.784 }, { accuracy: 0.8 }));
    expect(ok.status).toBe("PASS");
    expect(ok.actual).toBeCloseTo(2, 9);
    expect(ok.threshold).toBe("drop <= 2% (baseline v3: 0.8)");
    expect((await pct.run(context({ accuracy: 0.78 }, { accuracy: 0.8 }))).status).toBe("WARN");
    expect((await pct.run(context({ accuracy: 0.77 }, { accuracy: 0.8 }))).status).toBe("FAIL");
  });

  it("warns when the baseline lacks the metric and fails when the candidate does", async () => {
    const noBase = await absolute.run(context({ accuracy: 0.9 }, { auc: 0.8 }));
    expect(noBase.status).toBe("WARN");
    expect(noBase.message).toContain("baseline v3 (run run3) has no metric 'accuracy'");
    const noCandidate = await absolute.run(context({ auc: 0.9 }, { accuracy: 0.8 }));
    expect(noCandidate.status).toBe("FAIL");
    expect(noCandidate.message).toContain("run run4 has no metric 'accuracy'");
  });
});

describe("regression check messages", () => {
  it("shows the change and the allowance without float noise", async () => {
    const check = createRegressionCheck({ type: "regression", metric: "accuracy", max_drop: 0.01 }, "g.yaml checks[0]");
    const result = await check.run(context({ accuracy: 0.84 }, { accuracy: 0.86 }));
    expect(result.actual).toBe(0.02);
    expect(result.message).toBe("accuracy 0.86 (v3) → 0.84: drop of 0.02 exceeds the allowed 0.01");
  });
});
