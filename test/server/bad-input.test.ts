import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { MLFLOW_ROUTES } from "../../src/server/mlflow-routes.js";
import { injectableServer } from "./harness.js";

/**
 * Every endpoint, fed every kind of bad input: each answer is a 4xx with MLflow's error body, and the server
 * keeps serving afterwards.
 */
const UNKNOWN_RUN = "0123456789abcdef0123456789abcdef";

type Method = "GET" | "POST" | "PATCH" | "DELETE";

interface Case {
  readonly name: string;
  readonly method: Method | "PUT";
  readonly url: string;
  readonly payload?: string;
  readonly contentType?: string;
  readonly status: number;
  readonly code: string;
}

function methodsOf(method: (typeof MLFLOW_ROUTES)[number]["method"]): Method[] {
  return typeof method === "string" ? [method] : [...method];
}

function validValue(name: string, type: unknown, runId: string): unknown {
  if (name === "run_id" || name === "run_uuid") return runId;
  if (name === "experiment_id") return "0";
  if (type === "int64") return 1;
  if (type === "number-or-special") return 1.5;
  if (type === "string[]") return ["0"];
  if (type === "string") return "x";
  return undefined;
}

function requiredFields(fields: Record<string, unknown>): string[] {
  return Object.entries(fields)
    .filter(([, f]) => typeof f === "object" && f !== null && "required" in f)
    .map(([name]) => name);
}

function buildCases(runId: string): Case[] {
  const cases: Case[] = [];
  for (const route of MLFLOW_ROUTES) {
    for (const method of methodsOf(route.method)) {
      const url = `/api/2.0${route.path}`;
      const required = requiredFields(route.fields as Record<string, unknown>);
      const complete: Record<string, unknown> = {};
      for (const name of required) {
        const field = (route.fields as Record<string, { type?: unknown }>)[name];
        complete[name] = validValue(name, field.type, runId);
      }
      if ("run_uuid" in route.fields) {
        complete.run_id = runId;
        const { run_id: _runId, ...withoutRun } = complete;
        cases.push(request(`${route.path}: missing run_id`, method, url, withoutRun, 400, "INVALID_PARAMETER_VALUE"));
      }
      if (method !== "GET") {
        cases.push({ name: `${route.path}: malformed JSON`, method, url, payload: "{not json", status: 400, code: "MALFORMED_REQUEST" });
        cases.push({ name: `${route.path}: a JSON array body`, method, url, payload: "[1,2]", status: 400, code: "INVALID_PARAMETER_VALUE" });
        cases.push({ name: `${route.path}: form-encoded body`, method, url, payload: "a=b", contentType: "application/x-www-form-urlencoded", status: 400, code: "INVALID_PARAMETER_VALUE" });
        cases.push({ name: `${route.path}: text/plain body (CSRF shape)`, method, url, payload: "{}", contentType: "text/plain", status: 400, code: "INVALID_PARAMETER_VALUE" });
        cases.push({ name: `${route.path}: oversized body`, method, url, payload: JSON.stringify({ run_id: runId, pad: "x".repeat(2_000_000) }), status: 413, code: "INVALID_PARAMETER_VALUE" });
      }
      for (const name of required) {
        const { [name]: _dropped, ...missing } = complete;
        if ((name === "run_id" && "run_uuid" in route.fields) || (name === "run_uuid")) continue;
        cases.push(request(`${route.path}: missing ${name}`, method, url, missing, 400, "INVALID_PARAMETER_VALUE"));
      }
      for (const [name, type] of Object.entries(route.fields as Record<string, unknown>)) {
        if (method === "GET") continue;
        const wrong = type === "string" || (typeof type === "object" && type !== null && "required" in type && (type as unknown as { type: unknown }).type === "string") ? 12345 : { nested: true };
        cases.push(request(`${route.path}: ${name} of the wrong type`, method, url, { ...complete, [name]: wrong }, 400, "INVALID_PARAMETER_VALUE"));
      }
    }
  }
  return cases;
}

function request(name: string, method: Method, url: string, fields: Record<string, unknown>, status: number, code: string): Case {
  if (method !== "GET") return { name, method, url, payload: JSON.stringify(fields), status, code };
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) query.append(k, String(item));
  return { name, method, url: `${url}?${query}`, status, code };
}

