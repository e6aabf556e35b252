import { describe, expect, it } from "vitest";
import { accuracy, auc, BREAST_CANCER, DIABETES, labelsOf, maxAbsDifference, mean, r2, runOnnx, SEEDS, valuesOf, WINE, withMissing } from "./fixtures/trees-fixture.js";
import { createRandomForestClassifier, createRandomForestRegressor } from "./random-forest.js";
import { treeModelFromJson } from "./tree-model-json.js";

describe.each([
  ["breast_cancer", BREAST_CANCER],
  ["wine", WINE],
])("random forest classifier on %s", (_, data) => {
  const cases = data.cases.filter((c) => c.kind === "forest");

  it.each(cases.map((c) => [JSON.stringify(c.params), c] as const))("scores as scikit-learn with the same random_state, seed by seed, with %s", async (__, c) => {
    const accuracies: number[] = [];
    const aucs: number[] = [];
    for (const seed of SEEDS) {
      const model = await createRandomForestClassifier({ ...c.params, n_jobs: 1 }).fit(data.xTrain, data.train, { seed });
      accuracies.push(accuracy(labelsOf(data.test), model.predict(data.xTest)));
      aucs.push(auc(labelsOf(data.test), model.predictProba(data.xTest), model.classes.length));
    }
    expect(accuracies).toEqual(c.accuracyBySeed);
    aucs.forEach((value, i) => expect(value).toBeCloseTo(c.aucBySeed?.[i] ?? Number.NaN, 12));
  });

  it.each(cases.map((c) => [JSON.stringify(c.params), c] as const))("grows scikit-learn's trees (bootstrap and features) with %s", async (__, c) => {
    const model = await createRandomForestClassifier({ ...c.params, n_jobs: 2 }).fit(data.xTrain, data.train, { seed: 0 });
    expect(model.trees.slice(0, 5).map((tree) => Array.from(tree.feature))).toEqual(c.treeFeatures);
  });

  it("exports to ONNX with the same labels and probabilities, missing values included", async () => {
    const model = await createRandomForestClassifier({ n_estimators: 30, n_jobs: 1 }).fit(data.xTrain, data.train, { seed: 0 });
    for (const x of [data.xTest, data.xTrain, withMissing(data.xTest)]) {
      const onnx = await runOnnx(model, x);
      expect(Array.from(onnx.label ?? [])).toEqual(Array.from(model.predict(x)));
      expect(maxAbsDifference(onnx.probabilities ?? [], model.predictProba(x))).toBeLessThanOrEqual(1e-5);
    }
  });
});

describe("random forest classifier", () => {
  it("grows the same forest whatever n_jobs is, and again for the same seed", async () => {
    const fit = (nJobs: number) => createRandomForestClassifier({ n_estimators: 12, n_jobs: nJobs }).fit(WINE.xTrain, WINE.train, { seed: 11 });
    const one = JSON.stringify((await fit(1)).toJson());
    const two = JSON.stringify((await fit(2)).toJson());
    const twoAgain = JSON.stringify((await fit(2)).toJson());
    expect(two).toBe(one);
    expect(twoAgain).toBe(one);
    const otherSeed = await createRandomForestClassifier({ n_estimators: 12, n_jobs: 1 }).fit(WINE.xTrain, WINE.train, { seed: 12 });
    expect(JSON.stringify(otherSeed.toJson())).not.toBe(one);
  });

  it("averages the trees' probabilities and reports progress per tree", async () => {
    const steps: number[] = [];
    const model = await createRandomForestClassifier({ n_estimators: 8, n_jobs: 2 }).fit(BREAST_CANCER.xTrain, BREAST_CANCER.train, {
      seed: 1,
      onProgress: (e) => steps.push(e.step),
    });
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(model.trees).toHaveLength(8);
    const proba = model.predictProba(BREAST_CANCER.xTest);
    for (let r = 0; r < BREAST_CANCER.xTest.rows; r++) {
      expect(proba[2 * r] + proba[2 * r + 1]).toBeCloseTo(1, 12);
      // Fully grown trees have pure leaves: each tree votes 0 or 1, so the mean is a multiple of 1/8.
      expect(proba[2 * r + 1] * 8).toBeCloseTo(Math.round(proba[2 * r + 1] * 8), 9);
    }
  });

  it("has feature importances that sum to 1, led by the features scikit-learn ranks first", async () => {
    const c = WINE.cases.find((k) => k.kind === "forest" && Object.keys(k.params).length === 1);
    const model = await createRandomForestClassifier({ ...c?.params, n_jobs: 1 }).fit(WINE.xTrain, WINE.train, { seed: 0 });
    const importances = model.featureImportances();
    expect(importances).toHaveLength(WINE.xTrain.cols);
    expect(mean(Array.from(importances)) * importances.length).toBeCloseTo(1, 12);
    expect(Math.min(...importances)).toBeGreaterThanOrEqual(0);
    const top = (v: ArrayLike<number>) => new Set(Array.from(v, (x, i) => [x, i]).sort((a, b) => b[0] - a[0]).slice(0, 5).map(([, i]) => i));
    expect(top(importances)).toEqual(top(c?.featureImportances ?? []));
  });

  it("takes random_state over the fit's seed, and its JSON rebuilds it", async () => {
    const a = await createRandomForestClassifier({ n_estimators: 5, n_jobs: 1, random_state: 4 }).fit(WINE.xTrain, WINE.train, { seed: 1 });
    const b = await createRandomForestClassifier({ n_estimators: 5, n_jobs: 1, random_state: 4 }).fit(WINE.xTrain, WINE.train, { seed: 2 });
    expect(JSON.stringify(b.toJson())).toBe(JSON.stringify(a.toJson()));
    const rebuilt = treeModelFromJson(JSON.parse(JSON.stringify(a.toJson())));
    expect(rebuilt.kind).toBe("random_forest_classifier");
    expect(Array.from(rebuilt.predict(WINE.xTest))).toEqual(Array.from(a.predict(WINE.xTest)));
  });

  it("rejects invalid hyperparameters when created", () => {
    expect(() => createRandomForestClassifier({ n_estimators: 0 })).toThrow(/n_estimators/);
    expect(() => createRandomForestClassifier({ max_features: "all" })).toThrow(/max_features/);
    expect(() => createRandomForestClassifier({ n_jobs: 0 })).toThrow(/n_jobs/);
  });
});

describe("random forest regressor", () => {
  const c = DIABETES.cases.find((k) => k.kind === "forest");
  const y = valuesOf(DIABETES.test);

  it("scores like scikit-learn on diabetes", async () => {
    const scores: number[] = [];
    for (const seed of SEEDS) {
      const model = await createRandomForestRegressor({ ...c?.params, n_jobs: 1 }).fit(DIABETES.xTrain, DIABETES.train, { seed });
      scores.push(r2(y, model.predict(DIABETES.xTest)));
    }
    expect(Math.abs(mean(scores) - mean(c?.r2BySeed ?? []))).toBeLessThanOrEqual(0.03);
  });

  it("exports to ONNX with the same predictions, built in workers", async () => {
    const model = await createRandomForestRegressor({ n_estimators: 20, n_jobs: 2 }).fit(DIABETES.xTrain, DIABETES.train, { seed: 0 });
    const x = withMissing(DIABETES.xTest);
    const onnx = await runOnnx(model, x);
    const expected = model.predict(x);
    expect(maxAbsDifference(onnx.prediction ?? [], expected)).toBeLessThanOrEqual(1e-5 * Math.max(...expected.map(Math.abs)));
  });
});
