import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { createOnnxModelBuilder } from "../onnx/graph-builder.js";
import type { FittedClassifier, FittedRegressor, Matrix } from "../types.js";
import { loadFixture } from "./fixtures/load-fixture.js";
import { createHistGradientBoostingClassifier, createHistGradientBoostingRegressor } from "./index.js";

async function runOnnx(bytes: Uint8Array, x: Matrix): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run({ features: new ort.Tensor("float32", Float32Array.from(x.data), [x.rows, x.cols]) });
  } finally {
    await session.release();
  }
}

async function classifierOutputs(model: FittedClassifier, x: Matrix): Promise<{ labels: number[]; probabilities: Float32Array }> {
  const graph = createOnnxModelBuilder("hgb");
  const { label, probabilities } = model.toOnnx(graph, "features");
  const bytes = graph.finish(
    [{ name: "features", type: "float", shape: ["N", x.cols] }],
    [
      { name: label, type: "int64", shape: ["N"] },
      { name: probabilities, type: "float", shape: ["N", model.classes.length] },
    ],
  );
  const out = await runOnnx(bytes, x);
  return { labels: Array.from(out[label].data as BigInt64Array, Number), probabilities: out[probabilities].data as Float32Array };
}

describe("histogram gradient boosting in onnxruntime", () => {
  it.each(["breast-cancer", "breast-cancer-missing", "wine"] as const)("gives %s's held-out labels, and probabilities within 1e-5", async (name) => {
    const fixture = loadFixture(name);
    const model = await createHistGradientBoostingClassifier().fit(fixture.xTrain, fixture.train);
    const onnx = await classifierOutputs(model, fixture.xTest);
    expect(onnx.labels).toEqual(Array.from(model.predict(fixture.xTest)));
    const proba = model.predictProba(fixture.xTest);
    let worst = 0;
    for (let i = 0; i < proba.length; i++) worst = Math.max(worst, Math.abs(proba[i] - onnx.probabilities[i]));
    expect(worst).toBeLessThan(1e-5);
  });

  it("gives the regressor's held-out predictions within float32 precision (1e-5 relative)", async () => {
    const fixture = loadFixture("diabetes");
    const model: FittedRegressor = await createHistGradientBoostingRegressor().fit(fixture.xTrain, fixture.train);
    const graph = createOnnxModelBuilder("hgb");
    const { prediction } = model.toOnnx(graph, "features");
    const bytes = graph.finish([{ name: "features", type: "float", shape: ["N", fixture.xTest.cols] }], [{ name: prediction, type: "float", shape: ["N", 1] }]);
    const onnx = (await runOnnx(bytes, fixture.xTest))[prediction].data as Float32Array;
    const expected = model.predict(fixture.xTest);
    expect(onnx.length).toBe(expected.length);
    // Targets here are 25–346: float32 itself only holds them to about 1e-5 absolute, hence a relative bound.
    for (let i = 0; i < expected.length; i++) expect(Math.abs(onnx[i] - expected[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected[i])));
  });

  it("routes rows lying exactly on a threshold, and missing values, as the model does", async () => {
    const fixture = loadFixture("breast-cancer-missing");
    const model = await createHistGradientBoostingClassifier({ max_iter: 30 }).fit(fixture.xTrain, fixture.train);
    // Probe rows built from the model's own thresholds and their float32 neighbours, NaN in every third column.
    const cols = fixture.xTrain.cols;
    const rows: number[] = [];
    for (const tree of model.trees.flat().slice(0, 10)) {
      for (let node = 0; node < tree.feature.length; node++) {
        if (tree.feature[node] < 0 || !Number.isFinite(tree.threshold[node])) continue;
        for (const v of [tree.threshold[node], tree.threshold[node] * (1 + 1e-7), tree.threshold[node] * (1 - 1e-7)]) {
          const row = Array.from(fixture.xTest.data.subarray(0, cols));
          row[tree.feature[node]] = v;
          rows.push(...row);
        }
      }
    }
    const probe = { rows: rows.length / cols, cols, data: Float64Array.from(rows) };
    const onnx = await classifierOutputs(model, probe);
    expect(onnx.labels).toEqual(Array.from(model.predict(probe)));
    const proba = model.predictProba(probe);
    for (let i = 0; i < proba.length; i++) expect(Math.abs(proba[i] - onnx.probabilities[i])).toBeLessThan(1e-5);
  });
});