const UNKNOWN_IDS: readonly Case[] = [
  { name: "runs/get unknown run", method: "GET", url: `/api/2.0/mlflow/runs/get?run_id=${UNKNOWN_RUN}`, status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
  { name: "runs/get malformed run id", method: "GET", url: "/api/2.0/mlflow/runs/get?run_id=../../etc", status: 400, code: "INVALID_PARAMETER_VALUE" },
  { name: "experiments/get unknown", method: "GET", url: "/api/2.0/mlflow/experiments/get?experiment_id=987654", status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
  { name: "experiments/get-by-name unknown", method: "GET", url: "/api/2.0/mlflow/experiments/get-by-name?experiment_name=nope", status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
  { name: "get-history unknown run", method: "GET", url: `/api/2.0/mlflow/metrics/get-history?run_id=${UNKNOWN_RUN}&metric_key=m`, status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
  { name: "artifacts/list unknown run", method: "GET", url: `/api/2.0/mlflow/artifacts/list?run_id=${UNKNOWN_RUN}`, status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
  { name: "get-artifact unknown run", method: "GET", url: `/get-artifact?run_id=${UNKNOWN_RUN}&path=a.txt`, status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
  { name: "proxied download of a missing file", method: "GET", url: "/api/2.0/mlflow-artifacts/artifacts/0/none.txt", status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
  { name: "unknown endpoint", method: "GET", url: "/api/2.0/mlflow/runs/nope", status: 404, code: "ENDPOINT_NOT_FOUND" },
  ...["log-metric", "log-parameter", "set-tag", "delete-tag", "update", "delete", "restore"].map((verb): Case => ({
    name: `runs/${verb} unknown run`,
    method: "POST",
    url: `/api/2.0/mlflow/runs/${verb}`,
    payload: JSON.stringify({ run_id: UNKNOWN_RUN, key: "k", value: verb === "log-metric" ? 1 : "v", timestamp: 1 }),
    status: 404,
    code: "RESOURCE_DOES_NOT_EXIST",
  })),
  ...["delete", "restore", "update", "set-experiment-tag"].map((verb): Case => ({
    name: `experiments/${verb} unknown experiment`,
    method: "POST",
    url: `/api/2.0/mlflow/experiments/${verb}`,
    payload: JSON.stringify({ experiment_id: "987654", new_name: "x", key: "k", value: "v" }),
    status: 404,
    code: "RESOURCE_DOES_NOT_EXIST",
  })),
  { name: "log-metric with a string value", method: "POST", url: "/api/2.0/mlflow/runs/log-metric", payload: JSON.stringify({ run_id: UNKNOWN_RUN, key: "k", value: "high", timestamp: 1 }), status: 400, code: "INVALID_PARAMETER_VALUE" },
  { name: "search-runs with a bad filter", method: "POST", url: "/api/2.0/mlflow/runs/search", payload: JSON.stringify({ experiment_ids: ["0"], filter: "metrics.a > 1 OR metrics.b < 2" }), status: 400, code: "INVALID_PARAMETER_VALUE" },
  { name: "search-runs with max_results over 50000", method: "POST", url: "/api/2.0/mlflow/runs/search", payload: JSON.stringify({ experiment_ids: ["0"], max_results: 50001 }), status: 400, code: "INVALID_PARAMETER_VALUE" },
  ...registryCases(),
  { name: "search-runs with a forged page token", method: "POST", url: "/api/2.0/mlflow/runs/search", payload: JSON.stringify({ experiment_ids: ["0"], page_token: "bm90IGEgdG9rZW4" }), status: 400, code: "INVALID_PARAMETER_VALUE" },
];

/** Registry calls naming things that do not exist, or carrying values MLflow refuses. */
function registryCases(): Case[] {
  const json = (method: Method, path: string, body: Record<string, unknown>, status: number, code: string, name: string): Case => ({
    name,
    method,
    url: `/api/2.0${path}`,
    payload: JSON.stringify(body),
    status,
    code,
  });
  return [
    { name: "registered-models/get unknown", method: "GET", url: "/api/2.0/mlflow/registered-models/get?name=nope", status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
    { name: "model-versions/get unknown", method: "GET", url: "/api/2.0/mlflow/model-versions/get?name=nope&version=1", status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
    { name: "model-versions/get bad version", method: "GET", url: "/api/2.0/mlflow/model-versions/get?name=nope&version=one", status: 400, code: "INVALID_PARAMETER_VALUE" },
    { name: "alias get unknown", method: "GET", url: "/api/2.0/mlflow/registered-models/alias?name=nope&alias=prod", status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
    { name: "download uri unknown", method: "GET", url: "/api/2.0/mlflow/model-versions/get-download-uri?name=nope&version=2", status: 404, code: "RESOURCE_DOES_NOT_EXIST" },
    { name: "registered-models/search bad filter", method: "GET", url: `/api/2.0/mlflow/registered-models/search?filter=${encodeURIComponent("run_id = 'x'")}`, status: 400, code: "INVALID_PARAMETER_VALUE" },
    { name: "registered-models/search over 1000", method: "GET", url: "/api/2.0/mlflow/registered-models/search?max_results=1001", status: 400, code: "INVALID_PARAMETER_VALUE" },
    { name: "model-versions/search bad order", method: "GET", url: "/api/2.0/mlflow/model-versions/search?order_by=metrics.x", status: 400, code: "INVALID_PARAMETER_VALUE" },
    json("PATCH", "/mlflow/registered-models/update", { name: "nope", description: "d" }, 404, "RESOURCE_DOES_NOT_EXIST", "registered-models/update unknown"),
    json("DELETE", "/mlflow/registered-models/delete", { name: "nope" }, 404, "RESOURCE_DOES_NOT_EXIST", "registered-models/delete unknown"),
    json("POST", "/mlflow/registered-models/rename", { name: "nope", new_name: "n" }, 404, "RESOURCE_DOES_NOT_EXIST", "registered-models/rename unknown"),
    json("POST", "/mlflow/registered-models/create", { name: "" }, 400, "INVALID_PARAMETER_VALUE", "registered-models/create empty name"),
    json("POST", "/mlflow/model-versions/create", { name: "nope", source: "mlflow-artifacts:/0/m" }, 404, "RESOURCE_DOES_NOT_EXIST", "model-versions/create unknown model"),
    json("POST", "/mlflow/model-versions/transition-stage", { name: "nope", version: "1", stage: "Prod", archive_existing_versions: false }, 400, "INVALID_PARAMETER_VALUE", "transition to an unknown stage"),
    json("POST", "/mlflow/model-versions/transition-stage", { name: "nope", version: "1", stage: "Staging", archive_existing_versions: false }, 404, "RESOURCE_DOES_NOT_EXIST", "transition of an unknown version"),
    json("POST", "/mlflow/registered-models/alias", { name: "nope", alias: "latest", version: "1" }, 400, "INVALID_PARAMETER_VALUE", "reserved alias"),
    json("POST", "/keel/registered-models/rollback", { name: "nope", alias: "prod", stage: "Production" }, 400, "INVALID_PARAMETER_VALUE", "rollback naming both alias and stage"),
    json("POST", "/keel/registered-models/rollback", { name: "nope", alias: "prod" }, 404, "RESOURCE_DOES_NOT_EXIST", "rollback of an unknown model"),
  ];
}

describe("bad input on every endpoint", () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let runId = "";
  beforeAll(async () => {
    ({ app, close } = await injectableServer());
    const created = await app.inject({ method: "POST", url: "/api/2.0/mlflow/runs/create", payload: { experiment_id: "0" } });
    runId = (created.json() as { run: { info: { run_id: string } } }).run.info.run_id;
  });
  afterAll(async () => close());

  it("answers each case with a 4xx MLflow error body and stays up", async () => {
    const cases = [...buildCases(runId), ...UNKNOWN_IDS];
    expect(cases.length).toBeGreaterThan(150);
    const failures: string[] = [];
    for (const c of cases) {
      const response = await app.inject({
        method: c.method,
        url: c.url,
        ...(c.payload !== undefined ? { payload: c.payload, headers: { "content-type": c.contentType ?? "application/json" } } : {}),
      });
      const body = response.json() as { error_code?: string; message?: string };
      if (response.statusCode !== c.status || body.error_code !== c.code || !body.message) {
        failures.push(`${c.name}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    const health = await app.inject({ method: "GET", url: "/health" });
    expect(health.body).toBe("OK");
  });
});
