/**
 * Trains a small logistic-regression churn model on synthetic customers, exports it to ONNX, logs it to a
 * Keel run with its metrics and registers it as a new version of `churn-classifier`.
 *
 *   npx tsx examples/registry/log-churn-model.ts [--epochs 300] [--seed 1]
 *
 * Fewer epochs give a worse model: `--epochs 2` makes a candidate that the gates in gates.yaml reject.
 * (Keel's own learners arrive with `keel train`; this example needs nothing but the SDK and onnx-proto.)
 */
import onnxProto from "onnx-proto";
import { createKeel } from "keel/client";

const { onnx } = onnxProto;
const FEATURES = ["tenure_months", "monthly_charges", "support_calls"] as const;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

/** A seeded generator (mulberry32), so the same seed gives the same customers. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Customers whose churn odds fall with tenure and rise with charges and support calls. */
function customers(count: number, next: () => number): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const row = [next() * 6, next() * 1.2, Math.floor(next() * 6) / 5];
    const logit = -1.2 * row[0] + 2.5 * row[1] + 2.0 * row[2] + 1.5 + (next() - 0.5);
    x.push(row);
    y.push(logit > 0 ? 1 : 0);
  }
  return { x, y };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

function train(x: number[][], y: number[], epochs: number): { weights: number[]; bias: number } {
  const weights = [0, 0, 0];
  let bias = 0;
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    const grad = [0, 0, 0];
    let gradBias = 0;
    x.forEach((row, i) => {
      const error = sigmoid(row.reduce((s, v, j) => s + v * weights[j], bias)) - y[i];
      row.forEach((v, j) => (grad[j] += error * v));
      gradBias += error;
    });
    weights.forEach((_, j) => (weights[j] -= (0.5 * grad[j]) / x.length));
    bias -= (0.5 * gradBias) / x.length;
  }
  return { weights, bias };
}

function evaluate(model: { weights: number[]; bias: number }, x: number[][], y: number[]): Record<string, number> {
  const p = x.map((row) => sigmoid(row.reduce((s, v, j) => s + v * model.weights[j], model.bias)));
  const accuracy = p.filter((pi, i) => (pi >= 0.5 ? 1 : 0) === y[i]).length / y.length;
  const logLoss = -p.reduce((s, pi, i) => s + (y[i] ? Math.log(Math.max(pi, 1e-15)) : Math.log(Math.max(1 - pi, 1e-15))), 0) / y.length;
  return { accuracy, log_loss: logLoss };
}

/** The fitted model as ONNX: features [N, 3] → MatMul → Add → Sigmoid → probability [N, 1]. */
function toOnnx(model: { weights: number[]; bias: number }): Uint8Array {
  const tensor = (name: string, dims: number[], values: number[]) => ({ name, dataType: 1, dims, floatData: values });
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    producerName: "keel-example",
    graph: {
      name: "churn_logistic_regression",
      initializer: [tensor("W", [3, 1], model.weights), tensor("B", [1], [model.bias])],
      node: [
        { opType: "MatMul", input: ["features", "W"], output: ["z0"] },
        { opType: "Add", input: ["z0", "B"], output: ["z"] },
        { opType: "Sigmoid", input: ["z"], output: ["probability"] },
      ],
      input: [{ name: "features", type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: "N" }, { dimValue: 3 }] } } } }],
      output: [{ name: "probability", type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: "N" }, { dimValue: 1 }] } } } }],
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}

const epochs = option("epochs", 300);
const next = random(option("seed", 1));
const trainSet = customers(2000, next);
const testSet = customers(500, next);
const model = train(trainSet.x, trainSet.y, epochs);
const metrics = evaluate(model, testSet.x, testSet.y);

const keel = createKeel();
await keel.withRun({ experiment: "churn", runName: `logreg-${epochs}-epochs` }, async (run) => {
  run.logParams({ model: "logistic_regression", epochs });
  run.logMetrics(metrics);
  const info = await run.logModel(toOnnx(model), {
    artifactPath: "model",
    inputExample: { columns: [...FEATURES], data: testSet.x.slice(0, 5) },
    registeredModelName: "churn-classifier",
  });
  console.log(`run ${run.runId}: accuracy ${metrics.accuracy.toFixed(3)}, log_loss ${metrics.log_loss.toFixed(3)}`);
  console.log(`registered churn-classifier version ${info.modelVersion?.version}`);
});
