import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { injectableServer } from "./harness.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const START = 1_700_000_000_000;
const SPIKE = 3_333;

describe("chart data: get-history-bulk-interval and keel/metrics/downsampled", () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let runA: string;
  let runB: string;
  let empty: string;
  const get = async (url: string): Promise<{ status: number; body: Json }> => {
    const response = await app.inject({ method: "GET", url });
    return { status: response.statusCode, body: response.json() as Json };
  };
  const post = (url: string, payload: Json) => app.inject({ method: "POST", url, payload });
  const createRun = async (): Promise<string> =>
    ((await post("/api/2.0/mlflow/runs/create", { experiment_id: "0", start_time: START })).json() as Json).run.info.run_id as string;

  beforeAll(async () => {
    ({ app, close } = await injectableServer());
    [runA, runB, empty] = [await createRun(), await createRun(), await createRun()];
    // runA: steps 0..9999 with one spike; runB: every 10th step from 5 to 20,005.
    for (let start = 0; start < 10_000; start += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => {
        const step = start + i;
        return { key: "loss", step, timestamp: START + 1000 + step, value: step === SPIKE ? 50 : 1 / (1 + step) };
      });
      await post("/api/2.0/mlflow/runs/log-batch", { run_id: runA, metrics });
    }
    for (let start = 0; start < 2001; start += 1000) {
      const metrics = Array.from({ length: Math.min(1000, 2001 - start) }, (_, i) => ({ key: "loss", step: 5 + (start + i) * 10, timestamp: START + 1, value: 2 }));
      await post("/api/2.0/mlflow/runs/log-batch", { run_id: runB, metrics });
    }
    await post("/api/2.0/mlflow/runs/log-metric", { run_id: empty, key: "other", value: 1, timestamp: START, step: 0 });
  });
  afterAll(async () => close());

  describe("GET /mlflow/metrics/get-history-bulk-interval", () => {
    const url = (query: string) => `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?metric_key=loss&${query}`;

    it("returns every point when the history is short, in MLflow's MetricWithRunId shape", async () => {
      const { status, body } = await get(url(`run_ids=${runA}&start_step=10&end_step=12`));
      expect(status).toBe(200);
      expect(body.metrics).toEqual([10, 11, 12].map((step) => ({ key: "loss", value: 1 / (1 + step), timestamp: START + 1000 + step, step, run_id: runA })));
    });

    it("samples max_results steps over the runs' union of steps, keeping first and last steps, per run in request order", async () => {
      const { body } = await get(url(`run_ids=${runB}&run_ids=${runA}&max_results=100`));
      const byRun = (id: string) => body.metrics.filter((m: Json) => m.run_id === id).map((m: Json) => m.step as number);
      expect(body.metrics[0].run_id).toBe(runB);
      const stepsA = byRun(runA);
      const stepsB = byRun(runB);
      // The default range is 0 to the largest step; runA's last step 9999 and runB's first (5) and last are kept.
      expect(stepsA[0]).toBe(0);
      expect(stepsA).toContain(9_999);
      expect(stepsB[0]).toBe(5);
      expect(stepsB[stepsB.length - 1]).toBe(20_005);
      expect(new Set([...stepsA, ...stepsB]).size).toBeLessThanOrEqual(100 + 4);
      expect([...stepsA].sort((a, b) => a - b)).toEqual(stepsA);
    });

    it("defaults to at most 2500 steps", async () => {
      const { body } = await get(url(`run_ids=${runA}`));
      expect(body.metrics.length).toBeGreaterThan(2000);
      expect(body.metrics.length).toBeLessThanOrEqual(2501);
    });

    it("answers an empty list for a run without the metric", async () => {
      expect((await get(url(`run_ids=${empty}`))).body).toEqual({ metrics: [] });
    });

    it.each([
      ["no run_ids", "", /run_ids/],
      ["101 run_ids", Array.from({ length: 101 }, () => `run_ids=${runA}`).join("&"), /at most 100 run_ids. Received 101/],
      ["max_results 0", `run_ids=${runA}&max_results=0`, /between 1 and 2500/],
      ["max_results 2501", `run_ids=${runA}&max_results=2501`, /between 1 and 2500/],
      ["only start_step", `run_ids=${runA}&start_step=3`, /both must be specified/],
      ["start after end", `run_ids=${runA}&start_step=9&end_step=3`, /start_step=9 and end_step=3/],
      ["a non-integer step", `run_ids=${runA}&start_step=x&end_step=3`, /start_step/],
    ])("answers INVALID_PARAMETER_VALUE for %s", async (_name, query, message) => {
      const { status, body } = await get(url(query));
      expect(status).toBe(400);
      expect(body.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(body.message).toMatch(message);
    });

    it("answers RESOURCE_DOES_NOT_EXIST for an unknown run", async () => {
      const { status, body } = await get(url(`run_ids=${runA}&run_ids=0123456789abcdef0123456789abcdef`));
      expect(status).toBe(404);
      expect(body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    });
  });

  describe("GET /keel/metrics/downsampled", () => {
    const url = (query: string) => `/api/2.0/keel/metrics/downsampled?metric_key=loss&${query}`;

    it("keeps each bucket's extremes (the spike) and the first and last points, as columns", async () => {
      const { status, body } = await get(url(`run_id=${runA}&buckets=100`));
      expect(status).toBe(200);
      expect(body).toMatchObject({ metric_key: "loss", x_axis: "step", buckets: 100, x_min: 0, x_max: 9_999 });
      const [series] = body.series as Json[];
      expect(series.run_id).toBe(runA);
      expect(series.range_points).toBe(10_000);
      expect(series.x.length).toBe(series.y.length);
      expect(series.x.length).toBeLessThanOrEqual(2 * 100 + 2);
      expect(series.x[0]).toBe(0);
      expect(series.y[0]).toBe(1);
      expect(series.x[series.x.length - 1]).toBe(9_999);
      expect(series.y[series.x.indexOf(SPIKE)]).toBe(50);
      expect(series.step).toEqual(series.x);
    });

    it("answers one series per run over one shared x range, and an empty series for a run without the metric", async () => {
      const { body } = await get(url(`run_id=${runA}&run_id=${runB}&run_id=${empty}&buckets=50`));
      expect(body.series.map((s: Json) => s.run_id)).toEqual([runA, runB, empty]);
      expect([body.x_min, body.x_max]).toEqual([0, 20_005]);
      const buckets = new Set(body.series[1].x.map((x: number) => Math.min(49, Math.floor((x * 50) / 20_005))));
      expect(buckets.size).toBeLessThanOrEqual(50);
      expect(body.series[2]).toEqual({ run_id: empty, range_points: 0, x: [], y: [], step: [] });
    });

    it("answers nulls for the x range of a metric no run has", async () => {
      const { body } = await get(url(`run_id=${empty}`).replace("metric_key=loss", "metric_key=none"));
      expect(body).toMatchObject({ x_min: null, x_max: null, series: [{ run_id: empty, x: [] }] });
    });

    it("plots against wall-clock or relative time, and zooms to a step range", async () => {
      const wall = (await get(url(`run_id=${runA}&x=wall&buckets=10`))).body;
      expect(wall).toMatchObject({ x_axis: "wall", x_min: START + 1000, x_max: START + 1000 + 9_999 });
      expect(wall.series[0].x[0]).toBe(START + 1000);
      const relative = (await get(url(`run_id=${runA}&x=relative&buckets=10`))).body;
      expect(relative.series[0].x[0]).toBe(1000);
      expect(relative.series[0].step[0]).toBe(0);
      const zoomed = (await get(url(`run_id=${runA}&start_step=3000&end_step=3999&buckets=10`))).body;
      expect(zoomed.series[0]).toMatchObject({ range_points: 1000 });
      expect(zoomed.series[0].x[0]).toBe(3000);
      expect(zoomed.series[0].y).toContain(50);
    });

    it("answers RESOURCE_DOES_NOT_EXIST for an unknown run", async () => {
      const { status, body } = await get(url("run_id=0123456789abcdef0123456789abcdef"));
      expect(status).toBe(404);
      expect(body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    });

    it.each([
      ["buckets=0", `run_id=RUN&buckets=0`, /buckets/],
      ["buckets=10001", `run_id=RUN&buckets=10001`, /buckets/],
      ["buckets=abc", `run_id=RUN&buckets=abc`, /buckets/],
      ["x=epoch", `run_id=RUN&x=epoch`, /x/],
      ["no run_id", ``, /run_id/],
      ["start after end", `run_id=RUN&start_step=5&end_step=1`, /start_step/],
    ])("answers INVALID_PARAMETER_VALUE for %s", async (_name, query, message) => {
      const { status, body } = await get(url(query.replace("RUN", runA)));
      expect(status).toBe(400);
      expect(body.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(body.message).toMatch(message);
    });
  });
});
