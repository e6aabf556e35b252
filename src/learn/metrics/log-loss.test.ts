import { describe, expect, test } from "vitest";
import { KeelError } from "../../core/errors.js";
import { CLASSIFICATION_CASES, checksOf, expectClose, weightsOf } from "./fixtures/sklearn-fixtures.js";
import { logLoss } from "./log-loss.js";

describe("equals scikit-learn 1.2.1's log_loss(labels=range(k))", () => {
  test.each(checksOf(CLASSIFICATION_CASES, ["log_loss"]))("$label", ({ testCase, check }) => {
    const value = logLoss(Int32Array.from(testCase.yTrue), Float64Array.from(testCase.proba), testCase.classCount, {
      ...(check.options as { eps?: number }),
      sampleWeight: weightsOf(testCase),
    });
    expectClose(value, check.value as number, "log loss");
  });
});

describe("logLoss", () => {
  test("a certain, wrong prediction costs -log(eps), not infinity", () => {
    const loss = logLoss(Int32Array.of(1), Float64Array.of(1, 0), 2);
    expect(loss).toBeCloseTo(-Math.log(Number.EPSILON), 9);
    expect(logLoss(Int32Array.of(1), Float64Array.of(1, 0), 2, { eps: 1e-15 })).toBeCloseTo(-Math.log(1e-15), 9);
  });

  test("rows that do not sum to 1 are renormalised, as sklearn does", () => {
    expect(logLoss(Int32Array.of(0), Float64Array.of(2, 2), 2)).toBeCloseTo(Math.log(2), 15);
  });

  test.each([
    ["probabilities of the wrong shape", () => logLoss(Int32Array.of(0, 1), Float64Array.of(0.5, 0.5, 0.5), 2), /proba has 3 values but 2 rows × 2 classes need 4/],
    ["NaN probability", () => logLoss(Int32Array.of(0), Float64Array.of(NaN, 1), 2), /proba\[0\] is NaN/],
    ["class out of range", () => logLoss(Int32Array.of(2), Float64Array.of(0.5, 0.5), 2), /yTrue\[0\] is 2/],
    ["one class", () => logLoss(Int32Array.of(0), Float64Array.of(1), 1), /classCount must be an integer of at least 2/],
    ["empty", () => logLoss(new Int32Array(0), new Float64Array(0), 2), /yTrue is empty/],
    ["bad eps", () => logLoss(Int32Array.of(0), Float64Array.of(0.5, 0.5), 2, { eps: 0.7 }), /eps must be in \[0, 0.5\)/],
  ])("rejects %s", (_name, call, message) => {
    expect(call).toThrowError(KeelError);
    expect(call).toThrowError(message);
  });
});
