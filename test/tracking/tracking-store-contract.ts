import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeelError } from "../../src/core/errors.js";
import type { TrackingStore } from "../../src/tracking/tracking-store.js";
import { MAX_DOUBLE } from "../../src/tracking/metric-values.js";

export interface TrackingStoreCase {
  readonly name: string;
  readonly skip?: string;
  create(): Promise<{ store: TrackingStore; dispose(): Promise<void> }>;
}

async function expectCode(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(KeelError);
  expect((error as KeelError).code).toBe(code);
  if (message) expect((error as KeelError).message).toMatch(message);
}

/** The one behaviour suite every TrackingStore backend must pass. */
export function runTrackingStoreContract(backend: TrackingStoreCase): void {
  describe.skipIf(backend.skip)(`TrackingStore contract: ${backend.name}`, () => {
    let store: TrackingStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await backend.create());
    });
    afterEach(async () => dispose());

    it("has the Default experiment 0", async () => {
      const e = await store.getExperiment("0");
      expect(e.name).toBe("Default");
      expect(e.lifecycleStage).toBe("active");
      expect((await store.getExperimentByName("Default")).experimentId).toBe("0");
    });

    it("creates experiments with unique names, tags and a proxied artifact location", async () => {
      const id = await store.createExperiment({ name: "churn", tags: [{ key: "team", value: "risk" }] });
      const e = await store.getExperiment(id);
      expect(e).toMatchObject({ name: "churn", artifactLocation: `mlflow-artifacts:/${id}`, tags: [{ key: "team", value: "risk" }] });
      await expectCode(store.createExperiment({ name: "churn" }), "RESOURCE_ALREADY_EXISTS");
      await store.deleteExperiment(id);
      await expectCode(store.createExperiment({ name: "churn" }), "RESOURCE_ALREADY_EXISTS");
      await expectCode(store.getExperiment("12345"), "RESOURCE_DOES_NOT_EXIST");
      await expectCode(store.getExperiment("abc"), "INVALID_PARAMETER_VALUE");
      await expectCode(store.getExperimentByName("nope"), "RESOURCE_DOES_NOT_EXIST", /keel experiments create/);
    });

    it("renames, deletes and restores experiments together with their runs", async () => {
      const id = await store.createExperiment({ name: "a" });
      const run = await store.createRun({ experimentId: id });
      await store.renameExperiment(id, "b");
      expect((await store.getExperiment(id)).name).toBe("b");
      await store.deleteExperiment(id);
      expect((await store.getExperiment(id)).lifecycleStage).toBe("deleted");
      expect((await store.getRun(run.info.runId)).info.lifecycleStage).toBe("deleted");
      await expectCode(store.createRun({ experimentId: id }), "INVALID_PARAMETER_VALUE");
      await expectCode(store.renameExperiment(id, "c"), "INVALID_PARAMETER_VALUE");
      await store.restoreExperiment(id);
      expect((await store.getRun(run.info.runId)).info.lifecycleStage).toBe("active");
      await expectCode(store.deleteExperiment("0"), "INVALID_PARAMETER_VALUE");
    });

    it("sets and deletes experiment tags", async () => {
      const id = await store.createExperiment({ name: "t" });
      await store.setExperimentTag(id, { key: "k", value: "1" });
      await store.setExperimentTag(id, { key: "k", value: "2" });
      expect((await store.getExperiment(id)).tags).toEqual([{ key: "k", value: "2" }]);
      await store.deleteExperimentTag(id, "k");
      expect((await store.getExperiment(id)).tags).toEqual([]);
      await expectCode(store.deleteExperimentTag(id, "k"), "RESOURCE_DOES_NOT_EXIST");
    });

    it("creates runs with a name, the run-name tag and an artifact URI under the experiment", async () => {
      const id = await store.createExperiment({ name: "runs" });
      const run = await store.createRun({ experimentId: id, runName: "rf-v1", startTime: 1000, userId: "ana", tags: [{ key: "x", value: "y" }] });
      expect(run.info).toMatchObject({ runName: "rf-v1", status: "RUNNING", startTime: 1000, userId: "ana", lifecycleStage: "active", endTime: null });
      expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
      expect(run.info.artifactUri).toBe(`mlflow-artifacts:/${id}/${run.info.runId}/artifacts`);
      expect(run.data.tags).toContainEqual({ key: "mlflow.runName", value: "rf-v1" });
      const unnamed = await store.createRun({ experimentId: id });
      expect(unnamed.info.runName).toMatch(/^[a-z]+-[a-z]+-\d+$/);
      await expectCode(store.getRun("0123456789abcdef0123456789abcdef"), "RESOURCE_DOES_NOT_EXIST");
      await expectCode(store.createRun({ experimentId: "999" }), "RESOURCE_DOES_NOT_EXIST");
    });

    it("updates status, end time and name; refuses changes to deleted runs", async () => {
      const { info } = await store.createRun({ experimentId: "0", runName: "before" });
      const updated = await store.updateRun({ runId: info.runId, status: "FINISHED", endTime: 5000, runName: "after" });
      expect(updated).toMatchObject({ status: "FINISHED", endTime: 5000, runName: "after" });
      expect((await store.getRun(info.runId)).data.tags).toContainEqual({ key: "mlflow.runName", value: "after" });
      await store.deleteRun(info.runId);
      await expectCode(store.updateRun({ runId: info.runId, status: "FAILED" }), "INVALID_PARAMETER_VALUE");
      await expectCode(store.logBatch({ runId: info.runId, params: [{ key: "a", value: "1" }] }), "INVALID_PARAMETER_VALUE", /deleted/);
      await store.restoreRun(info.runId);
      await store.logBatch({ runId: info.runId, params: [{ key: "a", value: "1" }] });
    });

    it("keeps params immutable but idempotent", async () => {
      const { info } = await store.createRun({ experimentId: "0" });
      await store.logBatch({ runId: info.runId, params: [{ key: "lr", value: "0.1" }] });
      await store.logBatch({ runId: info.runId, params: [{ key: "lr", value: "0.1" }] });
      await expectCode(store.logBatch({ runId: info.runId, params: [{ key: "lr", value: "0.2" }] }), "INVALID_PARAMETER_VALUE", /changing param values/);
      await expectCode(store.logBatch({ runId: info.runId, params: [{ key: "d", value: "1" }, { key: "d", value: "1" }] }), "INVALID_PARAMETER_VALUE", /duplicate/);
      expect((await store.getRun(info.runId)).data.params).toEqual([{ key: "lr", value: "0.1" }]);
    });

    it("rolls a whole batch back when one part is refused", async () => {
      const { info } = await store.createRun({ experimentId: "0" });
      await store.logBatch({ runId: info.runId, params: [{ key: "p", value: "1" }] });
      await expectCode(
        store.logBatch({ runId: info.runId, params: [{ key: "p", value: "2" }], metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }], tags: [{ key: "t", value: "v" }] }),
        "INVALID_PARAMETER_VALUE",
      );
      const run = await store.getRun(info.runId);
      expect(run.data.metrics).toEqual([]);
      expect(run.data.tags.find((t) => t.key === "t")).toBeUndefined();
    });

    it("keeps the latest metric per key by step, then timestamp, then value", async () => {
      const { info } = await store.createRun({ experimentId: "0" });
      await store.logBatch({
        runId: info.runId,
        metrics: [
          { key: "loss", value: 0.9, timestamp: 10, step: 0 },
          { key: "loss", value: 0.5, timestamp: 5, step: 2 },
          { key: "loss", value: 0.7, timestamp: 20, step: 1 },
        ],
      });
      await store.logBatch({ runId: info.runId, metrics: [{ key: "loss", value: 0.8, timestamp: 30, step: 1 }] });
      expect((await store.getRun(info.runId)).data.metrics).toEqual([{ key: "loss", value: 0.5, timestamp: 5, step: 2 }]);
      await store.logBatch({ runId: info.runId, metrics: [{ key: "loss", value: 0.4, timestamp: 5, step: 2 }, { key: "loss", value: 0.6, timestamp: 5, step: 2 }] });
      expect((await store.getRun(info.runId)).data.metrics[0].value).toBe(0.6);
    });

    it("stores NaN and infinities as MLflow's SQL store does", async () => {
      const { info } = await store.createRun({ experimentId: "0" });
      await store.logBatch({
        runId: info.runId,
        metrics: [
          { key: "nan", value: NaN, timestamp: 1, step: 0 },
          { key: "inf", value: Infinity, timestamp: 1, step: 0 },
          { key: "ninf", value: -Infinity, timestamp: 1, step: 0 },
        ],
      });
      const latest = Object.fromEntries((await store.getRun(info.runId)).data.metrics.map((m) => [m.key, m.value]));
      expect(latest.nan).toBeNaN();
      expect(latest.inf).toBe(MAX_DOUBLE);
      expect(latest.ninf).toBe(-MAX_DOUBLE);
      const history = await store.getMetricHistory({ runId: info.runId, key: "nan" });
      expect(history.items[0].value).toBeNaN();
    });

    it("stores every double exactly, from the smallest subnormal to the largest", async () => {
      const { info } = await store.createRun({ experimentId: "0" });
      const values = [5e-324, 1e-300, 0.1 + 0.2, -0, 123456789.123456789, 2 ** 53 + 2, -1.7976931348623157e308, Math.PI, ...Array.from({ length: 50 }, () => (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 40 - 20))];
      await store.logBatch({ runId: info.runId, metrics: values.map((value, step) => ({ key: "x", value, timestamp: 2 ** 42 + step, step: step - 3 })) });
      const history = await store.getMetricHistory({ runId: info.runId, key: "x" });
      expect(history.items.map((m) => m.value)).toEqual(values);
      expect(history.items[0]).toMatchObject({ step: -3, timestamp: 2 ** 42 });
    });

    it("returns metric history in step order, whole or in pages that never repeat a point", async () => {
      const { info } = await store.createRun({ experimentId: "0" });
      const points = Array.from({ length: 250 }, (_, i) => ({ key: "acc", value: i / 250, timestamp: 1000 + i, step: 249 - i }));
      await store.logBatch({ runId: info.runId, metrics: points });
      await store.logBatch({ runId: info.runId, metrics: points.slice(0, 10) });
      const all = await store.getMetricHistory({ runId: info.runId, key: "acc" });
      expect(all.items.map((m) => m.step)).toEqual(Array.from({ length: 250 }, (_, i) => i));
      expect(all.nextPageToken).toBeUndefined();
      const seen: number[] = [];
      let token: string | undefined;
      do {
        const page = await store.getMetricHistory({ runId: info.runId, key: "acc", maxResults: 100, pageToken: token });
        seen.push(...page.items.map((m) => m.step));
        token = page.nextPageToken;
      } while (token);
      expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i));
      await expectCode(store.getMetricHistory({ runId: info.runId, key: "acc", maxResults: 30000 }), "INVALID_PARAMETER_VALUE");
      await expectCode(store.getMetricHistory({ runId: info.runId, key: "acc", pageToken: "garbage!" }), "INVALID_PARAMETER_VALUE");
    });

    it("pages histories that span many chunks logged out of order", async () => {
      const { info } = await store.createRun({ experimentId: "0" });
      // Three batches whose steps interleave, twice over: chunks overlap in step range and hold duplicates.
      for (let round = 0; round < 2; round++) {
        for (let b = 0; b < 3; b++) {
          const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: "m", value: (i * 3 + b) % 7, timestamp: 10, step: i * 3 + b }));
          await store.logBatch({ runId: info.runId, metrics });
        }
      }
      await store.logBatch({ runId: info.runId, metrics: [{ key: "m", value: 1, timestamp: 9, step: 1500 }] });
      const whole = await store.getMetricHistory({ runId: info.runId, key: "m" });
      expect(whole.items).toHaveLength(3001);
      const paged: unknown[] = [];
      let token: string | undefined;
      do {
        const page = await store.getMetricHistory({ runId: info.runId, key: "m", maxResults: 700, pageToken: token });
        paged.push(...page.items);
        token = page.nextPageToken;
      } while (token);
      expect(paged).toEqual(whole.items);
    });

    it("loses no point when batches for the same key arrive concurrently", async () => {
      const { info } = await store.createRun({ experimentId: "0" });
      await Promise.all(
        Array.from({ length: 8 }, (_, b) =>
          store.logBatch({ runId: info.runId, metrics: Array.from({ length: 500 }, (_, i) => ({ key: "c", value: b, timestamp: 1, step: i * 8 + b })) }),
        ),
      );
      const history = await store.getMetricHistory({ runId: info.runId, key: "c" });
      expect(history.items.map((m) => m.step)).toEqual(Array.from({ length: 4000 }, (_, i) => i));
      expect((await store.getRun(info.runId)).data.metrics).toEqual([{ key: "c", value: 7, timestamp: 1, step: 3999 }]);
    });

    it("sets, overwrites and deletes run tags, renaming through mlflow.runName", async () => {
      const { info } = await store.createRun({ experimentId: "0", runName: "one" });
      await store.logBatch({ runId: info.runId, tags: [{ key: "a", value: "1" }, { key: "a", value: "2" }, { key: "mlflow.runName", value: "two" }] });
      const run = await store.getRun(info.runId);
      expect(run.data.tags).toContainEqual({ key: "a", value: "2" });
      expect(run.info.runName).toBe("two");
      await store.deleteTag(info.runId, "a");
      await expectCode(store.deleteTag(info.runId, "a"), "RESOURCE_DOES_NOT_EXIST");
    });

    it("validates keys, values and batch sizes as MLflow does", async () => {
      const { info } = await store.createRun({ experimentId: "0" });
      const runId = info.runId;
      await expectCode(store.logBatch({ runId, params: [{ key: "../x", value: "1" }] }), "INVALID_PARAMETER_VALUE");
      await expectCode(store.logBatch({ runId, params: [{ key: "a$b", value: "1" }] }), "INVALID_PARAMETER_VALUE");
      await expectCode(store.logBatch({ runId, params: [{ key: "k".repeat(251), value: "1" }] }), "INVALID_PARAMETER_VALUE");
      await expectCode(store.logBatch({ runId, params: [{ key: "long", value: "v".repeat(6001) }] }), "INVALID_PARAMETER_VALUE");
      await store.logBatch({ runId, params: [{ key: "long", value: "v".repeat(6000) }] });
      await expectCode(store.logBatch({ runId, tags: [{ key: "t", value: "v".repeat(8001) }] }), "INVALID_PARAMETER_VALUE");
      await expectCode(store.logBatch({ runId, metrics: [{ key: "m", value: 1, timestamp: -1, step: 0 }] }), "INVALID_PARAMETER_VALUE");
      const many = Array.from({ length: 1001 }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i }));
      await expectCode(store.logBatch({ runId, metrics: many }), "INVALID_PARAMETER_VALUE", /at most 1000 metrics/);
      const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: "1" }));
      await expectCode(store.logBatch({ runId, params }), "INVALID_PARAMETER_VALUE", /at most 100 params/);
      await store.logBatch({ runId, metrics: many.slice(0, 1000) });
      expect((await store.getMetricHistory({ runId, key: "m" })).items).toHaveLength(1000);
    });

    it("records dataset inputs once per dataset", async () => {
      const { info } = await store.createRun({ experimentId: "0" });
      const input = {
        tags: [{ key: "mlflow.data.context", value: "training" }],
        dataset: { name: "customers", digest: "abc123", sourceType: "local", source: "{\"uri\": \"customers.csv\"}", schema: "{}" },
      };
      await store.logInputs(info.runId, [input]);
      await store.logInputs(info.runId, [input]);
      const run = await store.getRun(info.runId);
      expect(run.inputs.datasetInputs).toEqual([input]);
      await expectCode(store.logInputs(info.runId, [{ tags: [], dataset: { ...input.dataset, digest: "d".repeat(37) } }]), "INVALID_PARAMETER_VALUE");
    });

    it("searches runs with a filter, an order and paging", async () => {
      const id = await store.createExperiment({ name: "search" });
      for (let i = 0; i < 7; i++) {
        const { info } = await store.createRun({ experimentId: id, runName: `r${i}`, startTime: 1000 + i });
        await store.logBatch({ runId: info.runId, metrics: [{ key: "acc", value: i / 10, timestamp: 1, step: 0 }], params: [{ key: "model", value: i % 2 ? "rf" : "gbdt" }] });
      }
      const page = await store.searchRuns({ experimentIds: [id], filter: "metrics.acc > 0.15 and params.model = 'rf'", orderBy: ["metrics.acc DESC"] });
      expect(page.items.map((r) => r.info.runName)).toEqual(["r5", "r3"]);
      const names: string[] = [];
      let token: string | undefined;
      do {
        const p = await store.searchRuns({ experimentIds: [id], maxResults: 3, pageToken: token });
        names.push(...p.items.map((r) => r.info.runName));
        token = p.nextPageToken;
      } while (token);
      expect(names).toEqual(["r6", "r5", "r4", "r3", "r2", "r1", "r0"]);
      await expectCode(store.searchRuns({ experimentIds: [id], filter: "metrics.acc > 'x'" }), "INVALID_PARAMETER_VALUE");
    });

    it("samples chunked histories for get-history-bulk-interval, reading step ranges across chunks logged out of order", async () => {
      const a = (await store.createRun({ experimentId: "0" })).info.runId;
      const b = (await store.createRun({ experimentId: "0" })).info.runId;
      // Two batches whose chunks overlap in steps: evens first, then odds, then a late point at step 1500.
      for (const parity of [0, 1]) {
        const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: "loss", step: 2 * i + parity, timestamp: 1, value: 2 * i + parity }));
        await store.logBatch({ runId: a, metrics });
      }
      await store.logBatch({ runId: a, metrics: [{ key: "loss", step: 1500, timestamp: 2, value: -1 }] });
      await store.logBatch({ runId: b, metrics: [{ key: "loss", step: -5, timestamp: 1, value: 0 }, { key: "loss", step: 7, timestamp: 1, value: 0 }] });
      const window = await store.getMetricHistoryBulkInterval({ runIds: [a], key: "loss", startStep: 1499, endStep: 1501 });
      expect(window.map((m) => [m.step, m.timestamp, m.value])).toEqual([[1499, 1, 1499], [1500, 1, 1500], [1500, 2, -1], [1501, 1, 1501]]);
      const sampled = await store.getMetricHistoryBulkInterval({ runIds: [b, a], key: "loss", maxResults: 10 });
      expect(sampled.filter((m) => m.runId === b).map((m) => m.step)).toEqual([7]);
      const stepsA = sampled.filter((m) => m.runId === a).map((m) => m.step);
      expect(stepsA[0]).toBe(0);
      expect(stepsA[stepsA.length - 1]).toBe(1999);
      expect(new Set(stepsA).size).toBeLessThanOrEqual(12);
      await expectCode(store.getMetricHistoryBulkInterval({ runIds: [a, "0123456789abcdef0123456789abcdef"], key: "loss" }), "RESOURCE_DOES_NOT_EXIST");
      await expectCode(store.getMetricHistoryBulkInterval({ runIds: [a], key: "loss", maxResults: 2501 }), "INVALID_PARAMETER_VALUE");
    });

    it("downsamples histories per bucket, keeping extremes, over chunks in the requested step range", async () => {
      const { info } = await store.createRun({ experimentId: "0", startTime: 1000 });
      for (let start = 0; start < 5000; start += 1000) {
        const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: "m", step: start + i, timestamp: 2000 + start + i, value: start + i === 4321 ? 99 : 0 }));
        await store.logBatch({ runId: info.runId, metrics });
      }
      const all = await store.downsampleMetricHistory({ runIds: [info.runId], key: "m", buckets: 20 });
      expect(all).toMatchObject({ axis: "step", buckets: 20, xMin: 0, xMax: 4999 });
      const [series] = all.series;
      expect(series.rangePoints).toBe(5000);
      expect(series.x.length).toBeLessThanOrEqual(42);
      expect([...series.y]).toContain(99);
      expect([series.x[0], series.x[series.x.length - 1]]).toEqual([0, 4999]);
      const zoomed = await store.downsampleMetricHistory({ runIds: [info.runId], key: "m", buckets: 5, axis: "relative", startStep: 4300, endStep: 4400 });
      expect(zoomed.series[0].rangePoints).toBe(101);
      expect([zoomed.xMin, zoomed.xMax]).toEqual([1000 + 4300, 1000 + 4400]);
      expect([...zoomed.series[0].steps]).toContain(4321);
      await expectCode(store.downsampleMetricHistory({ runIds: [info.runId], key: "m", buckets: 0 }), "INVALID_PARAMETER_VALUE");
    });

    it("searches experiments by name and view type", async () => {
      await store.createExperiment({ name: "alpha" });
      const b = await store.createExperiment({ name: "beta" });
      await store.deleteExperiment(b);
      const active = await store.searchExperiments({ filter: "name LIKE 'a%'" });
      expect(active.items.map((e) => e.name)).toEqual(["alpha"]);
      const deleted = await store.searchExperiments({ viewType: "DELETED_ONLY" });
      expect(deleted.items.map((e) => e.name)).toEqual(["beta"]);
    });
  });
}
