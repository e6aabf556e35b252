import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { injectableServer } from "./harness.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("MLflow tracking API wire format", () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  const call = async (method: "GET" | "POST", url: string, payload?: unknown): Promise<{ status: number; body: Json }> => {
    const response = await app.inject({ method, url, ...(payload !== undefined ? { payload: payload as Json } : {}) });
    return { status: response.statusCode, body: response.json() as Json };
  };
  beforeAll(async () => {
    ({ app, close } = await injectableServer());
  });
  afterAll(async () => close());

  it("serves every endpoint under /api/2.0 and /ajax-api/2.0, plus /health and /version", async () => {
    expect((await call("GET", "/api/2.0/mlflow/experiments/get?experiment_id=0")).body.experiment.name).toBe("Default");
    expect((await call("GET", "/ajax-api/2.0/mlflow/experiments/get?experiment_id=0")).body.experiment.name).toBe("Default");
    expect((await app.inject({ method: "GET", url: "/health" })).body).toBe("OK");
    expect((await app.inject({ method: "GET", url: "/version" })).body).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("answers RESOURCE_ALREADY_EXISTS with 400, as MLflow does", async () => {
    await call("POST", "/api/2.0/mlflow/experiments/create", { name: "dup" });
    const again = await call("POST", "/api/2.0/mlflow/experiments/create", { name: "dup" });
    expect(again.status).toBe(400);
    expect(again.body.error_code).toBe("RESOURCE_ALREADY_EXISTS");
  });

  it("round-trips NaN and infinities, int64 strings and the legacy run_uuid", async () => {
    const { body } = await call("POST", "/api/2.0/mlflow/runs/create", { experiment_id: "0", start_time: "1700000000000", run_name: "wire" });
    const runId: string = body.run.info.run_id;
    expect(body.run.info).toMatchObject({ run_uuid: runId, run_name: "wire", start_time: 1700000000000, status: "RUNNING", lifecycle_stage: "active" });
    expect(body.run.info.end_time).toBeUndefined();
    await call("POST", "/api/2.0/mlflow/runs/log-metric", { run_uuid: runId, key: "nan", value: "NaN", timestamp: "5", step: "2" });
    await call("POST", "/api/2.0/mlflow/runs/log-batch", {
      run_id: runId,
      metrics: [
        { key: "inf", value: "Infinity", timestamp: 5 },
        { key: "x", value: 1e-300, timestamp: 5, step: 0 },
      ],
    });
    const run = (await call("GET", `/api/2.0/mlflow/runs/get?run_uuid=${runId}`)).body.run;
    const metrics = Object.fromEntries(run.data.metrics.map((m: Json) => [m.key, m]));
    expect(metrics.nan).toEqual({ key: "nan", value: "NaN", timestamp: 5, step: 2 });
    expect(metrics.inf.value).toBe(1.7976931348623157e308);
    expect(metrics.x.value).toBe(1e-300);
    const history = await call("GET", `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=nan`);
    expect(history.body.metrics).toEqual([{ key: "nan", value: "NaN", timestamp: 5, step: 2 }]);
  });

  it("pages metric history and search results with next_page_token", async () => {
    const runId: string = (await call("POST", "/api/2.0/mlflow/runs/create", { experiment_id: "0" })).body.run.info.run_id;
    const metrics = Array.from({ length: 30 }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i }));
    await call("POST", "/api/2.0/mlflow/runs/log-batch", { run_id: runId, metrics });
    const first = await call("GET", `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=m&max_results=20`);
    expect(first.body.metrics).toHaveLength(20);
    const second = await call("GET", `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=m&max_results=20&page_token=${first.body.next_page_token}`);
    expect(second.body.metrics.map((m: Json) => m.step)).toEqual(Array.from({ length: 10 }, (_, i) => 20 + i));
    expect(second.body.next_page_token).toBeUndefined();

    const page = await call("POST", "/api/2.0/mlflow/runs/search", { experiment_ids: ["0"], max_results: 1 });
    expect(page.body.runs).toHaveLength(1);
    expect(typeof page.body.next_page_token).toBe("string");
  });

  it("streams a history longer than 50,000 points as one valid JSON answer", async () => {
    const runId: string = (await call("POST", "/api/2.0/mlflow/runs/create", { experiment_id: "0" })).body.run.info.run_id;
    for (let b = 0; b < 61; b++) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: "long", value: b === 30 && i === 5 ? "NaN" : b * 1000 + i, timestamp: 1, step: b * 1000 + i }));
      await call("POST", "/api/2.0/mlflow/runs/log-batch", { run_id: runId, metrics });
    }
    const history = await call("GET", `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=long`);
    expect(history.body.metrics).toHaveLength(61_000);
    expect(history.body.metrics[60_999]).toEqual({ key: "long", value: 60_999, timestamp: 1, step: 60_999 });
    expect(history.body.metrics[30_005].value).toBe("NaN");
    expect(history.body.next_page_token).toBeUndefined();
  });

  it("searches experiments by GET with repeated query keys and by POST", async () => {
    await call("POST", "/api/2.0/mlflow/experiments/create", { name: "search-me", tags: [{ key: "team", value: "a" }] });
    const viaGet = await call("GET", "/api/2.0/mlflow/experiments/search?filter=name%20%3D%20'search-me'&max_results=10&order_by=name&order_by=creation_time%20DESC");
    expect(viaGet.body.experiments.map((e: Json) => e.name)).toEqual(["search-me"]);
    const viaPost = await call("POST", "/api/2.0/mlflow/experiments/search", { filter: "tags.team = 'a'", view_type: "ALL" });
    expect(viaPost.body.experiments[0].tags).toEqual([{ key: "team", value: "a" }]);
  });

  it("records dataset inputs and logged-model history", async () => {
    const runId: string = (await call("POST", "/api/2.0/mlflow/runs/create", { experiment_id: "0" })).body.run.info.run_id;
    const dataset = { name: "customers", digest: "9f2c", source_type: "local", source: "{\"uri\":\"data/customers.csv\"}", schema: "{\"mlflow_colspec\":[]}" };
    const logged = await call("POST", "/api/2.0/mlflow/runs/log-inputs", { run_id: runId, datasets: [{ tags: [{ key: "mlflow.data.context", value: "train" }], dataset }] });
    expect(logged.status).toBe(200);
    await call("POST", "/api/2.0/mlflow/runs/log-model", { run_id: runId, model_json: JSON.stringify({ artifact_path: "model", flavors: {} }) });
    const run = (await call("GET", `/api/2.0/mlflow/runs/get?run_id=${runId}`)).body.run;
    expect(run.inputs.dataset_inputs).toEqual([{ tags: [{ key: "mlflow.data.context", value: "train" }], dataset }]);
    const history = JSON.parse(run.data.tags.find((t: Json) => t.key === "mlflow.log-model.history").value);
    expect(history).toEqual([{ artifact_path: "model", flavors: {} }]);
  });

  it("updates a run's status and name and returns run_info", async () => {
    const runId: string = (await call("POST", "/api/2.0/mlflow/runs/create", { experiment_id: "0" })).body.run.info.run_id;
    const updated = await call("POST", "/api/2.0/mlflow/runs/update", { run_id: runId, status: "KILLED", end_time: 99, run_name: "renamed" });
    expect(updated.body.run_info).toMatchObject({ status: "KILLED", end_time: 99, run_name: "renamed" });
    const bad = await call("POST", "/api/2.0/mlflow/runs/update", { run_id: runId, status: "DONE" });
    expect(bad.status).toBe(400);
  });
});
