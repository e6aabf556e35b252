import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { boost } from "./boost.js";
import { resolveHgbParams } from "./hgb-params.js";
import { multinomialLogLoss, SQUARED_ERROR } from "./losses.js";
import { createRandom } from "./random.js";

function data(rows: number, cols: number, seed: number): { x: { rows: number; cols: number; data: Float64Array }; y: Float64Array } {
  const random = createRandom(seed);
  const x = Float64Array.from({ length: rows * cols }, () => (random.next() < 0.05 ? Number.NaN : random.next()));
  const y = Float64Array.from({ length: rows }, (_, r) => Math.floor(((x[r * cols] || 0.5) + x[r * cols + 1] || 0) * 1.5) % 3);
  return { x: { rows, cols, data: x }, y };
}

describe("boost", () => {
  it.skipIf(availableParallelism() < 2)("gives the same trees bit for bit with the histogram worker thread as without", async () => {
    const { x, y } = data(12000, 4, 1);
    const params = resolveHgbParams("test", { max_iter: 8, subsample: 0.8 }, ["log_loss"]);
    const run = (useWorker: boolean) =>
      boost({ x, y, stratify: Int32Array.from(y), loss: multinomialLogLoss(3), params, seed: 1, parallelMinValues: 0, useWorker });
    const [parallel, single] = await Promise.all([run(true), run(false)]);
    expect([parallel.histogramThreads, single.histogramThreads]).toEqual([2, 1]);
    expect(parallel.trees.flat().map((t) => t.tree)).toEqual(single.trees.flat().map((t) => t.tree));
    expect(parallel.trainScore).toEqual(single.trainScore);
  });

  it("sums histograms in halves only from parallelMinValues, and either way finds the same splits on clean data", async () => {
    const { x, y } = data(2000, 5, 4);
    const params = resolveHgbParams("test", { max_iter: 3 }, ["log_loss"]);
    const run = (parallelMinValues: number) => boost({ x, y, stratify: Int32Array.from(y), loss: multinomialLogLoss(3), params, seed: 2, parallelMinValues, useWorker: false });
    const [halves, whole] = await Promise.all([run(0), run(Number.POSITIVE_INFINITY)]);
    expect(halves.trees.flat().map((t) => [...t.tree.feature])).toEqual(whole.trees.flat().map((t) => [...t.tree.feature]));
  });

  it("holds out validation_fraction of the rows when early stopping is on, and scores them every iteration", async () => {
    const { x, y } = data(1000, 3, 2);
    const params = resolveHgbParams("test", { early_stopping: true, validation_fraction: 0.2, max_iter: 5, n_iter_no_change: 100 }, ["squared_error"]);
    const result = await boost({ x, y, stratify: null, loss: SQUARED_ERROR, params, seed: 3 });
    expect(result.trees.length).toBe(5);
    expect(result.validationScore.length).toBe(6);
    // The leaves of the first tree hold the 800 training rows.
    expect(result.trainScore[5]).toBeGreaterThan(result.trainScore[0]);
  });
});
