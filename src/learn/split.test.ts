import { describe, expect, it } from "vitest";
import { frameFromColumns, numberColumn, stringColumn } from "./data/frame-columns.js";
import { kFold, stratifiedKFold, takeRows, trainTestSplit } from "./split.js";

/** 70 rows of class 0, 25 of class 1, 5 of class 2, interleaved. */
const y = Int32Array.from({ length: 100 }, (_, i) => (i % 20 === 3 ? 2 : i % 4 === 1 ? 1 : 0));
const count = (labels: Int32Array, rows: Int32Array, k: number): number => rows.filter((r) => labels[r] === k).length;

function expectPartition(rowCount: number, parts: readonly Int32Array[]): void {
  const all = parts.flatMap((p) => Array.from(p)).sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: rowCount }, (_, i) => i));
}

describe("trainTestSplit", () => {
  it("holds out ceil(testSize × rows) rows, as scikit-learn does", () => {
    const split = trainTestSplit(101, { testSize: 0.2, seed: 1 });
    expect(split.test.length).toBe(21);
    expect(split.train.length).toBe(80);
    expectPartition(101, [split.train, split.test]);
    expect(trainTestSplit(10, { testSize: 3 }).test.length).toBe(3);
  });

  it("gives the same split for the same seed and another for another seed", () => {
    const a = trainTestSplit(1000, { testSize: 0.25, seed: 7 });
    expect(trainTestSplit(1000, { testSize: 0.25, seed: 7 })).toEqual(a);
    expect(trainTestSplit(1000, { testSize: 0.25, seed: 8 }).test).not.toEqual(a.test);
  });

  it("keeps class proportions when stratified", () => {
    const split = trainTestSplit(100, { testSize: 0.2, seed: 3, stratify: y });
    expect(split.test.length).toBe(20);
    expect([0, 1, 2].map((k) => count(y, split.test, k))).toEqual([14, 5, 1]);
    expect([0, 1, 2].map((k) => count(y, split.train, k))).toEqual([56, 20, 4]);
    expectPartition(100, [split.train, split.test]);
  });

  it("puts every class with two rows or more in both parts, even when its share rounds to zero", () => {
    const labels = Int32Array.from([...Array(97).fill(0), 1, 1, 2]);
    const split = trainTestSplit(100, { testSize: 0.1, seed: 0, stratify: labels });
    expect(split.test.length).toBe(10);
    expect(count(labels, split.test, 1)).toBe(1);
    expect(count(labels, split.train, 1)).toBe(1);
    // A class of one row cannot be in both parts: it trains.
    expect(count(labels, split.train, 2)).toBe(1);
  });

  it("refuses sizes that leave a part empty", () => {
    expect(() => trainTestSplit(10, { testSize: 1.5 })).toThrow(/neither a fraction/);
    expect(() => trainTestSplit(10, { testSize: 10 })).toThrow(/leaves no training rows/);
    expect(() => trainTestSplit(10, { testSize: 0 })).toThrow(/use e\.g\. 0\.2/);
  });
});

describe("stratifiedKFold", () => {
  it("splits the rows into k test folds, each with its share of every class", () => {
    const folds = stratifiedKFold(y, 5, 42);
    expect(folds).toHaveLength(5);
    expectPartition(100, folds.map((f) => f.test));
    for (const fold of folds) {
      expect([0, 1, 2].map((k) => count(y, fold.test, k))).toEqual([14, 5, 1]);
      expect(fold.train.length + fold.test.length).toBe(100);
      expect(fold.train.some((r) => fold.test.includes(r))).toBe(false);
    }
  });

  it("is deterministic for a seed", () => {
    expect(stratifiedKFold(y, 3, 1)).toEqual(stratifiedKFold(y, 3, 1));
    expect(stratifiedKFold(y, 3, 1)[0].test).not.toEqual(stratifiedKFold(y, 3, 2)[0].test);
  });

  it("refuses fewer than 2 folds or more folds than rows", () => {
    expect(() => stratifiedKFold(y, 1)).toThrow(/at least 2 folds/);
    expect(() => stratifiedKFold(Int32Array.from([0, 1]), 3)).toThrow(/at most 2 folds/);
  });
});

describe("kFold", () => {
  it("gives the first rows % k folds one row more", () => {
    const folds = kFold(11, 3, 0);
    expect(folds.map((f) => f.test.length)).toEqual([4, 4, 3]);
    expectPartition(11, folds.map((f) => f.test));
  });
});

describe("takeRows", () => {
  it("takes rows of every column in the order given", () => {
    const frame = frameFromColumns([numberColumn("n", [10, 20, 30]), stringColumn("s", ["a", null, "c"])]);
    const taken = takeRows(frame, Int32Array.from([2, 0]));
    expect(taken.rowCount).toBe(2);
    expect(taken.columns[0].values).toEqual(Float64Array.from([30, 10]));
    expect(taken.columns[1].values).toEqual(["c", "a"]);
    expect(() => takeRows(frame, Int32Array.from([3]))).toThrow(/outside the table's 3 rows/);
  });
});
