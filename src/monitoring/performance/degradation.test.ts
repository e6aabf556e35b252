import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { degradation } from "./degradation.js";

describe("degradation", () => {
  it("flags a metric worse than its reference by more than the relative tolerance, by its direction", () => {
    const result = degradation({ accuracy: 0.9, log_loss: 0.3, rmse: 2, r2: 0.8 }, { accuracy: 0.8, log_loss: 0.31, rmse: 2.5, r2: 0.9 }, 0.05);
    expect(result).toEqual([
      { metric: "accuracy", reference: 0.9, current: 0.8, change: 0.8 - 0.9, relativeChange: (0.8 - 0.9) / 0.9, direction: "higher_is_better", degraded: true },
      { metric: "log_loss", reference: 0.3, current: 0.31, change: 0.31 - 0.3, relativeChange: (0.31 - 0.3) / 0.3, direction: "lower_is_better", degraded: false },
      { metric: "rmse", reference: 2, current: 2.5, change: 0.5, relativeChange: 0.25, direction: "lower_is_better", degraded: true },
      { metric: "r2", reference: 0.8, current: 0.9, change: 0.9 - 0.8, relativeChange: (0.9 - 0.8) / 0.8, direction: "higher_is_better", degraded: false },
    ]);
  });

  it("tolerates a worsening of exactly the tolerance, and not a hair more", () => {
    expect(degradation({ rmse: 2 }, { rmse: 2.1 }, 0.05)[0].degraded).toBe(false);
    expect(degradation({ accuracy: 0.9 }, { accuracy: 0.855 }, 0.05)[0].degraded).toBe(false);
    expect(degradation({ accuracy: 0.9 }, { accuracy: 0.854 }, 0.05)[0].degraded).toBe(true);
    expect(degradation({ rmse: 4 }, { rmse: 4.3 })[0].degraded).toBe(true);
    expect(degradation({ rmse: 4 }, { rmse: 4.3 }, 0.1)[0].degraded).toBe(false);
  });

  it("uses |reference| so a negative r2 reference still degrades downwards", () => {
    expect(degradation({ r2: -0.5 }, { r2: -0.6 }, 0.1)[0]).toMatchObject({ relativeChange: expect.closeTo(-0.2, 12), degraded: true });
    expect(degradation({ r2: -0.5 }, { r2: -0.4 }, 0.1)[0].degraded).toBe(false);
  });

  it("counts any worsening against a reference of 0, with no relative change", () => {
    expect(degradation({ mae: 0 }, { mae: 0.1 })[0]).toMatchObject({ relativeChange: null, degraded: true });
    expect(degradation({ mae: 0 }, { mae: 0 })[0]).toMatchObject({ relativeChange: 0, degraded: false });
  });

  it("compares only metrics present and finite on both sides with a known direction", () => {
    const result = degradation({ accuracy: 0.9, training_time: 12, f1: NaN, roc_auc: 0.8 }, { accuracy: 0.9, training_time: 50, f1: 0.5, precision: 0.1 });
    expect(result.map((c) => c.metric)).toEqual(["accuracy"]);
    expect(degradation({}, { accuracy: 0.1 })).toEqual([]);
  });

  it("refuses a negative or non-finite tolerance", () => {
    for (const tolerance of [-0.1, NaN, Infinity]) {
      expect(() => degradation({ accuracy: 1 }, { accuracy: 1 }, tolerance)).toThrowError(KeelError);
    }
    expect(() => degradation({ accuracy: 1 }, { accuracy: 1 }, -1)).toThrowError(/0\.05 = 5%/);
  });
});
