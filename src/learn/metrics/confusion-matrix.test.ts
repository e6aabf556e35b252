import { describe, expect, test } from "vitest";
import { confusionMatrix } from "./confusion-matrix.js";
import type { ConfusionMatrixOptions } from "./confusion-matrix.js";
import { CLASSIFICATION_CASES, checksOf, expectAllClose, weightsOf } from "./fixtures/sklearn-fixtures.js";

describe("equals scikit-learn 1.2.1's confusion_matrix(labels=range(k))", () => {
  test.each(checksOf(CLASSIFICATION_CASES, ["confusion_matrix"]))("$label", ({ testCase, check }) => {
    const { classCount, normalize } = check.options as { classCount: number; normalize?: ConfusionMatrixOptions["normalize"] };
    const matrix = confusionMatrix(Int32Array.from(testCase.yTrue), Int32Array.from(testCase.yPred), classCount, {
      normalize,
      sampleWeight: weightsOf(testCase),
    });
    expect(matrix).toHaveLength(classCount);
    expectAllClose(matrix.flat(), check.value as number[], "confusion matrix");
  });
});

describe("confusionMatrix", () => {
  test("rows are true classes, columns predicted classes, and it serialises as nested arrays", () => {
    const matrix = confusionMatrix(Int32Array.of(0, 1, 1, 2), Int32Array.of(0, 1, 0, 1), 3);
    expect(JSON.stringify(matrix)).toBe("[[1,0,0],[1,1,0],[0,1,0]]");
  });

  test("normalising by true class leaves a class that never occurs at zeros", () => {
    const matrix = confusionMatrix(Int32Array.of(0, 0, 1), Int32Array.of(0, 1, 1), 3, { normalize: "true" });
    expect(matrix).toEqual([[0.5, 0.5, 0], [0, 1, 0], [0, 0, 0]]);
  });

  test("bad input is rejected with a message", () => {
    expect(() => confusionMatrix(Int32Array.of(0, 3), Int32Array.of(0, 1), 3)).toThrowError(/yTrue\[1\] is 3; class indices must be in \[0, 3\)/);
    expect(() => confusionMatrix(Int32Array.of(0), Int32Array.of(0), 0)).toThrowError(/classCount must be an integer of at least 1/);
    expect(() => confusionMatrix(Int32Array.of(0), Int32Array.of(0), 1, { normalize: "rows" as "all" })).toThrowError(/normalize must be/);
  });
});
