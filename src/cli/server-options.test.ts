import { describe, expect, it } from "vitest";
import { SERVER_DEFAULTS, resolveServerOptions } from "./server-options.js";

describe("resolveServerOptions", () => {
  it("defaults to 127.0.0.1:5000 with SQLite and artifacts under ./keel-data", () => {
    expect(resolveServerOptions({}, {})).toEqual({ ...SERVER_DEFAULTS });
    expect(SERVER_DEFAULTS.backendStoreUri).toBe("sqlite:///./keel-data/keel.db");
  });

  it("takes flags over Keel's variables over MLflow's", () => {
    const env = {
      KEEL_HOST: "0.0.0.0",
      KEEL_PORT: "6000",
      KEEL_BACKEND_STORE_URI: "sqlite:///keel.db",
      MLFLOW_BACKEND_STORE_URI: "sqlite:///mlflow.db",
      MLFLOW_ARTIFACTS_DESTINATION: "/mlflow-artifacts",
    };
    expect(resolveServerOptions({}, env)).toEqual({
      host: "0.0.0.0",
      port: 6000,
      backendStoreUri: "sqlite:///keel.db",
      artifactsDestination: "/mlflow-artifacts",
    });
    expect(resolveServerOptions({ port: "0", backendStoreUri: "postgresql://db/keel", artifactsDestination: "s3://b/p" }, env)).toMatchObject({
      port: 0,
      backendStoreUri: "postgresql://db/keel",
      artifactsDestination: "s3://b/p",
    });
  });

  it("refuses a port that is not an integer from 0 to 65535", () => {
    expect(() => resolveServerOptions({ port: "http" }, {})).toThrowError(/--port/);
    expect(() => resolveServerOptions({}, { KEEL_PORT: "70000" })).toThrowError(/KEEL_PORT/);
  });
});
