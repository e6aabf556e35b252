import { describe, expect, it } from "vitest";
import { KeelError } from "../../core/errors.js";
import { evaluateClassifier } from "../../learn/metrics/index.js";
import { classificationPerformance, classificationPerformanceFromLabels, regressionPerformance } from "./windowed-performance.js";

const CLASSES = ["no", "yes"];
// Windows of 1 s. [0, 1000): rows 0–2; [1000, 2000): rows 3–4, all negatives; [2000, 3000): row 5 alone.
const timestamps = Float64Array.of(0, 500, 999, 1000, 1500, 2999);
const yTrue = Int32Array.of(1, 0, 1, 0, 0, 1);
const positive = [0.9, 0.2, 0.4, 0.7, 0.1, 0.8];
const proba = Float64Array.from(positive.flatMap((p) => [1 - p, p]));
const predicted = Int32Array.from(positive, (p) => (p > 0.5 ? 1 : 0));

function expectMetrics(actual: Readonly<Record<string, number>>, expected: Record<string, number>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, value] of Object.entries(expected)) expect(actual[name], name).toBeCloseTo(value, 12);
}

describe("classificationPerformance", () => {
  const result = classificationPerformance({ timestamps, yTrue, proba, classes: CLASSES, windowMs: 1000 });

  it("scores all rows with keel train's metric names", () => {
    expect(result.rows).toBe(6);
    expectMetrics(result.overall, {
      accuracy: 4 / 6,
      precision: 2 / 3,
      recall: 2 / 3,
      f1: 2 / 3,
      roc_auc: 8 / 9,
      log_loss: -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.3) + Math.log(0.9) + Math.log(0.8)) / 6,
    });
  });

  it("assigns rows to epoch-aligned windows, a row on a boundary to the later one", () => {
    expect(result.windows.map((w) => [w.start, w.end, w.rows])).toEqual([
      [0, 1000, 3],
      [1000, 2000, 2],
      [2000, 3000, 1],
    ]);
    expectMetrics(result.windows[0].metrics, {
      accuracy: 2 / 3,
      precision: 1,
      recall: 1 / 2,
      f1: 2 / 3,
      roc_auc: 1,
      log_loss: -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3,
    });
  });

  it("leaves roc_auc out of windows holding one class instead of throwing", () => {
    expectMetrics(result.windows[1].metrics, { accuracy: 0.5, precision: 0, recall: 0, f1: 0, log_loss: -(Math.log(0.3) + Math.log(0.9)) / 2 });
    expectMetrics(result.windows[2].metrics, { accuracy: 1, precision: 1, recall: 1, f1: 1, log_loss: -Math.log(0.8) });
  });

  it("compares overall metrics with the reference and flags degradation", () => {
    const withReference = classificationPerformance({
      timestamps, yTrue, proba, classes: CLASSES, windowMs: 1000,
      referenceMetrics: { accuracy: 0.9, roc_auc: 0.85, log_loss: 0.5, f1: 0.66, training_time: 3 },
    });
    expect(withReference.comparison.map((c) => [c.metric, c.degraded])).toEqual([
      ["accuracy", true],
      ["f1", false],
      ["roc_auc", false],
      ["log_loss", false],
    ]);
    expect(withReference.degraded).toBe(true);
    expect(withReference.tolerance).toBe(0.05);
    expect(withReference.windows.map((w) => w.degradedMetrics)).toEqual([["accuracy"], ["accuracy", "f1", "log_loss"], []]);
    const lenient = classificationPerformance({ timestamps, yTrue, proba, classes: CLASSES, windowMs: 1000, referenceMetrics: { accuracy: 0.9 }, tolerance: 0.3 });
    expect(lenient.degraded).toBe(false);
  });

  it("lists windows below minWindowRows with no metrics", () => {
    const sparse = classificationPerformance({ timestamps, yTrue, proba, classes: CLASSES, windowMs: 1000, minWindowRows: 3 });
    expect(sparse.windows.map((w) => Object.keys(w.metrics).length > 0)).toEqual([true, false, false]);
    expect(sparse.windows[1].rows).toBe(2);
  });

  it("returns empty metrics for no rows, and is JSON-serializable", () => {
    const empty = classificationPerformance({ timestamps: new Float64Array(0), yTrue: new Int32Array(0), proba: new Float64Array(0), classes: CLASSES, windowMs: 1000, referenceMetrics: { accuracy: 0.9 } });
    expect(empty).toMatchObject({ overall: {}, rows: 0, windows: [], comparison: [], degraded: false });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("refuses mismatched inputs with what to pass instead", () => {
    const refuse = (run: () => unknown, pattern: RegExp): void => {
      expect(run).toThrowError(KeelError);
      expect(run).toThrowError(pattern);
    };
    refuse(() => classificationPerformance({ timestamps, yTrue, proba: proba.subarray(2), classes: CLASSES, windowMs: 1000 }), /one probability per class per row/);
    refuse(() => classificationPerformance({ timestamps: timestamps.subarray(1), yTrue, proba, classes: CLASSES, windowMs: 1000 }), /one prediction time per row/);
    refuse(() => classificationPerformance({ timestamps, yTrue, proba, classes: CLASSES, windowMs: -5 }), /windowMs/);
    refuse(() => classificationPerformance({ timestamps, yTrue, proba, classes: CLASSES, windowMs: 1000, minWindowRows: 0 }), /minWindowRows/);
  });
});

