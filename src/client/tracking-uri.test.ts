import { describe, expect, it } from "vitest";
import { KeelError } from "../core/errors.js";
import { DEFAULT_TRACKING_URI, resolveTrackingUri } from "./tracking-uri.js";

describe("resolveTrackingUri", () => {
  const env = { KEEL_TRACKING_URI: "http://keel:5000", MLFLOW_TRACKING_URI: "http://mlflow:5000" };

  it("prefers the explicit option over both environment variables", () => {
    expect(resolveTrackingUri("http://explicit:1234", env)).toBe("http://explicit:1234");
  });

  it("prefers KEEL_TRACKING_URI over MLFLOW_TRACKING_URI", () => {
    expect(resolveTrackingUri(undefined, env)).toBe("http://keel:5000");
  });

  it("falls back to MLFLOW_TRACKING_URI, then the local default", () => {
    expect(resolveTrackingUri(undefined, { MLFLOW_TRACKING_URI: "https://mlflow.example.com" })).toBe("https://mlflow.example.com");
    expect(resolveTrackingUri(undefined, {})).toBe(DEFAULT_TRACKING_URI);
    expect(DEFAULT_TRACKING_URI).toBe("http://127.0.0.1:5000");
  });

  it("treats empty values as unset", () => {
    expect(resolveTrackingUri("", { KEEL_TRACKING_URI: "  ", MLFLOW_TRACKING_URI: "http://mlflow:5000" })).toBe("http://mlflow:5000");
  });

  it("drops trailing slashes but keeps a path prefix", () => {
    expect(resolveTrackingUri("http://proxy/mlflow/", {})).toBe("http://proxy/mlflow");
  });

  it("refuses a URI that is not http(s), naming where it came from", () => {
    expect(() => resolveTrackingUri(undefined, { KEEL_TRACKING_URI: "file:///tmp/mlruns" })).toThrowError(/KEEL_TRACKING_URI/);
    expect(() => resolveTrackingUri("databricks", {})).toThrowError(KeelError);
  });
});
