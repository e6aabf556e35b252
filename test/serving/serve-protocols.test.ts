/**
 * `keel serve` end to end over real HTTP: every protocol a client may speak answers what the fitted model
 * answers in-process, the health endpoints answer, and /metrics counts what was asked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEEL_VERSION } from "../../src/core/version.js";
import type { FittedClassificationPipeline } from "../../src/learn/pipeline.js";
import type { Answer, CustomerRow, ProtocolForm, TestServing } from "./serving-fixtures.js";
import {
  answersOf, expectSameAnswers, expectSamePlainAnswers, fitChurnModel, inProcessAnswers, localModelSource, makeCustomers,
  metricValue, plainAnswersOf, requestFor, saveChurnModel, scrapeMetrics, scratchDir, send, serveYaml,
} from "./serving-fixtures.js";

let serving: TestServing;
let fitted: FittedClassificationPipeline;
let rows: CustomerRow[];
let expected: Answer[];
const scratch = scratchDir("protocols");

beforeAll(async () => {
  const training = makeCustomers(400, 7);
  fitted = await fitChurnModel("forest", training.rows, training.churn);
  const dir = await saveChurnModel(fitted, scratch.dir, "churn-forest");
  // A missing total_charges travels as null (CSV: an empty field) and is imputed inside the model.
  rows = makeCustomers(12, 99).rows.map((row, i) => (i === 0 ? { ...row, total_charges: null } : row));
  expected = inProcessAnswers(fitted, rows);
  serving = await serveYaml(`models:\n  - name: churn\n    uri: ${JSON.stringify(dir)}\nprediction_log: false\n`, localModelSource());
});

afterAll(async () => {
  await serving?.close();
  scratch.cleanup();
});

describe("MLflow scoring protocol: POST /invocations", () => {
  const forms = ["dataframe_split", "dataframe_records", "instances", "inputs", "csv"] as const satisfies readonly ProtocolForm[];
  it.each(forms)("%s answers the model's in-process predictions, with the version and a request id", async (form) => {
    const response = await send(serving.url, requestFor(form, rows));
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("x-keel-model-version")).toBe("local");
    expect(response.headers.get("x-request-id")).toMatch(/\S/);
    expectSameAnswers(answersOf(form, response.json), expected);
  });

  it("scores a named model with ?model= and echoes the caller's x-request-id", async () => {
    const response = await send(serving.url, requestFor("dataframe_split", rows.slice(0, 2), { model: "churn" }), { "x-request-id": "client-chosen-42" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("client-chosen-42");
    expectSameAnswers(answersOf("dataframe_split", response.json), expected.slice(0, 2));
  });
});

describe("plain protocol: POST /predict", () => {
  it("answers {features} with one prediction, its probability and the model version, as the FastAPI app did", async () => {
    for (let r = 0; r < 3; r++) {
      const response = await send(serving.url, requestFor("plain_features", [rows[r]]));
      expect(response.status, response.text).toBe(200);
      expect(response.json).toMatchObject({ model_version: "local" });
      expectSamePlainAnswers(plainAnswersOf(response.json), [expected[r]]);
    }
  });

  it("answers {instances} with one prediction per row", async () => {
    const response = await send(serving.url, requestFor("plain_instances", rows));
    expect(response.status, response.text).toBe(200);
    expect(response.json).toMatchObject({ model_version: "local" });
    expectSamePlainAnswers(plainAnswersOf(response.json), expected);
  });
});

describe("KServe Open Inference Protocol V2", () => {
  it("describes the model: its inputs by column, its outputs, its versions", async () => {
    for (const path of ["/v2/models/churn", "/v2/models/churn/versions/local"]) {
      const response = await send(serving.url, { method: "GET", path, headers: {} });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        name: "churn",
        versions: ["local"],
        platform: "onnxruntime_onnx",
        inputs: [
          { name: "tenure_months", datatype: "FP32", shape: [-1, 1] },
          { name: "monthly_charges", datatype: "FP32", shape: [-1, 1] },
          { name: "total_charges", datatype: "FP32", shape: [-1, 1] },
          { name: "support_calls", datatype: "FP32", shape: [-1, 1] },
          { name: "contract", datatype: "BYTES", shape: [-1, 1] },
          { name: "internet_service", datatype: "BYTES", shape: [-1, 1] },
        ],
        outputs: [
          { name: "label", datatype: "INT64", shape: [-1] },
          { name: "probabilities", datatype: "FP32", shape: [-1, 2] },
        ],
      });
    }
  });

  it("says the model is ready, with and without a version", async () => {
    for (const path of ["/v2/models/churn/ready", "/v2/models/churn/versions/local/ready"]) {
      const response = await send(serving.url, { method: "GET", path, headers: {} });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ name: "churn", ready: true });
    }
  });

  it.each([undefined, "local"])("infers (version %s) the model's in-process predictions as V2 tensors", async (version) => {
    const response = await send(serving.url, requestFor("v2", rows, { model: "churn", ...(version ? { version } : {}) }));
    expect(response.status, response.text).toBe(200);
    expect(response.json).toMatchObject({
      model_name: "churn",
      model_version: "local",
      id: "req-v2",
      outputs: [
        { name: "label", datatype: "INT64", shape: [rows.length] },
        { name: "probabilities", datatype: "FP32", shape: [rows.length, 2] },
      ],
    });
    expectSameAnswers(answersOf("v2", response.json), expected);
  });

  it("answers only the outputs a request names", async () => {
    const request = requestFor("v2", rows.slice(0, 3));
    const body = { ...(JSON.parse(request.body ?? "{}") as object), outputs: [{ name: "probabilities" }] };
    const response = await send(serving.url, { ...request, body: JSON.stringify(body) });
    expect(response.status, response.text).toBe(200);
    const outputs = (response.json as { outputs: { name: string }[] }).outputs;
    expect(outputs.map((o) => o.name)).toEqual(["probabilities"]);
  });
});

describe("health, version and metrics", () => {
  it("answers the MLflow and V2 health checks and the version", async () => {
    const get = (path: string) => send(serving.url, { method: "GET", path, headers: {} });
    expect((await get("/ping")).status).toBe(200);
    expect(await get("/health")).toMatchObject({ status: 200, json: { status: "healthy" } });
    expect(await get("/version")).toMatchObject({ status: 200, text: KEEL_VERSION });
    expect(await get("/v2/health/live")).toMatchObject({ status: 200, json: { live: true } });
    expect(await get("/v2/health/ready")).toMatchObject({ status: 200, json: { ready: true } });
    expect(await get("/v2")).toMatchObject({ status: 200, json: { name: "keel", version: KEEL_VERSION } });
  });

  it("counts each request by model, version, protocol and status, and times it", async () => {
    const before = await scrapeMetrics(serving.url);
    const count = (text: string, protocol: string, status: string) =>
      metricValue(text, "keel_serving_requests_total", { model: "churn", version: "local", protocol, status });
    const one = rows.slice(0, 1);
    for (let i = 0; i < 3; i++) expect((await send(serving.url, requestFor("dataframe_records", one))).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await send(serving.url, requestFor("v2", one))).status).toBe(200);
    expect((await send(serving.url, requestFor("plain_features", one))).status).toBe(200);
    const bad = await send(serving.url, { method: "POST", path: "/invocations", headers: { "content-type": "application/json" }, body: '{"dataframe_records": [{"tenure_months": "long"}]}' });
    expect(bad.status).toBe(400);
    const after = await scrapeMetrics(serving.url);

    expect(count(after, "mlflow", "200") - count(before, "mlflow", "200")).toBe(3);
    expect(count(after, "v2", "200") - count(before, "v2", "200")).toBe(2);
    expect(count(after, "plain", "200") - count(before, "plain", "200")).toBe(1);
    expect(count(after, "mlflow", "400") - count(before, "mlflow", "400")).toBe(1);
    const timed = (text: string) => metricValue(text, "keel_serving_request_duration_seconds_count", { model: "churn" });
    expect(timed(after) - timed(before)).toBe(7);
    expect(metricValue(after, "keel_serving_model_load_seconds", { model: "churn", version: "local" })).toBeGreaterThan(0);
    expect(after).toMatch(/^keel_serving_queue_depth\{model="churn"\} 0$/m);
  });

  it("writes one JSON access-log line per request, with its request id, protocol and status", async () => {
    const response = await send(serving.url, requestFor("inputs", rows.slice(0, 1)), { "x-request-id": "access-log-probe" });
    expect(response.status).toBe(200);
    const lines = serving.accessLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.request_id === "access-log-probe");
    expect(lines).toEqual([expect.objectContaining({ method: "POST", path: "/invocations", protocol: "mlflow", model: "churn", version: "local", status: 200 })]);
    expect(serving.logger.errors).toEqual([]);
  });
});
