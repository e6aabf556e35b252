import { describe, expect, test } from "vitest";
import { KeelError } from "../../core/errors.js";
import { CLASSIFICATION_CASES, checksOf, expectAllClose, expectClose, weightsOf } from "./fixtures/sklearn-fixtures.js";
import type { RocAucOvrOptions } from "./roc-auc.js";
import { rocAuc, rocAucOvrScore, rocAucScore, rocCurve } from "./roc-auc.js";

function positiveColumn(proba: readonly number[]): Float64Array {
  return Float64Array.from({ length: proba.length / 2 }, (_, i) => proba[2 * i + 1]);
}

describe("equals scikit-learn 1.2.1's roc_auc_score and roc_curve", () => {
  test.each(checksOf(CLASSIFICATION_CASES, ["roc_auc", "roc_auc_ovr"]))("$label", ({ testCase, check }) => {
    const yTrue = Int32Array.from(testCase.yTrue);
    const sampleWeight = weightsOf(testCase);
    const compute = (): number =>
      check.metric === "roc_auc"
        ? rocAucScore(yTrue, positiveColumn(testCase.proba), { sampleWeight })
        : rocAucOvrScore(yTrue, Float64Array.from(testCase.proba), testCase.classCount, { ...(check.options as RocAucOvrOptions), sampleWeight });
    if (check.error !== undefined) {
      // sklearn refuses these inputs (one class in y_true, or a class missing); so does Keel, with its own words.
      expect(compute).toThrowError(KeelError);
      return;
    }
    expectClose(compute(), check.value as number, check.metric);
  });

  test.each(checksOf(CLASSIFICATION_CASES, ["roc_curve"]))("$label", ({ testCase, check }) => {
    const curve = rocCurve(Int32Array.from(testCase.yTrue), positiveColumn(testCase.proba), {
      sampleWeight: weightsOf(testCase),
      dropIntermediate: check.options.dropIntermediate as boolean,
    });
    const expected = check.value as Record<"fpr" | "tpr" | "thresholds", number[]>;
    expectAllClose(curve.fpr, expected.fpr, "fpr");
    expectAllClose(curve.tpr, expected.tpr, "tpr");
    expectAllClose(curve.thresholds, expected.thresholds, "thresholds");
  });
});

describe("ROC AUC", () => {
  test("a tie between a positive and a negative counts half", () => {
    expect(rocAucScore(Int32Array.of(0, 1), Float64Array.of(0.5, 0.5))).toBe(0.5);
    expect(rocAucScore(Int32Array.of(0, 0, 1, 1), Float64Array.of(0.1, 0.4, 0.35, 0.8))).toBe(0.75);
  });

  test("rocAuc takes predictProba's output for two classes and for more", () => {
    const yTrue = Int32Array.of(0, 1, 0, 1);
    const proba = Float64Array.of(0.9, 0.1, 0.3, 0.7, 0.6, 0.4, 0.2, 0.8);
    expect(rocAuc(yTrue, proba, 2)).toBe(1);
    const yTrue3 = Int32Array.of(0, 1, 2);
    const proba3 = Float64Array.of(0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8);
    expect(rocAuc(yTrue3, proba3, 3)).toBe(1);
  });

  test("100,000 rows and 10 classes with heavy ties give the hand-computed AUC", () => {
    // Each class: 2/3 of its rows score 0.55 and the rest tie every class at 0.1; other rows score it 0.05 or
    // 0.1 in the same proportions. AUC = 2/3 + 1/3 × 2/3 + ½ × 1/3 × 1/3 = 17/18 for every class.
    const rows = 99_990; // a multiple of 30, so classes and the thirds are exactly balanced
    const k = 10;
    const yTrue = Int32Array.from({ length: rows }, (_, i) => (i * 7) % k);
    const proba = new Float64Array(rows * k);
    for (let i = 0; i < rows; i++) {
      for (let c = 0; c < k; c++) proba[i * k + c] = i % 3 === 0 ? 0.1 : c === yTrue[i] ? 0.55 : 0.05;
    }
    expect(rocAucOvrScore(yTrue, proba, k, { average: "macro" })).toBeCloseTo(17 / 18, 12);
    expect(rocAucOvrScore(yTrue, proba, k, { average: "weighted" })).toBeCloseTo(17 / 18, 12);
  });

  test.each([
    ["one class only", () => rocAucScore(Int32Array.of(1, 1), Float64Array.of(0.2, 0.3)), /yTrue holds class 1 only/],
    ["a class index above 1", () => rocAucScore(Int32Array.of(0, 2), Float64Array.of(0.2, 0.3)), /yTrue\[1\] is 2; class indices must be in \[0, 2\)/],
    ["NaN score", () => rocAucScore(Int32Array.of(0, 1), Float64Array.of(0.2, NaN)), /scores\[1\] is NaN/],
    ["length mismatch", () => rocAucScore(Int32Array.of(0, 1), Float64Array.of(0.2)), /yTrue has 2 rows but scores has 1/],
    ["one-vs-rest on two classes", () => rocAucOvrScore(Int32Array.of(0, 1), Float64Array.of(0.5, 0.5, 0.5, 0.5), 2), /three or more classes/],
    ["probabilities of the wrong shape", () => rocAucOvrScore(Int32Array.of(0, 1, 2), new Float64Array(8), 3), /proba has 8 values but 3 rows × 3 classes need 9/],
    ["rows not summing to 1", () => rocAucOvrScore(Int32Array.of(0, 1, 2), Float64Array.of(1, 1, 1, 0, 1, 0, 0, 0, 1), 3), /row 0 of proba sums to 3, not 1/],
    ["a class missing from yTrue", () => rocAucOvrScore(Int32Array.of(0, 1, 1), Float64Array.of(1, 0, 0, 0, 1, 0, 0, 1, 0), 3), /class index 2 never occurs in yTrue/],
  ])("rejects %s", (_name, call, message) => {
    expect(call).toThrowError(KeelError);
    expect(call).toThrowError(message);
  });
});
