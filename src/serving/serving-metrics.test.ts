import { describe, expect, it } from "vitest";
import { createServingMetrics } from "./serving-metrics.js";

function lineOf(text: string, series: string): string | undefined {
  return text.split("\n").find((line) => line.startsWith(`${series} `));
}

describe("createServingMetrics", () => {
  it("counts requests by model, version, protocol and status", async () => {
    const metrics = createServingMetrics();
    metrics.observeRequest({ model: "churn", version: "3", protocol: "mlflow", status: 200, seconds: 0.004 });
    metrics.observeRequest({ model: "churn", version: "3", protocol: "mlflow", status: 200, seconds: 0.006 });
    metrics.observeRequest({ model: "churn", version: "4", protocol: "v2", status: "400", seconds: 0.0002 });
    const text = await metrics.metricsText();
    expect(lineOf(text, 'keel_serving_requests_total{model="churn",version="3",protocol="mlflow",status="200"}')).toMatch(/ 2$/);
    expect(lineOf(text, 'keel_serving_requests_total{model="churn",version="4",protocol="v2",status="400"}')).toMatch(/ 1$/);
  });

  it("records request durations in buckets from 0.5 ms to 1 s", async () => {
    const metrics = createServingMetrics();
    metrics.observeRequest({ model: "churn", version: "3", protocol: "plain", status: 200, seconds: 0.0004 });
    metrics.observeRequest({ model: "churn", version: "3", protocol: "plain", status: 200, seconds: 0.012 });
    metrics.observeRequest({ model: "churn", version: "3", protocol: "plain", status: 200, seconds: 2 });
    const text = await metrics.metricsText();
    const series = 'keel_serving_request_duration_seconds_bucket{le="%s",model="churn",protocol="plain"}';
    expect(lineOf(text, series.replace("%s", "0.0005"))).toMatch(/ 1$/);
    expect(lineOf(text, series.replace("%s", "0.015"))).toMatch(/ 2$/);
    expect(lineOf(text, series.replace("%s", "1"))).toMatch(/ 2$/);
    expect(lineOf(text, series.replace("%s", "+Inf"))).toMatch(/ 3$/);
    expect(lineOf(text, 'keel_serving_request_duration_seconds_count{model="churn",protocol="plain"}')).toMatch(/ 3$/);
  });

  it("records batch sizes in power-of-two buckets up to 512", async () => {
    const metrics = createServingMetrics();
    for (const rows of [1, 3, 64, 600]) metrics.observeBatch("churn", rows);
    const text = await metrics.metricsText();
    expect(lineOf(text, 'keel_serving_batch_size_bucket{le="1",model="churn"}')).toMatch(/ 1$/);
    expect(lineOf(text, 'keel_serving_batch_size_bucket{le="4",model="churn"}')).toMatch(/ 2$/);
    expect(lineOf(text, 'keel_serving_batch_size_bucket{le="512",model="churn"}')).toMatch(/ 3$/);
    expect(lineOf(text, 'keel_serving_batch_size_sum{model="churn"}')).toMatch(/ 668$/);
  });

  it("reads each tracked model's queue depth at scrape time and forgets an untracked one", async () => {
    const metrics = createServingMetrics();
    let depth = 3;
    const untrack = metrics.trackQueueDepth("churn", () => depth);
    metrics.trackQueueDepth("fraud", () => 0);
    expect(lineOf(await metrics.metricsText(), 'keel_serving_queue_depth{model="churn"}')).toMatch(/ 3$/);
    depth = 17;
    const text = await metrics.metricsText();
    expect(lineOf(text, 'keel_serving_queue_depth{model="churn"}')).toMatch(/ 17$/);
    expect(lineOf(text, 'keel_serving_queue_depth{model="fraud"}')).toMatch(/ 0$/);
    untrack();
    expect(lineOf(await metrics.metricsText(), 'keel_serving_queue_depth{model="churn"}')).toBeUndefined();
  });

  it("reports model load time, prediction-log drops and errors, and the default process metrics", async () => {
    const metrics = createServingMetrics();
    metrics.setModelLoadSeconds("churn", "3", 0.25);
    metrics.countDropped(5);
    metrics.countDropped(2);
    metrics.countLogError();
    const text = await metrics.metricsText();
    expect(lineOf(text, 'keel_serving_model_load_seconds{model="churn",version="3"}')).toMatch(/ 0\.25$/);
    expect(lineOf(text, "keel_serving_prediction_log_dropped_total")).toMatch(/ 7$/);
    expect(lineOf(text, "keel_serving_prediction_log_errors_total")).toMatch(/ 1$/);
    expect(text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(text).toContain("# TYPE nodejs_heap_size_used_bytes gauge");
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("keeps each instance's counts apart", async () => {
    const a = createServingMetrics();
    const b = createServingMetrics();
    a.countLogError();
    expect(lineOf(await a.metricsText(), "keel_serving_prediction_log_errors_total")).toMatch(/ 1$/);
    expect(lineOf(await b.metricsText(), "keel_serving_prediction_log_errors_total")).toMatch(/ 0$/);
  });
});
