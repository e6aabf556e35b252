import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import type { Matrix, Params, Target } from "../types.js";
import { logisticRegressionFromJson } from "./fitted-logistic-regression.js";
import { createLogisticRegression } from "./logistic-regression.js";

interface Dataset {
  rows: number;
  cols: number;
  x: number[];
  y: number[];
}
interface Fit {
  coef: number[][];
  intercept: number[];
  objective: number;
}
interface Case {
  name: string;
  dataset: string;
  params: Params;
  classCount: number;
  sklearn: Fit & { proba: number[]; predict: number[] };
  optimum: Fit;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/logistic-regression.json", import.meta.url), "utf8")) as {
  datasets: Record<string, Dataset>;
  cases: Case[];
};

function dataOf(c: Case): { x: Matrix; target: Target & { task: "classification" } } {
  const d = fixture.datasets[c.dataset];
  const classes = Array.from({ length: c.classCount }, (_, i) => `class ${i}`);
  return { x: { rows: d.rows, cols: d.cols, data: Float64Array.from(d.x) }, target: { task: "classification", classes, y: Int32Array.from(d.y) } };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe("createLogisticRegression against scikit-learn 1.2 (fixtures/make-fixtures.py)", () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s: same coefficients, labels and probabilities", async (_, c) => {
    const { x, target } = dataOf(c);
    const model = await createLogisticRegression(c.params).fit(x, target);
    const sk = c.sklearn;
    const scale = Math.max(...sk.coef.flat().map(Math.abs));
    expect(maxAbsDiff(model.coef, sk.coef.flat()) / scale).toBeLessThan(1e-4);
    expect(maxAbsDiff(model.intercept, sk.intercept) / scale).toBeLessThan(1e-4);
    expect(Array.from(model.predict(x))).toEqual(sk.predict);
    // Both stop where scipy's rules stop L-BFGS, a few 1e-5 short of the exact optimum; they stop together.
    expect(maxAbsDiff(model.predictProba(x), sk.proba)).toBeLessThan(1e-5);
    expect(model.converged).toBe(true);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s: reaches the optimum's objective to 1e-8", async (_, c) => {
    const { x, target } = dataOf(c);
    const model = await createLogisticRegression(c.params).fit(x, target);
    const proba = model.predictProba(x);
    let objective = 0;
    for (let i = 0; i < x.rows; i++) objective -= Math.log(proba[i * c.classCount + target.y[i]]);
    if (c.params.penalty !== "none") objective += (0.5 / ((c.params.C as number | undefined) ?? 1)) * model.coef.reduce((s, v) => s + v * v, 0);
    expect(Math.abs(objective - c.optimum.objective) / c.optimum.objective).toBeLessThan(1e-8);
  });
});