describe("classificationPerformanceFromLabels", () => {
  it("scores predicted labels with the label metrics only, equal to evaluateClassifier's", () => {
    const result = classificationPerformanceFromLabels({ timestamps, yTrue, yPred: predicted, classes: CLASSES, windowMs: 1000, referenceMetrics: { accuracy: 0.6, roc_auc: 0.99 } });
    const { roc_auc: _auc, log_loss: _loss, ...labelMetrics } = evaluateClassifier(yTrue, proba, CLASSES);
    expectMetrics(result.overall, labelMetrics);
    expect(result.windows.map((w) => w.metrics.accuracy)).toEqual([2 / 3, 0.5, 1]);
    // roc_auc needs probabilities: the reference's roc_auc is not compared.
    expect(result.comparison.map((c) => c.metric)).toEqual(["accuracy"]);
    expect(result.degraded).toBe(false);
  });

  it("names multiclass metrics as evaluateClassifier does", () => {
    const y = Int32Array.of(0, 1, 2, 2, 1, 0);
    const p = Float64Array.of(0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.2, 0.2, 0.6, 0.5, 0.3, 0.2, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4);
    const argmax = Int32Array.of(0, 2, 2, 0, 1, 2);
    const result = classificationPerformanceFromLabels({ timestamps: new Float64Array(6), yTrue: y, yPred: argmax, classes: ["a", "b", "c"], windowMs: 1000 });
    const { roc_auc_ovr: _a, roc_auc_ovr_weighted: _b, log_loss: _c, ...expected } = evaluateClassifier(y, p, ["a", "b", "c"]);
    expectMetrics(result.overall, expected);
    expect(result.windows).toHaveLength(1);
  });
});

describe("regressionPerformance", () => {
  const HOUR = 3_600_000;
  const t0 = Date.UTC(2024, 0, 1, 10);

  it("scores rmse, mae and r2 per hour, leaving r2 out of a one-row window", () => {
    const result = regressionPerformance({
      timestamps: Float64Array.of(t0, t0 + HOUR - 1, t0 + HOUR),
      yTrue: Float64Array.of(1, 3, 5),
      yPred: Float64Array.of(2, 3, 4),
      windowMs: HOUR,
      referenceMetrics: { rmse: 0.8, mae: 0.5, r2: 0.9 },
    });
    expectMetrics(result.overall, { rmse: Math.sqrt(2 / 3), mae: 2 / 3, r2: 0.75 });
    expect(result.windows.map((w) => [w.start, w.rows])).toEqual([[t0, 2], [t0 + HOUR, 1]]);
    expectMetrics(result.windows[0].metrics, { rmse: Math.sqrt(0.5), mae: 0.5, r2: 0.5 });
    expectMetrics(result.windows[1].metrics, { rmse: 1, mae: 1 });
    // rmse 0.816 is 2% above 0.8 (tolerated), mae 0.667 is 33% above 0.5, r2 0.75 is 17% below 0.9.
    expect(result.comparison.map((c) => [c.metric, c.degraded])).toEqual([["rmse", false], ["mae", true], ["r2", true]]);
    expect(result.degraded).toBe(true);
  });

  it("refuses predictions of another length", () => {
    expect(() => regressionPerformance({ timestamps: Float64Array.of(0), yTrue: Float64Array.of(1), yPred: Float64Array.of(1, 2), windowMs: 1 })).toThrowError(/one prediction per row/);
  });
});
