import { describe, expect, it } from "vitest";
import type { GateContext, GateSubject } from "./gate-check.js";
import { createMetricThresholdCheck } from "./metric-threshold-check.js";

function context(metrics: Record<string, number>): GateContext {
  const candidate: GateSubject = { name: "churn", version: "4", runId: "r123", metrics, loadOnnx: async () => undefined };
  return { candidate, target: "alias production", baseDir: "." };
}

const check = (spec: Record<string, unknown>) => createMetricThresholdCheck({ type: "metric", ...spec }, "gates.yaml checks[0]");

describe("metric threshold check", () => {
  const min = check({ metric: "accuracy", min: 0.85, warn_margin: 0.02 });

  it("passes at and above the minimum", async () => {
    expect((await min.run(context({ accuracy: 0.85 }))).status).toBe("PASS");
    const result = await min.run(context({ accuracy: 0.9 }));
    expect(result).toMatchObject({ check: "metric:accuracy", type: "metric", status: "PASS", actual: 0.9, threshold: ">= 0.85" });
  });

  it("warns when it misses by at most the margin, boundary included", async () => {
    const result = await min.run(context({ accuracy: 0.83 }));
    expect(result.status).toBe("WARN");
    expect(result.message).toBe("accuracy 0.83 is below the minimum 0.85 (within the 0.02 margin)");
  });

  it("fails beyond the margin", async () => {
    const result = await min.run(context({ accuracy: 0.8299 }));
    expect(result.status).toBe("FAIL");
    expect(result.message).toContain("below the minimum 0.85 by 0.0201");
  });

  it("fails any miss when there is no margin", async () => {
    const strict = check({ metric: "accuracy", min: 0.85 });
    expect((await strict.run(context({ accuracy: 0.8499 }))).status).toBe("FAIL");
  });

  it("checks a maximum, and both bounds together", async () => {
    const loss = check({ metric: "log_loss", max: 0.3, warn_margin: 0.05 });
    expect((await loss.run(context({ log_loss: 0.3 }))).status).toBe("PASS");
    const warned = await loss.run(context({ log_loss: 0.35 }));
    expect(warned.status).toBe("WARN");
    expect(warned.message).toContain("above the maximum 0.3");
    expect((await loss.run(context({ log_loss: 0.36 }))).status).toBe("FAIL");
    const band = check({ metric: "rate", min: 0.1, max: 0.2 });
    expect((await band.run(context({ rate: 0.15 }))).threshold).toBe(">= 0.1 and <= 0.2");
    expect((await band.run(context({ rate: 0.25 }))).status).toBe("FAIL");
    expect((await band.run(context({ rate: 0.05 }))).status).toBe("FAIL");
  });

  it("fails a missing metric naming the metric and the run", async () => {
    const result = await min.run(context({ auc: 0.9 }));
    expect(result.status).toBe("FAIL");
    expect(result.actual).toBeNull();
    expect(result.message).toBe("run r123 has no metric 'accuracy' (it has auc)");
    const inherited = await check({ metric: "constructor", min: 0 }).run(context({}));
    expect(inherited.message).toBe("run r123 has no metric 'constructor' (it logged no metrics)");
  });

  it("fails NaN", async () => {
    const result = await min.run(context({ accuracy: NaN }));
    expect(result.status).toBe("FAIL");
    expect(result.message).toContain("NaN");
  });
});
