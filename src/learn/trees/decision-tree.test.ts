import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { createDecisionTreeClassifier, createDecisionTreeRegressor } from "./decision-tree.js";
import {
  accuracy,
  auc,
  BREAST_CANCER,
  classTarget,
  DIABETES,
  matrix,
  maxAbsDifference,
  mean,
  r2,
  runOnnx,
  SEEDS,
  SEPARABLE,
  WINE,
  labelsOf,
  valuesOf,
  withMissing,
} from "./fixtures/trees-fixture.js";
import { leafCount, treeDepth } from "./tree.js";
import { treeModelFromJson } from "./tree-model-json.js";

describe.each([
  ["breast_cancer", BREAST_CANCER],
  ["wine", WINE],
])("decision tree classifier on %s", (_, data) => {
  const cases = data.cases.filter((c) => c.kind === "tree");

  it.each(cases.map((c) => [JSON.stringify(c.params), c] as const))("scores as scikit-learn with the same random_state, seed by seed, with %s", async (__, c) => {
    const accuracies: number[] = [];
    const aucs: number[] = [];
    for (const seed of SEEDS) {
      const model = await createDecisionTreeClassifier(c.params).fit(data.xTrain, data.train, { seed });
      accuracies.push(accuracy(labelsOf(data.test), model.predict(data.xTest)));
      aucs.push(auc(labelsOf(data.test), model.predictProba(data.xTest), model.classes.length));
    }
    expect(accuracies).toEqual(c.accuracyBySeed);
    aucs.forEach((value, i) => expect(value).toBeCloseTo(c.aucBySeed?.[i] ?? Number.NaN, 12));
  });

  it.each(cases.map((c) => [JSON.stringify(c.params), c] as const))("grows scikit-learn's tree, split feature for split feature, with %s", async (__, c) => {
    const model = await createDecisionTreeClassifier(c.params).fit(data.xTrain, data.train, { seed: 0 });
    expect([Array.from(model.trees[0].feature)]).toEqual(c.treeFeatures);
  });

  it.each(cases.map((c) => [JSON.stringify(c.params), c] as const))("grows as many leaves as scikit-learn with %s", async (__, c) => {
    const model = await createDecisionTreeClassifier(c.params).fit(data.xTrain, data.train, { seed: 0 });
    expect(accuracy(labelsOf(data.train), model.predict(data.xTrain))).toBe(c.trainAccuracy);
    expect(leafCount(model.trees[0])).toBe(c.leaves);
  });

  it("exports to ONNX with the same labels and probabilities, missing values included", async () => {
    const model = await createDecisionTreeClassifier().fit(data.xTrain, data.train, { seed: 0 });
    for (const x of [data.xTest, withMissing(data.xTest)]) {
      const onnx = await runOnnx(model, x);
      expect(Array.from(onnx.label ?? [])).toEqual(Array.from(model.predict(x)));
      expect(maxAbsDifference(onnx.probabilities ?? [], model.predictProba(x))).toBeLessThanOrEqual(1e-5);
    }
  });
});

