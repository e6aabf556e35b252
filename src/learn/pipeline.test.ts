import { describe, expect, it } from "vitest";
import type { Frame } from "../core/frame.js";
import { churnTable } from "./data/fixtures/churn-table.js";
import { runPipelineOnnx } from "./data/fixtures/run-pipeline-onnx.js";
import { frameFromColumns, numberColumn, stringColumn } from "./data/frame-columns.js";
import type { FittedClassificationPipeline, FittedRegressionPipeline } from "./pipeline.js";
import { createPipeline, pipelineFromJson } from "./pipeline.js";
import { takeRows, trainTestSplit } from "./split.js";
import type { FittedClassifier, FittedModel, FittedRegressor, Learner, Matrix, OnnxGraphBuilder, Target } from "./types.js";

/**
 * A tiny softmax classifier for these tests: one weight row per class (the class's mean feature vector, so
 * "nearest centroid" in spirit), exported as MatMul → Add → Softmax and ArgMax.
 */
function centroidClassifier(classes: readonly string[], weights: Float64Array, bias: Float64Array, featureCount: number): FittedClassifier {
  const k = classes.length;
  const predictProba = (x: Matrix): Float64Array => {
    const out = new Float64Array(x.rows * k);
    for (let r = 0; r < x.rows; r++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        let s = bias[c];
        for (let j = 0; j < featureCount; j++) s += x.data[r * featureCount + j] * weights[c * featureCount + j];
        out[r * k + c] = s;
        max = Math.max(max, s);
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += out[r * k + c] = Math.exp(out[r * k + c] - max);
      for (let c = 0; c < k; c++) out[r * k + c] /= sum;
    }
    return out;
  };
  return {
    task: "classification",
    kind: "test_centroid",
    classes,
    featureCount,
    predictProba,
    predict(x) {
      const p = predictProba(x);
      return Int32Array.from({ length: x.rows }, (_, r) => {
        let best = 0;
        for (let c = 1; c < k; c++) if (p[r * k + c] > p[r * k + best]) best = c;
        return best;
      });
    },
    toOnnx(graph: OnnxGraphBuilder, input: string) {
      const transposed = Float32Array.from({ length: featureCount * k }, (_, i) => weights[(i % k) * featureCount + Math.floor(i / k)]);
      const w = graph.initializer("w", [featureCount, k], transposed);
      const b = graph.initializer("b", [k], Float32Array.from(bias));
      const scores = graph.name("scores");
      const biased = graph.name("biased");
      const probabilities = graph.name("probabilities");
      const label = graph.name("label");
      graph.node("MatMul", [input, w], [scores]);
      graph.node("Add", [scores, b], [biased]);
      graph.node("Softmax", [biased], [probabilities], { axis: { int: 1 } });
      graph.node("ArgMax", [biased], [label], { axis: { int: 1 }, keepdims: { int: 0 } });
      return { label, probabilities };
    },
    toJson: () => ({ classes, weights: Array.from(weights), bias: Array.from(bias), featureCount }),
  };
}

function centroidFromJson(json: unknown): FittedModel {
  const j = json as { classes: string[]; weights: number[]; bias: number[]; featureCount: number };
  return centroidClassifier(j.classes, Float64Array.from(j.weights), Float64Array.from(j.bias), j.featureCount);
}

const centroidLearner: Learner = {
  kind: "test_centroid",
  params: {},
  async fit(x: Matrix, target: Target) {
    if (target.task !== "classification") throw new Error("classification only");
    const k = target.classes.length;
    const weights = new Float64Array(k * x.cols);
    const counts = new Float64Array(k);
    for (let r = 0; r < x.rows; r++) {
      counts[target.y[r]]++;
      for (let j = 0; j < x.cols; j++) weights[target.y[r] * x.cols + j] += x.data[r * x.cols + j];
    }
    const bias = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < x.cols; j++) {
        weights[c * x.cols + j] /= counts[c];
        bias[c] -= weights[c * x.cols + j] ** 2 / 2;
      }
    }
    return centroidClassifier(target.classes, weights, bias, x.cols);
  },
};

