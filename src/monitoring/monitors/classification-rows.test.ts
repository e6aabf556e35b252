import { describe, expect, it } from "vitest";
import type { Column } from "../../core/frame.js";
import { refusal } from "../../../test/support/keel-errors.js";
import type { PredictionWindow } from "../log/prediction-window.js";
import { labelledClassification, labelledRegression, predictedClassNames, predictionColumn } from "./classification-rows.js";

const num = (name: string, values: number[]): Column => ({ kind: "number", name, values: Float64Array.from(values) });
const str = (name: string, values: (string | null)[]): Column => ({ kind: "string", name, values });

/** A window of `outputs` (one value per row) with `labels`; request ids are r0, r1, ... and row r was at r seconds. */
function windowOf(outputs: Column[], labels: (string | null)[]): PredictionWindow {
  const rows = labels.length;
  return {
    rows,
    requestIds: labels.map((_, r) => `r${r}`),
    timestamps: Float64Array.from(labels, (_, r) => r * 1000),
    inputs: { columns: [], rowCount: rows },
    outputs: { columns: outputs, rowCount: rows },
    labels,
    labelledRows: labels.filter((l) => l !== null).length,
    versions: { "1": rows },
  };
}

describe("predictionColumn", () => {
  it("prefers a usual label output name, else the first scalar output", () => {
    expect(predictionColumn([num("probabilities_0", [1]), str("label", ["a"])])?.name).toBe("label");
    expect(predictionColumn([num("output_probability_0", [1]), str("output_label", ["a"])])?.name).toBe("output_label");
    expect(predictionColumn([num("probabilities_0", [1]), num("score", [2])])?.name).toBe("score");
    expect(predictionColumn([num("probabilities_0", [1]), num("probabilities_1", [0])])).toBeUndefined();
  });
});

describe("labelledClassification", () => {
  it("recovers which class each probability column stands for from the predictions", () => {
    // Column 0 is "yes" here: the model lists its classes in an order that is not alphabetical.
    const window = windowOf(
      [str("label", ["yes", "no", "yes", "no", "yes"]), num("probabilities_0", [0.9, 0.2, 0.7, 0.4, 0.6]), num("probabilities_1", [0.1, 0.8, 0.3, 0.6, 0.4])],
      ["yes", "yes", null, "no", "no"],
    );
    const rows = labelledClassification(window);
    expect(rows.classes).toEqual(["yes", "no"]);
    expect(Array.from(rows.yTrue)).toEqual([0, 0, 1, 1]);
    expect(Array.from(rows.yPred)).toEqual([0, 1, 1, 0]);
    expect(Array.from(rows.proba ?? [])).toEqual([0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.6, 0.4]);
    expect(Array.from(rows.timestamps)).toEqual([0, 1000, 3000, 4000]);
  });

  it("falls back to every label seen, in code-point order, without probabilities", () => {
    const window = windowOf([str("label", ["b", "a", "c", "a"])], ["a", "a", "b", null]);
    const rows = labelledClassification(window);
    expect(rows.classes).toEqual(["a", "b", "c"]);
    expect(rows.proba).toBeUndefined();
    expect(Array.from(rows.yTrue)).toEqual([0, 0, 1]);
    expect(Array.from(rows.yPred)).toEqual([1, 0, 2]);
  });

  it("takes a label 1.0 for a model predicting 1, and the reverse", () => {
    const numeric = labelledClassification(windowOf([num("label", [1, 0, 1])], ["1.0", "0", "1"]));
    expect(numeric.classes).toEqual(["0", "1"]);
    expect(Array.from(numeric.yTrue)).toEqual(Array.from(numeric.yPred));

    const spelled = labelledClassification(
      windowOf([str("label", ["1.0", "0.0", "1.0"]), num("probabilities_0", [0.1, 0.9, 0.2]), num("probabilities_1", [0.9, 0.1, 0.8])], ["1", "0", "1"]),
    );
    expect(spelled.classes).toEqual(["0.0", "1.0"]);
    expect(Array.from(spelled.yTrue)).toEqual([1, 0, 1]);
  });

  it("maps class indices through the known classes", () => {
    const rows = labelledClassification(windowOf([num("label", [1, 0, 1])], ["churned", "stayed", "0"]), ["stayed", "churned"]);
    expect(rows.classes).toEqual(["stayed", "churned"]);
    expect(Array.from(rows.yTrue)).toEqual([1, 0, 0]);
    expect(Array.from(rows.yPred)).toEqual([1, 0, 1]);
    const names = predictedClassNames(windowOf([num("label", [1, 0])], [null, null]), ["stayed", "churned"]);
    expect(names?.values).toEqual(["churned", "stayed"]);
  });

  it("refuses a label that is not one of the model's classes, naming the request", () => {
    const window = windowOf([str("label", ["yes", "no"]), num("probabilities_0", [0.2, 0.7]), num("probabilities_1", [0.8, 0.3])], ["yes", "maybe"]);
    const error = refusal(() => labelledClassification(window));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toBe("label 'maybe' of request 'r1' is not one of the model's classes (no, yes)");
  });

  it("refuses a log without a predicted label", () => {
    const window = windowOf([num("probabilities_0", [0.2]), num("probabilities_1", [0.8])], ["yes"]);
    expect(refusal(() => labelledClassification(window)).message).toContain("has no predicted label output");
  });
});

describe("labelledRegression", () => {
  it("pairs numeric labels with the predictions", () => {
    const rows = labelledRegression(windowOf([num("variable", [1.5, 2.5, 3.5])], ["1", null, "4.25"]));
    expect(Array.from(rows.yTrue)).toEqual([1, 4.25]);
    expect(Array.from(rows.yPred)).toEqual([1.5, 3.5]);
    expect(Array.from(rows.timestamps)).toEqual([0, 2000]);
  });

  it("refuses a label that is not a number, naming the request", () => {
    for (const bad of ["high", ""]) {
      const error = refusal(() => labelledRegression(windowOf([num("variable", [1, 2])], ["1", bad])));
      expect(error.message).toBe(`label '${bad}' of request 'r1' is not a number; a regression monitor needs numeric labels`);
    }
  });

  it("refuses a log whose prediction is not numeric", () => {
    expect(refusal(() => labelledRegression(windowOf([str("label", ["a"])], ["1"]))).message).toContain("no numeric prediction output");
  });
});