describe("decision tree classifier", () => {
  it("separates separable data as scikit-learn does: training accuracy 1, same leaves and depth", async () => {
    const x = matrix(SEPARABLE.x);
    const target = classTarget(SEPARABLE.y, 2);
    const model = await createDecisionTreeClassifier().fit(x, target, { seed: 0 });
    expect(accuracy(Int32Array.from(SEPARABLE.y), model.predict(x))).toBe(SEPARABLE.trainAccuracy);
    expect(SEPARABLE.trainAccuracy).toBe(1);
    expect(leafCount(model.trees[0])).toBe(SEPARABLE.leaves);
    expect(treeDepth(model.trees[0])).toBe(SEPARABLE.depth);
  });

  it("has scikit-learn's impurity-based feature importances, up to which feature takes a tied split", async () => {
    const c = WINE.cases.find((k) => k.kind === "tree" && Object.keys(k.params).length === 0);
    const model = await createDecisionTreeClassifier().fit(WINE.xTrain, WINE.train, { seed: 0 });
    // One wine node splits identically on feature 3 or 10; which one is taken depends on the seed's feature order.
    const sorted = (v: ArrayLike<number>) => Array.from(v).sort((a, b) => a - b);
    expect(maxAbsDifference(sorted(model.featureImportances()), sorted(c?.featureImportances ?? []))).toBeLessThan(1e-9);
    expect(mean(Array.from(model.featureImportances())) * WINE.xTrain.cols).toBeCloseTo(1, 12);
  });

  it("is deterministic: the same seed gives the same JSON, and the JSON rebuilds the model", async () => {
    const learner = createDecisionTreeClassifier({ max_features: "sqrt" });
    const a = await learner.fit(BREAST_CANCER.xTrain, BREAST_CANCER.train, { seed: 3 });
    const b = await learner.fit(BREAST_CANCER.xTrain, BREAST_CANCER.train, { seed: 3 });
    expect(JSON.stringify(b.toJson())).toBe(JSON.stringify(a.toJson()));
    const rebuilt = treeModelFromJson(JSON.parse(JSON.stringify(a.toJson())));
    expect(Array.from(rebuilt.predict(BREAST_CANCER.xTest))).toEqual(Array.from(a.predict(BREAST_CANCER.xTest)));
  });

  it("puts thresholds on float32 values, so float32 and float64 inputs agree", async () => {
    const x = matrix(Array.from({ length: 60 }, (_, i) => [0.1 * i + 1e-9, Math.sin(i)]));
    const target = classTarget(Array.from({ length: 60 }, (_, i) => (i % 3 === 0 || Math.sin(i) > 0.5 ? 1 : 0)), 2);
    const model = await createDecisionTreeClassifier().fit(x, target, { seed: 0 });
    const tree = model.trees[0];
    tree.threshold.forEach((t, i) => {
      if (tree.feature[i] >= 0) expect(Math.fround(t)).toBe(t);
    });
    const rounded = { ...x, data: x.data.map(Math.fround) };
    expect(Array.from(model.predict(rounded))).toEqual(Array.from(model.predict(x)));
    expect(accuracy(labelsOf(target), model.predict(x))).toBe(1);
  });

  it("respects max_depth and min_samples_leaf", async () => {
    const model = await createDecisionTreeClassifier({ max_depth: 3, min_samples_leaf: 10 }).fit(BREAST_CANCER.xTrain, BREAST_CANCER.train, { seed: 0 });
    const tree = model.trees[0];
    expect(treeDepth(tree)).toBeLessThanOrEqual(3);
    const counts = new Map<number, number>();
    const x = BREAST_CANCER.xTrain;
    for (let r = 0; r < x.rows; r++) {
      const proba = model.predictProba({ rows: 1, cols: x.cols, data: x.data.subarray(r * x.cols, (r + 1) * x.cols) });
      counts.set(proba[0], (counts.get(proba[0]) ?? 0) + 1);
    }
    expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(10);
  });

  it("refuses missing values with a message that says to impute", async () => {
    const x = matrix([[1, 2], [Number.NaN, 3], [2, 2]]);
    const fit = createDecisionTreeClassifier().fit(x, classTarget([0, 1, 0], 2));
    await expect(fit).rejects.toBeInstanceOf(KeelError);
    await expect(createDecisionTreeClassifier().fit(x, classTarget([0, 1, 0], 2))).rejects.toThrow(/impute/);
  });

  it("rejects unknown or invalid hyperparameters when created", () => {
    expect(() => createDecisionTreeClassifier({ max_dept: 3 })).toThrow(/no parameter 'max_dept'/);
    expect(() => createDecisionTreeClassifier({ criterion: "squared_error" })).toThrow(/criterion/);
    expect(() => createDecisionTreeClassifier({ min_samples_leaf: 0 })).toThrow(/min_samples_leaf/);
    expect(() => createDecisionTreeRegressor({ criterion: "gini" })).toThrow(/criterion/);
  });
});

describe("decision tree regressor", () => {
  const c = DIABETES.cases.find((k) => k.kind === "tree");
  const y = valuesOf(DIABETES.test);

  it("scores like scikit-learn on diabetes", async () => {
    const scores: number[] = [];
    for (const seed of SEEDS) {
      const model = await createDecisionTreeRegressor(c?.params).fit(DIABETES.xTrain, DIABETES.train, { seed });
      scores.push(r2(y, model.predict(DIABETES.xTest)));
    }
    // R² of a depth-4 tree on 111 noisy test rows: scikit-learn's own seeds spread 0.08 to 0.11.
    expect(Math.abs(mean(scores) - mean(c?.r2BySeed ?? []))).toBeLessThanOrEqual(0.03);
  });

  it("exports to ONNX with the same predictions", async () => {
    const model = await createDecisionTreeRegressor().fit(DIABETES.xTrain, DIABETES.train, { seed: 0 });
    const x = withMissing(DIABETES.xTest);
    const onnx = await runOnnx(model, x);
    const expected = model.predict(x);
    // float32 output: compare relative to the target's scale (tens to hundreds).
    expect(maxAbsDifference(onnx.prediction ?? [], expected)).toBeLessThanOrEqual(1e-5 * Math.max(...expected.map(Math.abs)));
  });
});
