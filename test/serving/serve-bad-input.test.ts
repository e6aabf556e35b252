/**
 * Requests `keel serve` cannot score, one table of them: each is answered 4xx in its protocol's own error
 * shape (MLflow `{error_code, message}`, V2 `{error}`, plain `{detail}`) with a message saying what is wrong,
 * and the server answers a good request right after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FittedClassificationPipeline } from "../../src/learn/pipeline.js";
import type { CustomerRow, HttpRequest, TestServing } from "./serving-fixtures.js";
import {
  FEATURE_COLUMNS, answersOf, expectSameAnswers, fitChurnModel, inProcessAnswers, localModelSource, makeCustomers,
  metricValue, requestFor, saveChurnModel, scrapeMetrics, scratchDir, send, serveYaml,
} from "./serving-fixtures.js";

const MAX_BODY_BYTES = 65_536;
const MAX_ROWS = 50;

let serving: TestServing;
let fitted: FittedClassificationPipeline;
const scratch = scratchDir("bad-input");
const rows: CustomerRow[] = makeCustomers(MAX_ROWS + 1, 99).rows;
const row = rows[0];

beforeAll(async () => {
  const training = makeCustomers(300, 7);
  fitted = await fitChurnModel("logreg", training.rows, training.churn);
  const dir = await saveChurnModel(fitted, scratch.dir, "churn");
  serving = await serveYaml(
    `models:\n  - name: churn\n    uri: ${JSON.stringify(dir)}\nlimits: { max_body_bytes: ${MAX_BODY_BYTES}, max_rows: ${MAX_ROWS} }\nprediction_log: false\n`,
    localModelSource(),
  );
});

afterAll(async () => {
  await serving?.close();
  scratch.cleanup();
});

type Shape = "mlflow" | "plain" | "v2";

interface BadCase {
  readonly name: string;
  readonly request: HttpRequest;
  readonly status: number;
  readonly shape: Shape;
  /** MLflow's error_code, for the MLflow shape. */
  readonly code?: string;
  readonly message: RegExp;
}

const post = (path: string, body: string, contentType = "application/json"): HttpRequest => ({ method: "POST", path, headers: { "content-type": contentType }, body });
const get = (path: string): HttpRequest => ({ method: "GET", path, headers: {} });
const json = (value: unknown): string => JSON.stringify(value);
/** A JSON body of more than MAX_BODY_BYTES: a good request padded with an ignored field. */
const huge = (request: HttpRequest): string => `${(request.body ?? "{}").slice(0, -1)},"padding":"${"x".repeat(MAX_BODY_BYTES)}"}`;
const splitWith = (columns: readonly string[], data: unknown[][]) => json({ dataframe_split: { columns, data } });
const values = FEATURE_COLUMNS.map((c) => row[c]);
const v2Inputs = (JSON.parse(requestFor("v2", [row]).body ?? "{}") as { inputs: Record<string, unknown>[] }).inputs;
const v2 = (inputs: readonly Record<string, unknown>[]) => json({ inputs });

