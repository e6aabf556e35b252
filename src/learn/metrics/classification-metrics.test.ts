import { describe, expect, test } from "vitest";
import { KeelError } from "../../core/errors.js";
import type { PrecisionRecallOptions } from "./classification-metrics.js";
import { accuracyScore, f1Score, precisionRecallF1, precisionScore, recallScore } from "./classification-metrics.js";
import { CLASSIFICATION_CASES, checksOf, expectClose, weightsOf } from "./fixtures/sklearn-fixtures.js";

const SCORERS = { precision: precisionScore, recall: recallScore, f1: f1Score } as const;

describe("equals scikit-learn 1.2.1 on the reference cases", () => {
  test.each(checksOf(CLASSIFICATION_CASES, ["accuracy", "precision", "recall", "f1"]))("$label", ({ testCase, check }) => {
    const yTrue = Int32Array.from(testCase.yTrue);
    const yPred = Int32Array.from(testCase.yPred);
    const sampleWeight = weightsOf(testCase);
    expect(check.error).toBeUndefined();
    const value =
      check.metric === "accuracy"
        ? accuracyScore(yTrue, yPred, { classCount: testCase.classCount, sampleWeight })
        : SCORERS[check.metric as keyof typeof SCORERS](yTrue, yPred, {
            ...(check.options as PrecisionRecallOptions),
            classCount: testCase.classCount,
            sampleWeight,
          });
    expectClose(value, check.value as number, check.metric);
  });
});

describe("precision, recall and F1", () => {
  const yTrue = Int32Array.of(0, 1, 2, 0, 1, 2);
  const yPred = Int32Array.of(0, 2, 1, 0, 0, 1);

  test("the default average is binary on class 1", () => {
    const binaryTrue = Int32Array.of(0, 1, 1, 0);
    const binaryPred = Int32Array.of(1, 1, 0, 0);
    expect(precisionRecallF1(binaryTrue, binaryPred)).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
  });

  test("a class never predicted has precision zero_division: 0 by default, 1 when asked", () => {
    const never = Int32Array.of(0, 0, 1, 1);
    const onlyZero = Int32Array.of(0, 0, 0, 0);
    expect(precisionScore(never, onlyZero)).toBe(0);
    expect(precisionScore(never, onlyZero, { zeroDivision: 1 })).toBe(1);
    expect(recallScore(never, onlyZero, { zeroDivision: 1 })).toBe(0);
  });

  test("macro averages over present classes unless labels names them all", () => {
    const classCount = 4; // class 3 occurs nowhere
    const present = f1Score(yTrue, yPred, { classCount, average: "macro" });
    const all = f1Score(yTrue, yPred, { classCount, average: "macro", labels: [0, 1, 2, 3] });
    expect(all).toBeCloseTo((present * 3) / 4, 12);
  });

  test("micro average equals accuracy on single-label data", () => {
    expect(f1Score(yTrue, yPred, { average: "micro" })).toBeCloseTo(accuracyScore(yTrue, yPred), 15);
  });
});

describe("bad input is an INVALID_PARAMETER_VALUE naming the problem", () => {
  const ok = Int32Array.of(0, 1, 1);
  test.each([
    ["length mismatch", () => accuracyScore(ok, Int32Array.of(0, 1)), /yTrue has 3 rows but yPred has 2/],
    ["empty", () => accuracyScore(new Int32Array(0), new Int32Array(0)), /yTrue is empty/],
    ["index out of range", () => accuracyScore(ok, Int32Array.of(0, 1, 2), { classCount: 2 }), /yPred\[2\] is 2; class indices must be in \[0, 2\)/],
    ["negative index", () => precisionScore(Int32Array.of(-1, 0), Int32Array.of(0, 0)), /yTrue\[0\] is -1/],
    ["binary on three classes", () => f1Score(Int32Array.of(0, 1, 2), Int32Array.of(0, 1, 2)), /average "binary".*3 classes/],
    ["unknown average", () => f1Score(ok, ok, { average: "samples" as "macro" }), /average must be one of/],
    ["bad zeroDivision", () => f1Score(ok, ok, { zeroDivision: 2 as 1 }), /zeroDivision must be/],
    ["label out of range", () => f1Score(ok, ok, { average: "macro", labels: [5] }), /labels holds 5/],
    ["weights of the wrong length", () => accuracyScore(ok, ok, { sampleWeight: Float64Array.of(1) }), /sampleWeight has 1 values but there are 3 rows/],
    ["negative weight", () => accuracyScore(ok, ok, { sampleWeight: Float64Array.of(1, -1, 1) }), /sampleWeight\[1\] is -1/],
    ["all weights zero", () => accuracyScore(ok, ok, { sampleWeight: new Float64Array(3) }), /every sampleWeight is 0/],
  ])("%s", (_name, call, message) => {
    expect(call).toThrowError(KeelError);
    expect(call).toThrowError(message);
    try {
      call();
    } catch (error) {
      expect((error as KeelError).code).toBe("INVALID_PARAMETER_VALUE");
    }
  });
});
