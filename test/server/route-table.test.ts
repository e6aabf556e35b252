import { describe, expect, it } from "vitest";
import { MLFLOW_ROUTES } from "../../src/server/mlflow-routes.js";

/**
 * MLflow's tracking service endpoints (mlflow/protos/service.proto, REST API 2.0) that Keel must serve.
 * A route missing from the table, or served with another method, fails here.
 */
const MLFLOW_TRACKING_ENDPOINTS: readonly [string, string][] = [
  ["POST", "/mlflow/experiments/create"],
  ["GET", "/mlflow/experiments/get"],
  ["GET", "/mlflow/experiments/get-by-name"],
  ["GET", "/mlflow/experiments/search"],
  ["POST", "/mlflow/experiments/search"],
  ["POST", "/mlflow/experiments/update"],
  ["POST", "/mlflow/experiments/delete"],
  ["POST", "/mlflow/experiments/restore"],
  ["POST", "/mlflow/experiments/set-experiment-tag"],
  ["POST", "/mlflow/experiments/delete-experiment-tag"],
  ["POST", "/mlflow/runs/create"],
  ["GET", "/mlflow/runs/get"],
  ["POST", "/mlflow/runs/update"],
  ["POST", "/mlflow/runs/delete"],
  ["POST", "/mlflow/runs/restore"],
  ["POST", "/mlflow/runs/search"],
  ["POST", "/mlflow/runs/log-metric"],
  ["POST", "/mlflow/runs/log-parameter"],
  ["POST", "/mlflow/runs/set-tag"],
  ["POST", "/mlflow/runs/delete-tag"],
  ["POST", "/mlflow/runs/log-batch"],
  ["POST", "/mlflow/runs/log-inputs"],
  ["POST", "/mlflow/runs/log-model"],
  ["GET", "/mlflow/metrics/get-history"],
  ["GET", "/mlflow/metrics/get-history-bulk-interval"],
  ["GET", "/mlflow/artifacts/list"],
];

/** MLflow's Model Registry endpoints (mlflow/protos/model_registry.proto). */
const MLFLOW_REGISTRY_ENDPOINTS: readonly [string, string][] = [
  ["POST", "/mlflow/registered-models/create"],
  ["GET", "/mlflow/registered-models/get"],
  ["POST", "/mlflow/registered-models/rename"],
  ["PATCH", "/mlflow/registered-models/update"],
  ["DELETE", "/mlflow/registered-models/delete"],
  ["GET", "/mlflow/registered-models/search"],
  ["GET", "/mlflow/registered-models/get-latest-versions"],
  ["POST", "/mlflow/registered-models/get-latest-versions"],
  ["POST", "/mlflow/registered-models/set-tag"],
  ["DELETE", "/mlflow/registered-models/delete-tag"],
  ["POST", "/mlflow/registered-models/alias"],
  ["DELETE", "/mlflow/registered-models/alias"],
  ["GET", "/mlflow/registered-models/alias"],
  ["POST", "/mlflow/model-versions/create"],
  ["GET", "/mlflow/model-versions/get"],
  ["PATCH", "/mlflow/model-versions/update"],
  ["DELETE", "/mlflow/model-versions/delete"],
  ["GET", "/mlflow/model-versions/search"],
  ["POST", "/mlflow/model-versions/transition-stage"],
  ["POST", "/mlflow/model-versions/set-tag"],
  ["DELETE", "/mlflow/model-versions/delete-tag"],
  ["GET", "/mlflow/model-versions/get-download-uri"],
];

describe("the MLflow route table", () => {
  const served = new Set(
    MLFLOW_ROUTES.flatMap((r) => (typeof r.method === "string" ? [r.method] : r.method).map((m) => `${m} ${r.path}`)),
  );
  it.each([...MLFLOW_TRACKING_ENDPOINTS, ...MLFLOW_REGISTRY_ENDPOINTS])("serves %s %s", (method, path) => {
    expect(served.has(`${method} ${path}`)).toBe(true);
  });
  it("declares each method and path once", () => {
    const routes = MLFLOW_ROUTES.flatMap((r) => (typeof r.method === "string" ? [r.method] : r.method).map((m) => `${m} ${r.path}`));
    expect(new Set(routes).size).toBe(routes.length);
  });
});
