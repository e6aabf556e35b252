import { describe, expect, it } from "vitest";
import { churnTable } from "./data/fixtures/churn-table.js";
import { runPipelineOnnx } from "./data/fixtures/run-pipeline-onnx.js";
import { frameFromColumns, stringColumn } from "./data/frame-columns.js";
import { createHistGradientBoostingClassifier, createHistGradientBoostingRegressor } from "./gbdt/index.js";
import { createLinearRegression, createLogisticRegression } from "./linear/index.js";
import { createPipeline } from "./pipeline.js";
import { takeRows, trainTestSplit } from "./split.js";
import { createDecisionTreeClassifier, createDecisionTreeRegressor, createRandomForestClassifier } from "./trees/index.js";
import type { Learner } from "./types.js";

// Each built-in learner behind the full preprocessing pipeline: the ONE exported ONNX file must predict what
// the pipeline predicts in process on held-out rows (with an unseen category and missing values).

const table = churnTable(400, 7);

function heldOut(target: string, drop: readonly string[]) {
  const frame = frameFromColumns(table.columns.filter((c) => !drop.includes(c.name)));
  const split = trainTestSplit(frame.rowCount, { testSize: 0.25, seed: 5 });
  const test = takeRows(frame, split.test);
  const surprising = frameFromColumns(
    test.columns.map((c) => (c.kind === "string" && c.name === "plan" ? stringColumn("plan", c.values.map((v, r) => (r % 6 === 0 ? "platinum" : v))) : c)),
  );
  return { train: takeRows(frame, split.train), test: surprising, target };
}

const classifiers: [string, () => Learner][] = [
  ["logistic regression", () => createLogisticRegression({ C: 1 })],
  ["decision tree", () => createDecisionTreeClassifier({ max_depth: 5 })],
  ["random forest", () => createRandomForestClassifier({ n_estimators: 10, max_depth: 6, n_jobs: 1 })],
  ["gradient boosting", () => createHistGradientBoostingClassifier({ max_iter: 20 })],
];

describe.each(classifiers)("a pipeline with %s", (_, learner) => {
  for (const [target, drop] of [
    ["churn", ["segment", "spend"]],
    ["segment", ["churn", "spend"]],
  ] as const) {
    it(`predicts ${target} in onnxruntime as in process`, async () => {
      const { train, test } = heldOut(target, drop);
      const fitted = await createPipeline({ learner: learner() }).fit(train, target, { seed: 1 });
      if (fitted.task !== "classification") throw new Error("expected classification");
      const run = await runPipelineOnnx(fitted.exportOnnx(), fitted.inputs, test);
      expect(Array.from(run.outputs.label.data as BigInt64Array, Number)).toEqual(Array.from(fitted.predict(test)));
      const onnx = run.outputs.probabilities.data as Float32Array;
      const expected = fitted.predictProba(test);
      expect(onnx.length).toBe(expected.length);
      expected.forEach((p, i) => expect(Math.abs(p - onnx[i])).toBeLessThan(1e-5));
    });
  }
});

const regressors: [string, () => Learner][] = [
  ["linear regression", () => createLinearRegression()],
  ["decision tree", () => createDecisionTreeRegressor({ max_depth: 5 })],
  ["gradient boosting", () => createHistGradientBoostingRegressor({ max_iter: 20 })],
];

describe.each(regressors)("a regression pipeline with %s", (_, learner) => {
  it("predicts spend in onnxruntime as in process", async () => {
    const { train, test } = heldOut("spend", ["churn", "segment"]);
    const fitted = await createPipeline({ learner: learner() }).fit(train, "spend", { seed: 1, task: "regression" });
    const run = await runPipelineOnnx(fitted.exportOnnx(), fitted.inputs, test);
    const onnx = run.outputs.prediction.data as Float32Array;
    const expected = fitted.predict(test) as Float64Array;
    expected.forEach((p, i) => expect(Math.abs(p - onnx[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(p))));
  });
});
