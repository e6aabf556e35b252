import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Matrix } from "../types.js";
import { minimizeLbfgs } from "./lbfgs.js";
import { logisticObjective, parallelLogisticObjective, type LogisticProblem } from "./logistic-loss.js";

interface Dataset {
  rows: number;
  cols: number;
  x: number[];
  y: number[];
}
interface Case {
  name: string;
  dataset: string;
  params: { C?: number; fit_intercept?: boolean; penalty?: string };
  classCount: number;
  optimum: { coef: number[][]; intercept: number[]; objective: number };
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/logistic-regression.json", import.meta.url), "utf8")) as {
  datasets: Record<string, Dataset>;
  cases: Case[];
};

function problemOf(c: Case): LogisticProblem {
  const d = fixture.datasets[c.dataset];
  const x: Matrix = { rows: d.rows, cols: d.cols, data: Float64Array.from(d.x) };
  return {
    x,
    y: Int32Array.from(d.y),
    modelRows: c.classCount > 2 ? c.classCount : 1,
    fitIntercept: c.params.fit_intercept ?? true,
    l2: c.params.penalty === "none" ? 0 : 1 / (c.params.C ?? 1),
  };
}

/** sklearn's optimum in Keel's parameter layout: per model row, the weights then the intercept. */
function packed(c: Case, fitIntercept: boolean): Float64Array {
  return Float64Array.from(c.optimum.coef.flatMap((row, k) => (fitIntercept ? [...row, c.optimum.intercept[k]] : row)));
}

describe("logisticObjective", () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))("is scikit-learn's objective, with its minimiser (%s)", (_, c) => {
    const problem = problemOf(c);
    const { objective } = logisticObjective(problem);
    const optimum = packed(c, problem.fitIntercept);
    const grad = new Float64Array(optimum.length);
    expect(objective(optimum, grad)).toBeCloseTo(c.optimum.objective, 9);

    const result = minimizeLbfgs(objective, new Float64Array(optimum.length), { maxIter: 1000, gtol: 1e-9, ftol: 0 });
    const scale = Math.max(...optimum.map(Math.abs));
    const worst = Math.max(...result.x.map((v, i) => Math.abs(v - optimum[i])));
    expect(worst / scale).toBeLessThan(1e-6);
  });

  it("has the gradient of its value (central differences)", () => {
    const c = fixture.cases.find((k) => k.classCount === 3)!;
    const { objective } = logisticObjective(problemOf(c));
    const w = packed(c, true).map((v, i) => v + 0.01 * Math.sin(i));
    const grad = new Float64Array(w.length);
    objective(w, grad);
    const scratch = new Float64Array(w.length);
    for (const i of [0, 3, 4, 7, w.length - 1]) {
      const h = 1e-6;
      const plus = Float64Array.from(w);
      const minus = Float64Array.from(w);
      plus[i] += h;
      minus[i] -= h;
      const numeric = (objective(plus, scratch) - objective(minus, scratch)) / (2 * h);
      expect(Math.abs(numeric - grad[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(grad[i])));
    }
  });

  it("reports the mean log loss without the penalty", () => {
    const c = fixture.cases[0];
    const problem = problemOf(c);
    const loss = logisticObjective(problem);
    const w = new Float64Array(problem.x.cols + 1);
    loss.objective(w, new Float64Array(w.length));
    expect(loss.lastMeanLogLoss()).toBeCloseTo(Math.LN2, 12);
  });
});

describe("parallelLogisticObjective", () => {
  const rows = 3001;
  const cols = 5;
  const x = { rows, cols, data: Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.37) * 3) };
  const evaluate = async (modelRows: number, useWorker: boolean, parallelMinValues: number) => {
    const y = Int32Array.from({ length: rows }, (_, i) => (modelRows === 1 ? (Math.cos(i) > 0 ? 1 : 0) : i % modelRows));
    const objective = await parallelLogisticObjective({ x, y, modelRows, fitIntercept: true, l2: 0.5 }, { parallelMinValues, useWorker });
    try {
      const w = Float64Array.from({ length: modelRows * (cols + 1) }, (_, i) => (i % 7) / 10 - 0.3);
      const grad = new Float64Array(w.length);
      const loss = objective.objective(w, grad);
      return { loss, grad: Array.from(grad), threads: objective.threads };
    } finally {
      await objective.close();
    }
  };

  it.each([1, 3])("gives the same loss and gradient bit for bit with the worker thread as on one thread (%i model rows)", async (modelRows) => {
    const [withWorker, alone, onePass] = [await evaluate(modelRows, true, 0), await evaluate(modelRows, false, 0), await evaluate(modelRows, true, Number.POSITIVE_INFINITY)];
    if (availableParallelism() > 1) expect(withWorker.threads).toBe(2);
    expect(withWorker.loss).toBe(alone.loss);
    expect(withWorker.grad).toEqual(alone.grad);
    // Two halves added differ from one pass only by rounding.
    expect(withWorker.loss).toBeCloseTo(onePass.loss, 8);
    withWorker.grad.forEach((g, i) => expect(g).toBeCloseTo(onePass.grad[i], 8));
  });
});
