import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MonitorStore } from "../../src/monitoring/monitors/monitor-store.js";
import type { NewMonitorRun } from "../../src/monitoring/monitors/types.js";
import { rejection } from "../support/keel-errors.js";

export interface MonitorStoreCase {
  readonly name: string;
  readonly skip?: string;
  create(): Promise<{ store: MonitorStore; dispose(): Promise<void> }>;
}

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 7, 6);

/** A run of `monitor` started `hour` hours after T0. */
function newRun(monitor: string, hour: number, overrides: Partial<NewMonitorRun> = {}): NewMonitorRun {
  const startedAt = T0 + hour * HOUR;
  return {
    monitor,
    model: "churn",
    startedAt,
    finishedAt: startedAt + 1500,
    windowStart: startedAt - 24 * HOUR,
    windowEnd: startedAt,
    status: "ok",
    reasons: [],
    rows: 1200,
    driftShare: 0.25,
    datasetDrift: false,
    result: { drift: { columns: [{ column: "tenure", stattest: "ks", statistic: 0.1, pValue: 0.3, drifted: false }] } },
    ...overrides,
  };
}

/** The one behaviour suite every MonitorStore backend must pass. */
export function runMonitorStoreContract(backend: MonitorStoreCase): void {
  describe.skipIf(backend.skip)(`MonitorStore contract: ${backend.name}`, () => {
    let store: MonitorStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await backend.create());
    });
    afterEach(async () => dispose());

    it("records a run and gives it back with an id, no actions and every field as given", async () => {
      const given = newRun("churn-daily", 0, { status: "alert", reasons: ["tenure drifted"], datasetDrift: true, driftShare: 0.5 });
      const recorded = await store.recordRun(given);
      expect(recorded).toEqual({ ...given, id: recorded.id, actions: [] });
      expect(Number.isInteger(recorded.id)).toBe(true);
      expect(await store.history("churn-daily")).toEqual([recorded]);
    });

    it("keeps dataset drift's three states: true, false and not computed", async () => {
      await store.recordRun(newRun("m", 0, { datasetDrift: true }));
      await store.recordRun(newRun("m", 1, { datasetDrift: false }));
      await store.recordRun(newRun("m", 2, { datasetDrift: null, driftShare: null, status: "error", rows: 0 }));
      const [none, no, yes] = await store.history("m");
      expect([yes.datasetDrift, no.datasetDrift, none.datasetDrift]).toEqual([true, false, null]);
      expect(none.driftShare).toBeNull();
    });

    it("stores NaN and infinite statistics as null", async () => {
      const recorded = await store.recordRun(
        newRun("m", 0, { driftShare: Number.NaN, result: { drift: { columns: [{ column: "plan", statistic: Number.POSITIVE_INFINITY, pValue: Number.NaN }] } } }),
      );
      const [stored] = await store.history("m");
      expect(stored.driftShare).toBeNull();
      expect(stored.result).toEqual({ drift: { columns: [{ column: "plan", statistic: null, pValue: null }] } });
      expect(recorded.result).toEqual(stored.result);
    });

    it("lists a monitor's history newest first, at most `limit`, default 20", async () => {
      for (let hour = 0; hour < 25; hour += 1) {
        await store.recordRun(newRun("a", hour));
        if (hour < 2) await store.recordRun(newRun("b", hour));
      }
      const three = await store.history("a", 3);
      expect(three.map((r) => r.startedAt)).toEqual([T0 + 24 * HOUR, T0 + 23 * HOUR, T0 + 22 * HOUR]);
      expect(three[0].id).toBeGreaterThan(three[1].id);
      expect(await store.history("a")).toHaveLength(20);
      expect((await store.history("b")).every((r) => r.monitor === "b")).toBe(true);
      expect(await store.history("nobody")).toEqual([]);
    });

    it("gives the newest run of each monitor, one per monitor", async () => {
      expect(await store.latestRuns()).toEqual([]);
      await store.recordRun(newRun("b", 0, { status: "alert" }));
      await store.recordRun(newRun("a", 1));
      await store.recordRun(newRun("b", 2, { status: "ok" }));
      await store.recordRun(newRun("a", 3, { status: "error" }));
      const latest = await store.latestRuns();
      expect(latest.map((r) => [r.monitor, r.status, r.startedAt])).toEqual([
        ["a", "error", T0 + 3 * HOUR],
        ["b", "ok", T0 + 2 * HOUR],
      ]);
    });

    it("replaces a run's actions and refuses an unknown run", async () => {
      const run = await store.recordRun(newRun("m", 0, { status: "alert" }));
      await store.setActions(run.id, [{ action: "log", ok: true, detail: "logged" }]);
      const actions = [
        { action: "webhook http://h/x", ok: false, detail: "HTTP 503", attempts: 4, durationMs: 12.5 },
        { action: "retrain keel train", ok: true, detail: "exit code 0", exitCode: 0 },
      ];
      await store.setActions(run.id, actions);
      expect((await store.history("m"))[0].actions).toEqual(actions);
      expect((await store.latestRuns())[0].actions).toEqual(actions);
      const missing = await rejection(store.setActions(run.id + 1000, []));
      expect(missing.code).toBe("RESOURCE_DOES_NOT_EXIST");
      expect(missing.message).toContain(String(run.id + 1000));
    });
  });
}
