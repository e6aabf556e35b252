import { describe, expect, it } from "vitest";
import { numberColumn, stringColumn } from "./frame-columns.js";
import { encodeClasses, inferTask, targetFromColumn } from "./encode-target.js";
import { compareCodePoints } from "../../core/compare-code-points.js";

describe("targetFromColumn", () => {
  it("sorts numeric labels numerically, as LabelEncoder does", () => {
    const target = targetFromColumn(numberColumn("y", [10, 2, 9, 2]), "classification");
    expect(target).toEqual({ task: "classification", classes: ["2", "9", "10"], y: Int32Array.from([2, 0, 1, 0]) });
  });

  it("sorts text labels by code point (upper case first), as Python sorts them", () => {
    const target = targetFromColumn(stringColumn("y", ["no", "Yes", "yes", "no"]), "classification");
    expect(target.task === "classification" && target.classes).toEqual(["Yes", "no", "yes"]);
  });

  it("refuses missing target values, saying how many and where", () => {
    expect(() => targetFromColumn(numberColumn("churn", [1, Number.NaN, 0, Number.NaN]), "classification")).toThrow(
      "target column 'churn' has 2 missing values (first at row 1); drop or fill those rows before training",
    );
    expect(() => targetFromColumn(stringColumn("churn", ["a", null]), "classification")).toThrow(/1 missing value \(first at row 1\)/);
    expect(() => targetFromColumn(numberColumn("price", [1.5, Number.NaN]), "regression")).toThrow(/missing value/);
  });

  it("refuses text for regression", () => {
    expect(() => targetFromColumn(stringColumn("y", ["a"]), "regression")).toThrow(/regression needs numbers/);
  });

  it("encodes a test split against the training classes and refuses a class never trained on", () => {
    expect(Array.from(encodeClasses(numberColumn("y", [1, 0]), ["0", "1"]).y)).toEqual([1, 0]);
    expect(() => encodeClasses(stringColumn("y", ["cat", "emu"]), ["cat", "dog"])).toThrow(/'emu' \(row 1\), a class the model was not trained on/);
  });
});

describe("inferTask", () => {
  it("takes text and few distinct integers for classification, fractions and many integers for regression", () => {
    expect(inferTask(stringColumn("y", ["a", "b"]))).toBe("classification");
    expect(inferTask(numberColumn("y", [0, 1, 1, 0]))).toBe("classification");
    expect(inferTask(numberColumn("y", [0.5, 1, 2]))).toBe("regression");
    expect(inferTask(numberColumn("y", Array.from({ length: 100 }, (_, i) => i * 1000)))).toBe("regression");
  });
});

describe("compareCodePoints", () => {
  it("orders characters beyond U+FFFF after U+FFxx ones, as Python does", () => {
    const values = ["\u{1F600}", "\uFF21", "a", "B"];
    expect([...values].sort(compareCodePoints)).toEqual(["B", "a", "\uFF21", "\u{1F600}"]);
    expect([...values].sort()).not.toEqual([...values].sort(compareCodePoints));
  });
});