/** A tiny linear regressor: each feature's own least-squares slope, averaged, exported as MatMul → Add. */
const slopeLearner: Learner = {
  kind: "test_slopes",
  params: {},
  async fit(x: Matrix, target: Target): Promise<FittedRegressor> {
    if (target.task !== "regression") throw new Error("regression only");
    const mean = (f: (r: number) => number): number => Array.from({ length: x.rows }, (_, r) => f(r)).reduce((a, b) => a + b, 0) / x.rows;
    const yMean = mean((r) => target.y[r]);
    const w = Float64Array.from({ length: x.cols }, (_, j) => {
      const xMean = mean((r) => x.data[r * x.cols + j]);
      const cov = mean((r) => (x.data[r * x.cols + j] - xMean) * (target.y[r] - yMean));
      const variance = mean((r) => (x.data[r * x.cols + j] - xMean) ** 2);
      return variance > 0 ? cov / variance / x.cols : 0;
    });
    const b = yMean - w.reduce((s, wj, j) => s + wj * mean((r) => x.data[r * x.cols + j]), 0);
    return {
      task: "regression",
      kind: "test_slopes",
      featureCount: x.cols,
      predict: (m) => Float64Array.from({ length: m.rows }, (_, r) => w.reduce((s, wj, j) => s + wj * m.data[r * m.cols + j], b)),
      toOnnx(graph, input) {
        const weights = graph.initializer("w", [x.cols, 1], Float32Array.from(w));
        const bias = graph.initializer("b", [1], Float32Array.from([b]));
        const product = graph.name("product");
        const prediction = graph.name("prediction");
        graph.node("MatMul", [input, weights], [product]);
        graph.node("Add", [product, bias], [prediction]);
        return { prediction };
      },
      toJson: () => ({ w: Array.from(w), b }),
    };
  },
};

/** Held-out rows made harder: a plan never seen in training, a missing region (never missing in training). */
function withSurprises(frame: Frame): Frame {
  return frameFromColumns(
    frame.columns.map((c) => {
      if (c.kind !== "string") return c;
      if (c.name === "plan") return stringColumn("plan", c.values.map((v, r) => (r % 5 === 0 ? "platinum" : v)));
      if (c.name === "region") return stringColumn("region", c.values.map((v, r) => (r % 7 === 3 ? null : v)));
      return c;
    }),
  );
}

async function fitChurn(): Promise<{ fitted: FittedClassificationPipeline; test: Frame }> {
  const table = churnTable(300).columns.filter((c) => c.name !== "segment" && c.name !== "spend");
  const frame = frameFromColumns(table);
  const churn = frame.columns.find((c) => c.name === "churn")?.values as string[];
  const split = trainTestSplit(frame.rowCount, { testSize: 0.3, seed: 11, stratify: Int32Array.from(churn, (v) => (v === "yes" ? 1 : 0)) });
  const fitted = await createPipeline({ learner: centroidLearner }).fit(takeRows(frame, split.train), "churn", { seed: 3 });
  if (fitted.task !== "classification") throw new Error("expected a classifier");
  return { fitted, test: withSurprises(takeRows(frame, split.test)) };
}

