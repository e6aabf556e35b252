/**
 * The Keel side of `npm run bench -- learn`: fits one built-in learner in-process, scores it on the held-out
 * rows with Keel's metrics, exports it to ONNX and times onnxruntime-node on the prediction batch.
 */
import * as ort from "onnxruntime-node";
import { createLearner } from "../../src/learn/learner-catalog.js";
import { accuracyScore, rocAuc } from "../../src/learn/metrics/index.js";
import { createOnnxModelBuilder } from "../../src/learn/onnx/graph-builder.js";
import type { FittedClassifier, Matrix, Params } from "../../src/learn/types.js";
import { median } from "../support.js";
import type { Dataset } from "./dataset.js";
import { predictionBatch } from "./dataset.js";

export const LEARNERS = ["logreg", "tree", "rf", "gbdt"] as const;
export type LearnerName = (typeof LEARNERS)[number];

/** scikit-learn's names and the values bench/learn/sklearn_side.py gives its counterparts. */
export const KEEL_PARAMS: Readonly<Record<LearnerName, Params>> = {
  logreg: { max_iter: 1000 },
  tree: {},
  rf: { n_estimators: 100, n_jobs: 2 },
  gbdt: {},
};

export interface SideResult {
  readonly accuracy: number;
  readonly auc: number;
  readonly fitS: number;
  readonly fitRuns: readonly number[];
  readonly predictS: number;
  readonly predictRuns: readonly number[];
}

export interface KeelResult extends SideResult {
  /** Test rows whose ONNX label differs from the in-process prediction, and the largest probability gap. */
  readonly onnxLabelMismatches: number;
  readonly onnxMaxProbabilityGap: number;
  readonly onnxBytes: number;
  /** In-process predictProba on the same batch, once (for reference, not a target). */
  readonly inProcessPredictS: number;
}

const seconds = (startedMs: number): number => (performance.now() - startedMs) / 1000;

function onnxModel(fitted: FittedClassifier): Uint8Array {
  const builder = createOnnxModelBuilder("keel_bench");
  const { label, probabilities } = fitted.toOnnx(builder, "input");
  return builder.finish(
    [{ name: "input", type: "float", shape: ["N", fitted.featureCount] }],
    [
      { name: label, type: "int64", shape: ["N"] },
      { name: probabilities, type: "float", shape: ["N", fitted.classes.length] },
    ],
  );
}

function asFloat32(matrix: Matrix): Float32Array {
  return Float32Array.from(matrix.data);
}

export async function runKeel(dataset: Dataset, learnerName: LearnerName, options: { fitRepeats: number; predictRows: number; predictRepeats: number }): Promise<KeelResult> {
  const learner = createLearner(learnerName, "classification", KEEL_PARAMS[learnerName]);
  const fitRuns: number[] = [];
  let fitted: FittedClassifier | undefined;
  for (let i = 0; i < options.fitRepeats; i++) {
    const started = performance.now();
    const model = await learner.fit(dataset.train, dataset.trainTarget, { seed: 0 });
    fitRuns.push(seconds(started));
    if (model.task !== "classification") throw new Error(`${learnerName} returned a ${model.task} model`);
    fitted = model;
  }
  if (!fitted) throw new Error("fitRepeats must be at least 1");
  const classes = fitted.classes.length;
  const proba = fitted.predictProba(dataset.test);
  const predicted = fitted.predict(dataset.test);

  const bytes = onnxModel(fitted);
  const session = await ort.InferenceSession.create(bytes);
  try {
    const [labelName, probaName] = session.outputNames;
    const testOut = await session.run({ input: new ort.Tensor("float32", asFloat32(dataset.test), [dataset.test.rows, dataset.test.cols]) });
    const onnxLabels = testOut[labelName].data as BigInt64Array;
    const onnxProba = testOut[probaName].data as Float32Array;
    let mismatches = 0;
    let gap = 0;
    for (let r = 0; r < dataset.test.rows; r++) if (Number(onnxLabels[r]) !== predicted[r]) mismatches++;
    for (let i = 0; i < proba.length; i++) gap = Math.max(gap, Math.abs(proba[i] - onnxProba[i]));

    const batch = predictionBatch(dataset.test, options.predictRows);
    const input = new ort.Tensor("float32", batch, [options.predictRows, dataset.test.cols]);
    await session.run({ input });
    const predictRuns: number[] = [];
    for (let i = 0; i < options.predictRepeats; i++) {
      const started = performance.now();
      await session.run({ input });
      predictRuns.push(seconds(started));
    }
    const batchMatrix: Matrix = { rows: options.predictRows, cols: dataset.test.cols, data: Float64Array.from(batch) };
    const started = performance.now();
    fitted.predictProba(batchMatrix);
    const inProcessPredictS = seconds(started);

    return {
      accuracy: accuracyScore(dataset.testY, predicted),
      // Binary on class 1, else one-vs-rest macro: what sklearn_side.py asks roc_auc_score for.
      auc: rocAuc(dataset.testY, proba, classes),
      fitS: median(fitRuns),
      fitRuns,
      predictS: median(predictRuns),
      predictRuns,
      onnxLabelMismatches: mismatches,
      onnxMaxProbabilityGap: gap,
      onnxBytes: bytes.length,
      inProcessPredictS,
    };
  } finally {
    await session.release();
  }
}
