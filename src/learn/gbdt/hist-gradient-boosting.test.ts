import { describe, expect, it } from "vitest";
import { evaluateClassifier, evaluateRegressor } from "../metrics/index.js";
import type { Matrix, Params, Target } from "../types.js";
import { loadFixture } from "./fixtures/load-fixture.js";
import { createHistGradientBoostingClassifier, createHistGradientBoostingRegressor, histGradientBoostingFromJson } from "./index.js";
import type { FittedHgbClassifier } from "./index.js";
import { createRandom } from "./random.js";

function classification(y: Int32Array, classes = ["0", "1"]): Target {
  return { task: "classification", classes, y };
}

/** n rows of `cols` uniform features; the label is 1 when feature 0 + noise > 0.5. */
function synthetic(n: number, cols: number, seed: number, noise = 0.2): { x: Matrix; y: Int32Array } {
  const random = createRandom(seed);
  const data = Float64Array.from({ length: n * cols }, () => random.next());
  const y = Int32Array.from({ length: n }, (_, r) => (data[r * cols] + noise * (random.next() - 0.5) > 0.5 ? 1 : 0));
  return { x: { rows: n, cols, data }, y };
}

describe("histogram gradient boosting scores as scikit-learn's HistGradientBoosting with the same hyperparameters", () => {
  for (const name of ["breast-cancer", "breast-cancer-missing", "wine"] as const) {
    const fixture = loadFixture(name);
    it.each(fixture.sklearn.map((s) => [JSON.stringify(s.params), s] as const))(`${name} %s: accuracy and AUC within 0.02`, async (_, reference) => {
      const model = await createHistGradientBoostingClassifier(reference.params).fit(fixture.xTrain, fixture.train);
      const test = fixture.test as Extract<Target, { task: "classification" }>;
      const scores = evaluateClassifier(test.y, model.predictProba(fixture.xTest), test.classes);
      expect(Math.abs(scores.accuracy - (reference.accuracy ?? 0))).toBeLessThanOrEqual(0.02);
      expect(Math.abs((scores.roc_auc ?? scores.roc_auc_ovr) - (reference.auc ?? 0))).toBeLessThanOrEqual(0.02);
      expect(model.nIter).toBe(reference.n_iter);
    });
  }

  const diabetes = loadFixture("diabetes");
  it.each(diabetes.sklearn.map((s) => [JSON.stringify(s.params), s] as const))("diabetes %s: R² within 0.02", async (_, reference) => {
    const model = await createHistGradientBoostingRegressor(reference.params).fit(diabetes.xTrain, diabetes.train);
    const scores = evaluateRegressor(diabetes.test.y as Float64Array, model.predict(diabetes.xTest));
    expect(Math.abs(scores.r2 - (reference.r2 ?? 0))).toBeLessThanOrEqual(0.02);
  });
});

