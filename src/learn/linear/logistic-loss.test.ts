import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Matrix } from "../types.js";
import { minimizeLbfgs } from "./lbfgs.js";
import { logisticObjective, type LogisticProblem } from "./logistic-loss.js";

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