const CASES: readonly BadCase[] = [
  // MLflow scoring: POST /invocations
  { name: "malformed JSON", request: post("/invocations", '{"dataframe_split": {'), status: 400, shape: "mlflow", code: "BAD_REQUEST", message: /not valid JSON/ },
  { name: "an empty body", request: post("/invocations", ""), status: 400, shape: "mlflow", code: "BAD_REQUEST", message: /body is empty/ },
  { name: "a content type other than JSON or CSV", request: post("/invocations", json({ instances: [row] }), "text/plain"), status: 415, shape: "mlflow", code: "BAD_REQUEST", message: /Unsupported content type 'text\/plain'.*application\/json or text\/csv/ },
  { name: "no input field", request: post("/invocations", json({ data: [values] })), status: 400, shape: "mlflow", code: "BAD_REQUEST", message: /exactly one of the input fields.*Received an object with the fields \['data'\]/ },
  { name: "two input fields", request: post("/invocations", json({ instances: [row], dataframe_records: [row] })), status: 400, shape: "mlflow", code: "BAD_REQUEST", message: /exactly one of the input fields/ },
  { name: "a JSON list instead of an object", request: post("/invocations", json([row])), status: 400, shape: "mlflow", code: "BAD_REQUEST", message: /Received a list/ },
  { name: "a missing column", request: post("/invocations", splitWith(FEATURE_COLUMNS.slice(0, 5), [values.slice(0, 5)])), status: 400, shape: "mlflow", code: "INVALID_PARAMETER_VALUE", message: /missing the columns 'internet_service'/ },
  { name: "an extra column", request: post("/invocations", json({ dataframe_records: [{ ...row, customer_id: "c-1" }] })), status: 400, shape: "mlflow", code: "INVALID_PARAMETER_VALUE", message: /columns the model does not take: 'customer_id'/ },
  { name: "a row wider than the columns", request: post("/invocations", splitWith(FEATURE_COLUMNS, [[...values, 1]])), status: 400, shape: "mlflow", code: "INVALID_PARAMETER_VALUE", message: /row 0 must hold one value per column \(6\); got 7 values/ },
  { name: "a string where a number goes", request: post("/invocations", json({ dataframe_records: [{ ...row, monthly_charges: "lots" }] })), status: 400, shape: "mlflow", code: "INVALID_PARAMETER_VALUE", message: /monthly_charges.*"lots"/ },
  { name: "NaN where a category goes", request: post("/invocations", json({ dataframe_records: [row] }).replace(`"contract":"${String(row.contract)}"`, '"contract":NaN')), status: 400, shape: "mlflow", code: "INVALID_PARAMETER_VALUE", message: /contract.*missing value.*only for float inputs/ },
  { name: "rows as lists for a model with one input per column", request: post("/invocations", json({ instances: [values] })), status: 400, shape: "mlflow", code: "INVALID_PARAMETER_VALUE", message: /can feed only a single-input model; this one has 6 inputs/ },
  { name: "a CSV row with more fields than the header", request: post("/invocations", `${FEATURE_COLUMNS.join(",")}\n1,2,3,4,a,b,c\n`, "text/csv"), status: 400, shape: "mlflow", code: "BAD_REQUEST", message: /CSV row 0 has 7 fields but the header names 6 columns/ },
  { name: "more rows than max_rows", request: requestFor("dataframe_split", rows), status: 400, shape: "mlflow", code: "INVALID_PARAMETER_VALUE", message: /51 rows; this server scores at most 50 rows per request/ },
  { name: "no rows", request: post("/invocations", splitWith(FEATURE_COLUMNS, [])), status: 400, shape: "mlflow", code: "INVALID_PARAMETER_VALUE", message: /no rows to score/ },
  { name: "a body over max_body_bytes", request: post("/invocations", huge(requestFor("dataframe_records", [row]))), status: 413, shape: "mlflow", code: "INVALID_PARAMETER_VALUE", message: /larger than 65536 bytes/ },
  { name: "an unknown model", request: requestFor("dataframe_records", [row], { model: "ghost" }), status: 404, shape: "mlflow", code: "RESOURCE_DOES_NOT_EXIST", message: /model 'ghost' is not served here; served: churn/ },
  { name: "an unknown route", request: get("/score"), status: 404, shape: "mlflow", code: "ENDPOINT_NOT_FOUND", message: /no endpoint GET \/score/ },
  { name: "GET on /invocations", request: get("/invocations"), status: 404, shape: "mlflow", code: "ENDPOINT_NOT_FOUND", message: /no endpoint GET \/invocations/ },

  // Plain: POST /predict
  { name: "malformed JSON (plain)", request: post("/predict", "{features: [1, 2]}"), status: 400, shape: "plain", message: /not valid JSON/ },
  { name: "neither features nor instances", request: post("/predict", json({ rows: [values] })), status: 400, shape: "plain", message: /Send \{"features".*or \{"instances"/ },
  { name: "a row of the wrong width (plain)", request: post("/predict", json({ features: values.slice(1) })), status: 400, shape: "plain", message: /flat list of 6 values, one per model input.*got 5 values/ },
  { name: "a string where a number goes (plain)", request: post("/predict", json({ features: ["long", ...values.slice(1)] })), status: 400, shape: "plain", message: /tenure_months.*expected a number, got "long"/ },
  { name: "more rows than max_rows (plain)", request: requestFor("plain_instances", rows), status: 400, shape: "plain", message: /at most 50 rows/ },
  { name: "a body over max_body_bytes (plain)", request: post("/predict", huge(requestFor("plain_features", [row]))), status: 413, shape: "plain", message: /larger than 65536 bytes/ },
  { name: "an unknown model (plain)", request: requestFor("plain_features", [row], { model: "ghost" }), status: 404, shape: "plain", message: /model 'ghost' is not served here/ },

  // KServe V2
  { name: "malformed JSON (V2)", request: post("/v2/models/churn/infer", "{inputs: []"), status: 400, shape: "v2", message: /not valid JSON/ },
  { name: "an empty body (V2)", request: post("/v2/models/churn/infer", ""), status: 400, shape: "v2", message: /body is empty/ },
  { name: "a missing input (V2)", request: post("/v2/models/churn/infer", v2(v2Inputs.slice(0, 5))), status: 400, shape: "v2", message: /missing the inputs 'internet_service'/ },
  { name: "an unknown input (V2)", request: post("/v2/models/churn/infer", v2([...v2Inputs, { name: "customer_id", shape: [1, 1], datatype: "BYTES", data: ["c-1"] }])), status: 400, shape: "v2", message: /Unknown input 'customer_id'/ },
  { name: "a tensor of the wrong shape (V2)", request: post("/v2/models/churn/infer", v2([{ ...v2Inputs[0], shape: [1, 3], data: [1, 2, 3] }, ...v2Inputs.slice(1)])), status: 400, shape: "v2", message: /'tenure_months' has shape \[1, 3\], but the model takes \[-1, 1\]/ },
  { name: "a datatype that cannot feed the input (V2)", request: post("/v2/models/churn/infer", v2([{ ...v2Inputs[0], datatype: "BYTES", data: ["12"] }, ...v2Inputs.slice(1)])), status: 400, shape: "v2", message: /'tenure_months' is FP32; datatype BYTES cannot feed it/ },
  { name: "fewer values than the shape says (V2)", request: post("/v2/models/churn/infer", v2([{ ...v2Inputs[0], shape: [2, 1] }, ...v2Inputs.slice(1)])), status: 400, shape: "v2", message: /has 1 values, but its shape \[2, 1\] needs 2/ },
  { name: "a string in a numeric tensor (V2)", request: post("/v2/models/churn/infer", v2([{ ...v2Inputs[0], data: ["twelve"] }, ...v2Inputs.slice(1)])), status: 400, shape: "v2", message: /'tenure_months', value 0: expected a number, got "twelve"/ },
  { name: "more rows than max_rows (V2)", request: requestFor("v2", rows), status: 400, shape: "v2", message: /at most 50 rows/ },
  { name: "a body over max_body_bytes (V2)", request: post("/v2/models/churn/infer", huge(requestFor("v2", [row]))), status: 413, shape: "v2", message: /larger than 65536 bytes/ },
  { name: "an unknown model (V2 infer)", request: requestFor("v2", [row], { model: "ghost" }), status: 404, shape: "v2", message: /model 'ghost' is not served here/ },
  { name: "an unknown version (V2 infer)", request: requestFor("v2", [row], { model: "churn", version: "9" }), status: 404, shape: "v2", message: /version '9' of model 'churn' is not served here/ },
  { name: "an unknown model (V2 metadata)", request: get("/v2/models/ghost"), status: 404, shape: "v2", message: /model 'ghost' is not served here/ },
  { name: "an unknown version (V2 ready)", request: get("/v2/models/churn/versions/9/ready"), status: 404, shape: "v2", message: /version '9' of model 'churn'/ },
];

function errorMessage(shape: Shape, body: unknown): unknown {
  const fields = (body ?? {}) as Record<string, unknown>;
  expect(Object.keys(fields).sort()).toEqual(shape === "mlflow" ? ["error_code", "message"] : shape === "plain" ? ["detail"] : ["error"]);
  return shape === "mlflow" ? fields.message : shape === "plain" ? fields.detail : fields.error;
}

describe("bad input", () => {
  it.each(CASES)("$name: $status in the protocol's error shape, and the server answers the next request", async (bad) => {
    const response = await send(serving.url, bad.request);
    expect(response.status, response.text).toBe(bad.status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(errorMessage(bad.shape, response.json)).toMatch(bad.message);
    if (bad.code) expect((response.json as Record<string, unknown>).error_code).toBe(bad.code);

    const good = await send(serving.url, requestFor("dataframe_split", [row]));
    expect(good.status).toBe(200);
    expectSameAnswers(answersOf("dataframe_split", good.json), inProcessAnswers(fitted, [row]));
  });

  it("takes Python's NaN token where a number goes as a missing value, as MLflow's server does", async () => {
    const missing = { ...row, total_charges: null };
    const body = json({ dataframe_records: [missing] }).replace('"total_charges":null', '"total_charges":NaN');
    const response = await send(serving.url, post("/invocations", body));
    expect(response.status, response.text).toBe(200);
    expectSameAnswers(answersOf("dataframe_records", response.json), inProcessAnswers(fitted, [missing]));
  });

  // BUG (src/server/serving-app.ts, `score`): a request naming a model that is not served is counted under
  // the name it gave (`endpointName = modelName`), so every distinct ?model= or /v2/models/<name>/infer value
  // a client sends creates a new keel_serving_requests_total series (and a cached child in serving-metrics.ts
  // that is never freed): unbounded label cardinality from outside. Count such requests under one fixed
  // label (e.g. model="" or "unknown") instead. Remove `.fails` once it does.
  it("does not turn unknown model names sent by clients into metric labels", async () => {
    for (const name of ["ghost-a", "ghost-b"]) expect((await send(serving.url, requestFor("dataframe_split", [row], { model: name }))).status).toBe(404);
    expect((await send(serving.url, requestFor("v2", [row], { model: "ghost-c" }))).status).toBe(404);
    const metrics = await scrapeMetrics(serving.url);
    expect(metrics).not.toMatch(/model="ghost-/);
  });

  // BUG (src/server/serving-app.ts): the 415 of POST /invocations is sent before `score` runs, and a 413 (body
  // over max_body_bytes) comes from fastify's error handler, so neither is counted in
  // keel_serving_requests_total, written to the access log, or given an x-request-id: a client sending the
  // wrong content type or oversized bodies is invisible to monitoring. Remove `.fails` once both are counted.
  it("counts 415 and 413 answers in /metrics and the access log like every other answer", async () => {
    const before = await scrapeMetrics(serving.url);
    const wrongType = await send(serving.url, post("/invocations", json({ instances: [row] }), "text/plain"), { "x-request-id": "wrong-type" });
    const tooBig = await send(serving.url, post("/invocations", huge(requestFor("dataframe_records", [row]))), { "x-request-id": "too-big" });
    expect([wrongType.status, tooBig.status]).toEqual([415, 413]);
    const after = await scrapeMetrics(serving.url);
    const counted = (status: string) =>
      metricValue(after, "keel_serving_requests_total", { protocol: "mlflow", status }) - metricValue(before, "keel_serving_requests_total", { protocol: "mlflow", status });
    expect([counted("415"), counted("413")]).toEqual([1, 1]);
    const logged = serving.accessLines.map((line) => (JSON.parse(line) as { request_id: string }).request_id);
    expect(logged).toEqual(expect.arrayContaining(["wrong-type", "too-big"]));
  });

  it("never answered a bad request with a server error", () => {
    expect(serving.logger.errors).toEqual([]);
  });
});