describe("createLogisticRegression", () => {
  const cancer = dataOf(fixture.cases[0]);
  const wine = dataOf(fixture.cases.find((c) => c.dataset === "wine")!);

  it("gives bit-identical models from identical inputs", async () => {
    const a = await createLogisticRegression().fit(wine.x, wine.target);
    const b = await createLogisticRegression().fit(wine.x, wine.target);
    expect(Buffer.from(b.coef.buffer)).toEqual(Buffer.from(a.coef.buffer));
    expect(Buffer.from(b.predictProba(wine.x).buffer)).toEqual(Buffer.from(a.predictProba(wine.x).buffer));
  });

  it("reports each iteration with a falling training log loss", async () => {
    const events: { step: number; total: number; trainLoss?: number }[] = [];
    const model = await createLogisticRegression({ max_iter: 50 }).fit(cancer.x, cancer.target, { onProgress: (e) => events.push(e) });
    expect(events.map((e) => e.step)).toEqual(Array.from({ length: model.nIter }, (_, i) => i + 1));
    expect(events.every((e) => e.total === 50)).toBe(true);
    expect(events[0].trainLoss).toBeLessThan(Math.LN2);
    expect(events.at(-1)!.trainLoss).toBeLessThan(events[0].trainLoss!);
  });

  it("says when max_iter ran out before convergence", async () => {
    const model = await createLogisticRegression({ max_iter: 3 }).fit(cancer.x, cancer.target);
    expect(model).toMatchObject({ nIter: 3, converged: false });
  });

  it("fits a two-class softmax when multi_class is multinomial", async () => {
    const model = await createLogisticRegression({ multi_class: "multinomial" }).fit(cancer.x, cancer.target);
    expect(model.multinomial).toBe(true);
    expect(model.coef.length).toBe(2 * cancer.x.cols);
    const binary = await createLogisticRegression().fit(cancer.x, cancer.target);
    expect(Array.from(model.predict(cancer.x))).toEqual(Array.from(binary.predict(cancer.x)));
  });

  it("round-trips through JSON to the same predictions", async () => {
    for (const { x, target } of [cancer, wine]) {
      const model = await createLogisticRegression().fit(x, target);
      const restored = logisticRegressionFromJson(JSON.parse(JSON.stringify(model.toJson())));
      expect(restored.classes).toEqual(target.classes);
      expect(Buffer.from(restored.predictProba(x).buffer)).toEqual(Buffer.from(model.predictProba(x).buffer));
    }
    expect(() => logisticRegressionFromJson({ kind: "logistic_regression", version: 1, classes: ["a", "b"], featureCount: 2, coef: [[1]], intercept: [0], nIter: 1, converged: true })).toThrow(
      /each coef row must hold 2 finite numbers/,
    );
  });

  it("ranks features by normalised |coef|", async () => {
    const model = await createLogisticRegression().fit(wine.x, wine.target);
    const importances = model.featureImportances();
    expect(importances.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    const summed = Array.from({ length: wine.x.cols }, (_, j) => [0, 1, 2].reduce((s, k) => s + Math.abs(model.coef[k * wine.x.cols + j]), 0));
    expect(importances.indexOf(Math.max(...importances))).toBe(summed.indexOf(Math.max(...summed)));
  });

  it("rejects missing values, telling the user to impute", async () => {
    const data = Float64Array.from(cancer.x.data);
    data[5 * cancer.x.cols + 2] = NaN;
    const fit = createLogisticRegression().fit({ ...cancer.x, data }, cancer.target);
    await expect(fit).rejects.toThrow(KeelError);
    await expect(fit).rejects.toThrow(/missing values \(NaN at row 5, column 2\); impute them first/);
    const model = await createLogisticRegression().fit(cancer.x, cancer.target);
    expect(() => model.predict({ ...cancer.x, data })).toThrow(/impute/);
    expect(() => model.predict({ rows: 1, cols: 3, data: new Float64Array(3) })).toThrow(/trained on 30 features but got a matrix with 3 columns/);
  });

  it("rejects targets it cannot fit", async () => {
    const lr = createLogisticRegression();
    await expect(lr.fit(cancer.x, { task: "regression", y: new Float64Array(cancer.x.rows) })).rejects.toThrow(/needs a classification target/);
    await expect(lr.fit(cancer.x, { ...cancer.target, classes: ["a", "b", "c"] })).rejects.toThrow(/class 'c' has no training rows/);
    await expect(lr.fit(cancer.x, { ...cancer.target, classes: ["only"] })).rejects.toThrow(/at least two classes/);
  });

  it.each<[Params, RegExp]>([
    [{ c: 0.5 }, /logistic_regression has no parameter 'c'; accepted parameters: C, fit_intercept, max_iter, multi_class, penalty, random_state, solver, tol/],
    [{ C: "0.5" }, /parameter 'C' must be a positive number, got "0.5"/],
    [{ C: 0 }, /parameter 'C' must be a positive number, got 0/],
    [{ penalty: "l1" }, /parameter 'penalty' must be one of "l2", "none", null, got "l1"/],
    [{ max_iter: 2.5 }, /'max_iter' must be a positive integer/],
    [{ fit_intercept: 1 }, /'fit_intercept' must be true or false/],
    [{ solver: "saga" }, /'solver' must be one of "lbfgs"/],
  ])("rejects bad params %j", (params, message) => {
    expect(() => createLogisticRegression(params)).toThrow(message);
    try {
      createLogisticRegression(params);
    } catch (error) {
      expect((error as KeelError).code).toBe("INVALID_PARAMETER_VALUE");
    }
  });

  it("exposes every hyperparameter, defaults filled in", () => {
    expect(createLogisticRegression({ C: 2, penalty: null }).params).toEqual({
      C: 2,
      fit_intercept: true,
      max_iter: 100,
      multi_class: "auto",
      penalty: null,
      random_state: null,
      solver: "lbfgs",
      tol: 1e-4,
    });
  });
});
