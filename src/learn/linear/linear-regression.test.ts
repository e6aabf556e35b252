import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { createOnnxModelBuilder } from "../onnx/graph-builder.js";
import type { Matrix, Params } from "../types.js";
import { linearRegressorFromJson } from "./fitted-linear-regression.js";
import { createLinearRegression, createRidge } from "./linear-regression.js";

interface Dataset {
  rows: number;
  cols: number;
  x: number[];
  y: number[];
}
interface Case {
  name: string;
  learner: "LinearRegression" | "Ridge";
  dataset: string;
  params: Params;
  coef: number[];
  intercept: number;
  predict: number[];
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/linear-regression.json", import.meta.url), "utf8")) as {
  datasets: Record<string, Dataset>;
  cases: Case[];
};

function dataOf(name: string): { x: Matrix; y: Float64Array } {
  const d = fixture.datasets[name];
  return { x: { rows: d.rows, cols: d.cols, data: Float64Array.from(d.x) }, y: Float64Array.from(d.y) };
}

const learnerOf = (c: Case) => (c.learner === "Ridge" ? createRidge(c.params) : createLinearRegression(c.params));
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe("linear regression and ridge against scikit-learn 1.2 (fixtures/make-fixtures.py)", () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s: same coefficients and predictions", async (_, c) => {
    const { x, y } = dataOf(c.dataset);
    const model = await learnerOf(c).fit(x, { task: "regression", y });
    const scale = Math.max(...c.coef.map(Math.abs));
    expect(maxAbsDiff(model.coef, c.coef) / scale).toBeLessThan(1e-8);
    expect(Math.abs(model.intercept - c.intercept)).toBeLessThan(1e-8 * Math.max(1, Math.abs(c.intercept)));
    expect(maxAbsDiff(model.predict(x), c.predict)).toBeLessThan(1e-8 * Math.max(...c.predict.map(Math.abs)));
  });
});

describe("createLinearRegression / createRidge", () => {
  const diabetes = dataOf("diabetes");

  it("exports an ONNX LinearRegressor that predicts as in process", async () => {
    for (const learner of [createLinearRegression(), createRidge({ alpha: 0.5 })]) {
      const model = await learner.fit(diabetes.x, { task: "regression", y: diabetes.y });
      const graph = createOnnxModelBuilder(model.kind);
      const { prediction } = model.toOnnx(graph, "input");
      const bytes = graph.finish([{ name: "input", type: "float", shape: ["N", model.featureCount] }], [{ name: prediction, type: "float", shape: ["N", 1] }]);
      const session = await ort.InferenceSession.create(bytes);
      const result = await session.run({ input: new ort.Tensor("float32", Float32Array.from(diabetes.x.data), [diabetes.x.rows, diabetes.x.cols]) });
      expect(result[prediction].dims).toEqual([diabetes.x.rows, 1]);
      const expected = model.predict(diabetes.x);
      const onnx = result[prediction].data as Float32Array;
      // float32 arithmetic on predictions around 150: relative agreement is what float32 can promise.
      for (let i = 0; i < expected.length; i++) expect(Math.abs(onnx[i] - expected[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected[i])));
    }
  });

  it("round-trips through JSON bit for bit", async () => {
    const model = await createRidge().fit(diabetes.x, { task: "regression", y: diabetes.y });
    const restored = linearRegressorFromJson(JSON.parse(JSON.stringify(model.toJson())));
    expect(restored.kind).toBe("ridge");
    expect(Buffer.from(restored.predict(diabetes.x).buffer)).toEqual(Buffer.from(model.predict(diabetes.x).buffer));
    expect(() => linearRegressorFromJson({ kind: "ridge", version: 1, featureCount: 3, coef: [1, 2], intercept: 0 })).toThrow(/coef must hold 3 finite numbers/);
  });

  it("reports the training mean squared error once", async () => {
    const events: { step: number; total: number; trainLoss?: number }[] = [];
    await createLinearRegression().fit(diabetes.x, { task: "regression", y: diabetes.y }, { onProgress: (e) => events.push(e) });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ step: 1, total: 1 });
    expect(events[0].trainLoss).toBeGreaterThan(2800);
    expect(events[0].trainLoss).toBeLessThan(2900);
  });

  it("gives a constant column no weight", async () => {
    const x: Matrix = { rows: 4, cols: 2, data: Float64Array.from([1, 5, 2, 5, 3, 5, 4, 5]) };
    const model = await createLinearRegression().fit(x, { task: "regression", y: Float64Array.from([3, 5, 7, 9]) });
    expect(Array.from(model.coef)).toEqual([2, 0]);
    expect(model.intercept).toBeCloseTo(1, 12);
  });

  it("rejects missing values, classification targets and bad params", async () => {
    const data = Float64Array.from(diabetes.x.data);
    data[3] = NaN;
    const error = await createRidge()
      .fit({ ...diabetes.x, data }, { task: "regression", y: diabetes.y })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).message).toMatch(/ridge cannot use missing values \(NaN at row 0, column 3\); impute them first/);
    await expect(createLinearRegression().fit(diabetes.x, { task: "classification", classes: ["a", "b"], y: new Int32Array(diabetes.x.rows) })).rejects.toThrow(
      /needs a numeric \(regression\) target/,
    );
    const y = Float64Array.from(diabetes.y);
    y[7] = NaN;
    await expect(createLinearRegression().fit(diabetes.x, { task: "regression", y })).rejects.toThrow(/target is NaN at row 7/);
    expect(() => createRidge({ alpha: -1 })).toThrow(/ridge parameter 'alpha' must be a number >= 0, got -1/);
    expect(() => createLinearRegression({ alpha: 1 })).toThrow(/linear_regression has no parameter 'alpha'; accepted parameters: fit_intercept/);
  });
});
