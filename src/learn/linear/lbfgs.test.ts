import { describe, expect, it } from "vitest";
import { minimizeLbfgs, type Objective } from "./lbfgs.js";

const rosenbrock: Objective = (x, g) => {
  const [a, b] = [x[0], x[1]];
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

describe("minimizeLbfgs", () => {
  it("finds the minimum of the Rosenbrock valley", () => {
    const result = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIter: 200, gtol: 1e-10, ftol: 0 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 8);
    expect(result.x[1]).toBeCloseTo(1, 8);
  });

  it("solves an ill-scaled quadratic to the gradient tolerance", () => {
    const scales = [1, 10, 100, 1000, 1e4];
    const quadratic: Objective = (x, g) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        g[i] = scales[i] * (x[i] - i);
        f += 0.5 * scales[i] * (x[i] - i) ** 2;
      }
      return f;
    };
    const x0 = new Float64Array(5);
    const result = minimizeLbfgs(quadratic, x0, { maxIter: 100, gtol: 1e-9, ftol: 0 });
    expect(Array.from(result.x, (v) => Number(v.toFixed(8)))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(x0)).toEqual([0, 0, 0, 0, 0]);
  });

  it("says it did not converge when the iteration budget runs out, and reports each iteration", () => {
    const seen: number[] = [];
    const result = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIter: 3, gtol: 1e-10, onIteration: (i, f) => seen.push(i, f) });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(3);
    expect(seen.filter((_, i) => i % 2 === 0)).toEqual([1, 2, 3]);
    const values = seen.filter((_, i) => i % 2 === 1);
    expect(values[2]).toBeLessThan(values[0]);
  });

  it("stops at once when the start is already optimal", () => {
    const result = minimizeLbfgs(rosenbrock, Float64Array.from([1, 1]), { maxIter: 10, gtol: 1e-5 });
    expect(result).toMatchObject({ iterations: 0, converged: true, f: 0 });
  });
});
