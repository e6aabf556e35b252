import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { createOnnxModelBuilder } from "../onnx/graph-builder.js";
import type { FittedClassifier, Matrix, Params } from "../types.js";
import { logisticRegressionFromJson } from "./fitted-logistic-regression.js";
import { createLogisticRegression } from "./logistic-regression.js";

interface Dataset {
  rows: number;
  cols: number;
  x: number[];
  y: number[];
}
const { datasets } = JSON.parse(readFileSync(new URL("./fixtures/logistic-regression.json", import.meta.url), "utf8")) as { datasets: Record<string, Dataset> };

/** Every fifth row held out; the rest trains. */
function split(name: string): { train: Matrix; test: Matrix; y: Int32Array; classes: string[] } {
  const d = datasets[name];
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let i = 0; i < d.rows; i++) (i % 5 === 4 ? testRows : trainRows).push(i);
  const take = (rows: number[]): Matrix => ({ rows: rows.length, cols: d.cols, data: Float64Array.from(rows.flatMap((r) => d.x.slice(r * d.cols, (r + 1) * d.cols))) });
  const classCount = Math.max(...d.y) + 1;
  return { train: take(trainRows), test: take(testRows), y: Int32Array.from(trainRows.map((r) => d.y[r])), classes: Array.from({ length: classCount }, (_, i) => `c${i}`) };
}

async function runOnnx(model: FittedClassifier, x: Matrix): Promise<{ label: BigInt64Array; probabilities: Float32Array; dims: readonly number[] }> {
  const graph = createOnnxModelBuilder("logistic_regression");
  const out = model.toOnnx(graph, "input");
  const bytes = graph.finish(
    [{ name: "input", type: "float", shape: ["N", model.featureCount] }],
    [
      { name: out.label, type: "int64", shape: ["N"] },
      { name: out.probabilities, type: "float", shape: ["N", model.classes.length] },
    ],
  );
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ input: new ort.Tensor("float32", Float32Array.from(x.data), [x.rows, x.cols]) });
  const label = result[out.label];
  const probabilities = result[out.probabilities];
  expect(label.dims).toEqual([x.rows]);
  return { label: label.data as BigInt64Array, probabilities: probabilities.data as Float32Array, dims: probabilities.dims };
}

describe("logistic regression ONNX export (LinearClassifier in onnxruntime-node)", () => {
  it.each<[string, string, Params]>([
    ["binary", "breast_cancer", {}],
    ["binary without intercept", "breast_cancer", { fit_intercept: false, C: 0.05 }],
    ["binary as a two-class softmax", "breast_cancer", { multi_class: "multinomial" }],
    ["3-class multinomial", "wine", { C: 0.5 }],
    ["3-class multinomial", "iris", {}],
  ])("%s (%s): labels equal and probabilities within 1e-5 on held-out rows", async (_, name, params) => {
    const { train, test, y, classes } = split(name);
    const model = await createLogisticRegression(params).fit(train, { task: "classification", classes, y });
    const onnx = await runOnnx(model, test);
    expect(onnx.dims).toEqual([test.rows, classes.length]);
    expect(Array.from(onnx.label, Number)).toEqual(Array.from(model.predict(test)));
    const proba = model.predictProba(test);
    const worst = Math.max(...Array.from(proba, (p, i) => Math.abs(p - onnx.probabilities[i])));
    expect(worst).toBeLessThan(1e-5);
  });

  it("exports the same graph from a model restored from JSON", async () => {
    const { train, test, y, classes } = split("wine");
    const model = await createLogisticRegression().fit(train, { task: "classification", classes, y });
    const restored = logisticRegressionFromJson(JSON.parse(JSON.stringify(model.toJson())));
    const [a, b] = [await runOnnx(model, test), await runOnnx(restored, test)];
    expect(Array.from(b.probabilities)).toEqual(Array.from(a.probabilities));
  });
});
