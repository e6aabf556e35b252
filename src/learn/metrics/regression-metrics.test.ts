import { describe, expect, test } from "vitest";
import { KeelError } from "../../core/errors.js";
import { REGRESSION_CASES, checksOf, expectClose, weightsOf } from "./fixtures/sklearn-fixtures.js";
import { meanAbsoluteError, meanSquaredError, r2Score, rootMeanSquaredError } from "./regression-metrics.js";

const METRICS = { mse: meanSquaredError, rmse: rootMeanSquaredError, mae: meanAbsoluteError, r2: r2Score } as const;

describe("equals scikit-learn 1.2.1 on the reference cases", () => {
  test.each(checksOf(REGRESSION_CASES, Object.keys(METRICS)))("$label", ({ testCase, check }) => {
    const metric = METRICS[check.metric as keyof typeof METRICS];
    const value = metric(Float64Array.from(testCase.yTrue), Float64Array.from(testCase.yPred), { sampleWeight: weightsOf(testCase) });
    expectClose(value, check.value as number, check.metric);
  });
});

describe("r2Score edge cases", () => {
  test("a constant target scores 1 when predicted exactly, 0 otherwise", () => {
    const constant = Float64Array.of(3, 3, 3);
    expect(r2Score(constant, Float64Array.of(3, 3, 3))).toBe(1);
    expect(r2Score(constant, Float64Array.of(3, 4, 3))).toBe(0);
  });

  test("a single row has no R², as in sklearn", () => {
    expect(r2Score(Float64Array.of(1), Float64Array.of(2))).toBeNaN();
  });
});

describe("bad input", () => {
  test.each([
    ["length mismatch", () => meanSquaredError(Float64Array.of(1, 2), Float64Array.of(1)), /yTrue has 2 rows but yPred has 1/],
    ["empty", () => r2Score(new Float64Array(0), new Float64Array(0)), /yTrue is empty/],
    ["NaN target", () => meanAbsoluteError(Float64Array.of(1, NaN), Float64Array.of(1, 2)), /yTrue\[1\] is NaN/],
    ["infinite prediction", () => rootMeanSquaredError(Float64Array.of(1), Float64Array.of(Infinity)), /yPred\[0\] is Infinity/],
  ])("rejects %s", (_name, call, message) => {
    expect(call).toThrowError(KeelError);
    expect(call).toThrowError(message);
  });
});