describe("a pipeline exported to ONNX", () => {
  it("predicts in onnxruntime what it predicts in process: labels equal, probabilities within 1e-5", async () => {
    const { fitted, test } = await fitChurn();
    const run = await runPipelineOnnx(fitted.exportOnnx(), fitted.inputs, test);
    expect(run.inputNames).toEqual(["age", "monthly_charges", "tenure", "plan", "region"]);
    expect(run.outputNames).toEqual(["label", "probabilities"]);

    const labels = run.outputs.label.data as BigInt64Array;
    const probabilities = run.outputs.probabilities.data as Float32Array;
    expect(run.outputs.probabilities.dims).toEqual([test.rowCount, 2]);
    expect(Array.from(labels, Number)).toEqual(Array.from(fitted.predict(test)));
    const expected = fitted.predictProba(test);
    let worst = 0;
    expected.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - probabilities[i]))));
    expect(worst).toBeLessThan(1e-5);
    // The model is not a constant: both classes are predicted on held-out rows.
    expect(new Set(labels).size).toBe(2);
  });

  it("lays features out as numeric columns then one-hot categories, missing plan as its own category", async () => {
    const { fitted } = await fitChurn();
    expect(fitted.classes).toEqual(["no", "yes"]);
    expect(fitted.featureNames).toEqual([
      "age",
      "monthly charges",
      "tenure",
      "plan_basic",
      "plan_gold",
      "plan_premium",
      "plan_None",
      "region_east",
      "region_north",
      "region_south",
      "region_west",
    ]);
    expect(fitted.inputs.map((i) => [i.column, i.name, i.kind])).toEqual([
      ["age", "age", "number"],
      ["monthly charges", "monthly_charges", "number"],
      ["tenure", "tenure", "number"],
      ["plan", "plan", "string"],
      ["region", "region", "string"],
    ]);
    expect(fitted.steps.imputer?.strategy).toBe("median");
  });

  it("describes the ONNX model's inputs and outputs in its MLflow signature", async () => {
    const { fitted } = await fitChurn();
    const signature = fitted.signature();
    expect(signature.inputs).toEqual([
      { kind: "column", name: "age", type: "double", required: true },
      { kind: "column", name: "monthly_charges", type: "double", required: true },
      { kind: "column", name: "tenure", type: "double", required: true },
      { kind: "column", name: "plan", type: "string", required: true },
      { kind: "column", name: "region", type: "string", required: true },
    ]);
    expect(signature.outputs).toEqual([
      { kind: "tensor", name: "label", dtype: "int64", shape: [-1] },
      { kind: "tensor", name: "probabilities", dtype: "float32", shape: [-1, 2] },
    ]);
  });

  it("exports a regression pipeline with a `prediction` output", async () => {
    const frame = frameFromColumns(churnTable(120).columns.filter((c) => c.name !== "churn" && c.name !== "segment"));
    const fitted = (await createPipeline({ learner: slopeLearner, numericImpute: "mean" }).fit(frame, "spend")) as FittedRegressionPipeline;
    expect(fitted.task).toBe("regression");
    const test = withSurprises(frame);
    const run = await runPipelineOnnx(fitted.exportOnnx(), fitted.inputs, test);
    expect(run.outputNames).toEqual(["prediction"]);
    expect(run.outputs.prediction.dims).toEqual([test.rowCount, 1]);
    const onnx = run.outputs.prediction.data as Float32Array;
    fitted.predict(test).forEach((p, i) => expect(Math.abs(p - onnx[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(p))));
    expect(fitted.signature().outputs).toEqual([{ kind: "tensor", name: "prediction", dtype: "float32", shape: [-1, 1] }]);
  });

  it("renames inputs that clash with output names or are not identifiers, and says so", async () => {
    const frame = frameFromColumns([
      numberColumn("label", [1, 2, 3, 4]),
      numberColumn("2nd score", [0.5, 0.1, 0.9, 0.3]),
      stringColumn("y", ["a", "b", "a", "b"]),
    ]);
    const fitted = await createPipeline({ learner: centroidLearner }).fit(frame, "y");
    expect(fitted.inputs.map((i) => i.name)).toEqual(["label_input", "_2nd_score"]);
    const run = await runPipelineOnnx(fitted.exportOnnx(), fitted.inputs, frame);
    expect(Array.from(run.outputs.label.data as BigInt64Array, Number)).toEqual(Array.from((fitted as FittedClassificationPipeline).predict(frame)));
  });
});

describe("createPipeline", () => {
  it("uses the columns it is given, and the rest of the other kind by default", async () => {
    const frame = frameFromColumns(churnTable(60).columns.filter((c) => c.name !== "segment"));
    const fitted = await createPipeline({ learner: centroidLearner, numeric: ["tenure"], scale: false }).fit(frame, "churn");
    expect(fitted.inputs.map((i) => i.column)).toEqual(["tenure", "plan", "region"]);
    expect(fitted.steps.scaler).toBeUndefined();
  });

  it("refuses a target with missing values, and the target as a feature", async () => {
    const frame = frameFromColumns([numberColumn("x", [1, 2, 3]), stringColumn("y", ["a", null, "b"])]);
    await expect(createPipeline({ learner: centroidLearner }).fit(frame, "y")).rejects.toThrow(/target column 'y' has 1 missing value/);
    const ok = frameFromColumns([numberColumn("x", [1, 2, 3]), stringColumn("y", ["a", "b", "b"])]);
    await expect(createPipeline({ learner: centroidLearner, numeric: ["x", "y"] }).fit(ok, "y")).rejects.toThrow(/cannot also be a feature/);
    await expect(createPipeline({ learner: centroidLearner }).fit(ok, "churn")).rejects.toThrow(/no column 'churn'/);
  });

  it("encodes a test split's target with the training classes", async () => {
    const { fitted, test } = await fitChurn();
    const target = fitted.encodeTarget(test);
    expect(target.task === "classification" && target.classes).toEqual(["no", "yes"]);
  });

  it("comes back from JSON predicting the same", async () => {
    const { fitted, test } = await fitChurn();
    const again = pipelineFromJson(JSON.parse(JSON.stringify(fitted.toJson())), centroidFromJson) as FittedClassificationPipeline;
    expect(again.predictProba(test)).toEqual(fitted.predictProba(test));
    expect(again.exportOnnx()).toEqual(fitted.exportOnnx());
  });
});