describe("createHistGradientBoostingClassifier", () => {
  it("gives the same model, bit for bit, for the same seed, with subsampling and early stopping", async () => {
    const { x, y } = synthetic(600, 4, 1);
    const params = { subsample: 0.7, early_stopping: true, max_iter: 30 };
    const fit = (seed: number) => createHistGradientBoostingClassifier(params).fit(x, classification(y), { seed });
    const [a, b, c] = await Promise.all([fit(7), fit(7), fit(8)]);
    expect(JSON.stringify(a.toJson())).toBe(JSON.stringify(b.toJson()));
    expect(JSON.stringify(a.toJson())).not.toBe(JSON.stringify(c.toJson()));
  });

  it("stops early when the held-out loss stops improving, reporting both losses per iteration", async () => {
    const { x, y } = synthetic(2000, 3, 2, 0.6);
    const events: { step: number; trainLoss?: number; validationLoss?: number }[] = [];
    const model = await createHistGradientBoostingClassifier({ early_stopping: true, n_iter_no_change: 5, max_iter: 500, learning_rate: 0.3 }).fit(x, classification(y), {
      onProgress: (e) => events.push(e),
    });
    expect(model.nIter).toBeLessThan(500);
    expect(events.length).toBe(model.nIter);
    expect(model.validationScore.length).toBe(model.nIter + 1);
    expect(model.trainScore.length).toBe(model.nIter + 1);
    expect(events.every((e) => e.trainLoss !== undefined && e.validationLoss !== undefined)).toBe(true);
    expect(model.validationScore[model.nIter]).toBeCloseTo(-(events.at(-1)?.validationLoss ?? 0), 12);
    // Training loss keeps falling while the held-out loss has stalled.
    expect(model.trainScore[model.nIter]).toBeGreaterThan(model.trainScore[model.nIter - 5]);
  });

  it("runs every iteration without early stopping on small data ('auto'), with no validation scores", async () => {
    const { x, y } = synthetic(300, 2, 3);
    const events: number[] = [];
    const model = await createHistGradientBoostingClassifier({ max_iter: 12 }).fit(x, classification(y), { onProgress: (e) => events.push(e.step) });
    expect(model.nIter).toBe(12);
    expect(events).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(model.validationScore).toEqual([]);
  });

  it("trains and predicts through missing values, sending them to the side the split learned", async () => {
    // Feature 0 decides the label; its missing values belong to class 0, as do its low values.
    const n = 1000;
    const random = createRandom(4);
    const data = new Float64Array(n * 2);
    const y = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const v = random.next();
      const missing = r % 5 === 0;
      data[r * 2] = missing ? Number.NaN : v;
      data[r * 2 + 1] = random.next();
      y[r] = !missing && v > 0.5 ? 1 : 0;
    }
    const model = await createHistGradientBoostingClassifier({ max_iter: 20 }).fit({ rows: n, cols: 2, data }, classification(y));
    const root = model.trees[0][0];
    expect(root.feature[0]).toBe(0);
    expect(root.missingGoesLeft[0]).toBe(1);
    const probe = { rows: 3, cols: 2, data: Float64Array.from([Number.NaN, 0.5, 0.9, 0.5, 0.1, 0.5]) };
    expect(Array.from(model.predict(probe))).toEqual([0, 1, 0]);
  });

  it("learns a split of missing from present values (threshold +Infinity) and keeps it through JSON", async () => {
    const n = 400;
    const data = Float64Array.from({ length: n }, (_, r) => (r % 2 === 0 ? Number.NaN : 1));
    const y = Int32Array.from({ length: n }, (_, r) => (r % 2 === 0 ? 1 : 0));
    const model = await createHistGradientBoostingClassifier({ max_iter: 5 }).fit({ rows: n, cols: 1, data }, classification(y));
    expect(model.trees[0][0].threshold[0]).toBe(Number.POSITIVE_INFINITY);
    const probe = { rows: 3, cols: 1, data: Float64Array.from([Number.NaN, 1, 1e6]) };
    expect(Array.from(model.predict(probe))).toEqual([1, 0, 0]);
    const restored = histGradientBoostingFromJson(JSON.parse(JSON.stringify(model.toJson()))) as FittedHgbClassifier;
    expect(Array.from(restored.predictProba(probe))).toEqual(Array.from(model.predictProba(probe)));
  });

  it("restores from JSON a model that predicts exactly as the original", async () => {
    const fixture = loadFixture("wine");
    const model = await createHistGradientBoostingClassifier({ max_iter: 20 }).fit(fixture.xTrain, fixture.train);
    const restored = histGradientBoostingFromJson(JSON.parse(JSON.stringify(model.toJson())));
    expect(restored.task).toBe("classification");
    expect(Array.from((restored as FittedHgbClassifier).predictProba(fixture.xTest))).toEqual(Array.from(model.predictProba(fixture.xTest)));
    expect(() => histGradientBoostingFromJson({ ...(model.toJson() as object), trees: [[{}]] })).toThrow(/not a saved histogram gradient boosting model/);
  });

  it("ranks the informative feature first in its gain importances, which sum to 1", async () => {
    const { x, y } = synthetic(800, 4, 5, 0.1);
    const model = await createHistGradientBoostingClassifier({ max_iter: 20 }).fit(x, classification(y));
    const importances = Array.from(model.featureImportances());
    expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(importances[0]).toBeGreaterThan(0.8);
  });

  it("grows depthwise and with row subsampling to similar accuracy", async () => {
    const fixture = loadFixture("breast-cancer");
    const test = fixture.test as Extract<Target, { task: "classification" }>;
    const variants: Params[] = [{ grow_policy: "depthwise", max_depth: 4 }, { subsample: 0.5 }];
    for (const params of variants) {
      const model = await createHistGradientBoostingClassifier(params).fit(fixture.xTrain, fixture.train, { seed: 3 });
      expect(evaluateClassifier(test.y, model.predictProba(fixture.xTest), test.classes).accuracy).toBeGreaterThan(0.93);
    }
    const depthwise = await createHistGradientBoostingClassifier({ grow_policy: "depthwise", max_depth: 2, max_iter: 3 }).fit(fixture.xTrain, fixture.train);
    for (const tree of depthwise.trees.flat()) expect(tree.feature.length).toBeLessThanOrEqual(7);
  });

  it("shows its hyperparameters under scikit-learn's names with scikit-learn's defaults", () => {
    const learner = createHistGradientBoostingClassifier({ max_iter: 50 });
    expect(learner.params).toMatchObject({
      loss: "log_loss",
      learning_rate: 0.1,
      max_iter: 50,
      max_leaf_nodes: 31,
      max_depth: null,
      min_samples_leaf: 20,
      l2_regularization: 0,
      max_bins: 255,
      early_stopping: "auto",
      validation_fraction: 0.1,
      n_iter_no_change: 10,
      tol: 1e-7,
      scoring: "loss",
      subsample: 1,
      grow_policy: "lossguide",
    });
  });

  it("rejects unknown or bad hyperparameters and targets of the wrong kind, saying what is accepted", async () => {
    expect(() => createHistGradientBoostingClassifier({ n_estimators: 10 })).toThrow(/no parameter 'n_estimators'.*max_iter/);
    expect(() => createHistGradientBoostingClassifier({ max_bins: 256 })).toThrow(/max_bins' must be an integer from 2 to 255/);
    expect(() => createHistGradientBoostingClassifier({ loss: "squared_error" })).toThrow(/"log_loss"/);
    expect(() => createHistGradientBoostingRegressor({ grow_policy: "leafwise" })).toThrow(/"lossguide" or "depthwise"/);
    const x = { rows: 2, cols: 1, data: Float64Array.from([1, 2]) };
    await expect(createHistGradientBoostingClassifier().fit(x, { task: "regression", y: Float64Array.from([1, 2]) })).rejects.toThrow(/classification target/);
    await expect(createHistGradientBoostingRegressor().fit(x, { task: "regression", y: Float64Array.from([1, Number.NaN]) })).rejects.toThrow(/row 1/);
  });
});
