import { describe, expect, test } from "vitest";
import { evaluateClassifier, evaluateRegressor } from "./evaluate.js";
import { CLASSIFICATION_CASES, REGRESSION_CASES, expectClose } from "./fixtures/sklearn-fixtures.js";

const classNames = (k: number): string[] => Array.from({ length: k }, (_, c) => `class_${c}`);

describe("evaluateClassifier logs sklearn's scorer names and values", () => {
  test.each(CLASSIFICATION_CASES.filter((c) => c.evaluate !== undefined).map((c) => [c.name, c] as const))("%s", (_name, testCase) => {
    const metrics = evaluateClassifier(Int32Array.from(testCase.yTrue), Float64Array.from(testCase.proba), classNames(testCase.classCount));
    const expected = testCase.evaluate ?? {};
    expect(Object.keys(metrics).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, value] of Object.entries(expected)) expectClose(metrics[name], value, name);
  });

  test("binary and multiclass name their metrics differently", () => {
    const binary = evaluateClassifier(Int32Array.of(0, 1), Float64Array.of(0.8, 0.2, 0.3, 0.7), ["no", "yes"]);
    expect(Object.keys(binary)).toEqual(["accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"]);
    const multi = evaluateClassifier(Int32Array.of(0, 1, 2), Float64Array.of(0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8), ["a", "b", "c"]);
    expect(Object.keys(multi)).toEqual([
      "accuracy",
      "precision_macro",
      "recall_macro",
      "f1_macro",
      "precision_weighted",
      "recall_weighted",
      "f1_weighted",
      "roc_auc_ovr",
      "roc_auc_ovr_weighted",
      "log_loss",
    ]);
  });

  test("rejects a single class and probabilities of the wrong shape", () => {
    expect(() => evaluateClassifier(Int32Array.of(0), Float64Array.of(1), ["only"])).toThrowError(/at least two classes/);
    expect(() => evaluateClassifier(Int32Array.of(0, 1), Float64Array.of(0.5, 0.5), ["a", "b"])).toThrowError(/proba has 2 values but 2 rows × 2 classes need 4/);
  });
});

describe("evaluateRegressor", () => {
  test.each(REGRESSION_CASES.filter((c) => c.evaluate !== undefined).map((c) => [c.name, c] as const))("%s", (_name, testCase) => {
    const metrics = evaluateRegressor(Float64Array.from(testCase.yTrue), Float64Array.from(testCase.yPred));
    const expected = testCase.evaluate ?? {};
    expect(Object.keys(metrics).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, value] of Object.entries(expected)) expectClose(metrics[name], value, name);
  });
});
