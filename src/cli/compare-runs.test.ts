import { describe, expect, it } from "vitest";
import type { Run } from "../client/wire-types.js";
import { compareRuns, runLabels } from "./compare-runs.js";

function run(id: string, name: string, params: Record<string, string>, metrics: Record<string, number>): Run {
  return {
    info: { run_id: id, run_name: name, experiment_id: "1", status: "FINISHED", artifact_uri: "", lifecycle_stage: "active" },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
    },
  };
}

describe("compareRuns", () => {
  const a = run("aaaaaaaa1111", "rf", { depth: "8", seed: "1" }, { auc: 0.9, loss: NaN });
  const b = run("bbbbbbbb2222", "gbm", { depth: "8", lr: "0.1" }, { auc: 0.93, loss: NaN });

  it("lines up params and metrics by key and flags rows whose values differ", () => {
    const c = compareRuns([a, b]);
    expect(c.params).toEqual([
      { key: "depth", values: ["8", "8"], differs: false },
      { key: "lr", values: [null, "0.1"], differs: true },
      { key: "seed", values: ["1", null], differs: true },
    ]);
    expect(c.metrics.find((m) => m.key === "auc")?.differs).toBe(true);
    expect(c.metrics.find((m) => m.key === "loss")?.differs).toBe(false);
  });

  it("labels runs by name, adding a short id when names repeat", () => {
    expect(runLabels(compareRuns([a, b]).runs)).toEqual(["rf", "gbm"]);
    const twin = run("cccccccc3333", "rf", {}, {});
    expect(runLabels(compareRuns([a, twin]).runs)).toEqual(["rf (aaaaaaaa)", "rf (cccccccc)"]);
  });
});
