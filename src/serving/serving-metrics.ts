/**
 * The serving server's Prometheus metrics, on a registry of their own (never prom-client's global one, so two
 * servers in one process, or two tests, never share counters).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Seconds: 0.5 ms to 1 s, finest around the 1–20 ms where a batched ONNX model answers. */
export const REQUEST_DURATION_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1,
];

/** Rows per model call: powers of two up to 512. */
export const BATCH_SIZE_BUCKETS: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

export interface RequestObservation {
  readonly model: string;
  readonly version: string;
  /** `mlflow`, `v2`, `plain`, ... */
  readonly protocol: string;
  /** The HTTP status answered, such as 200 or 400. */
  readonly status: number | string;
  /** Time from request to answer, in seconds. */
  readonly seconds: number;
}

export interface ServingMetrics {
  /** The registry holding every serving metric and the default process metrics. */
  readonly registry: Registry;
  /** The Content-Type to answer `GET /metrics` with. */
  readonly contentType: string;
  /** Counts one answered request and records its duration. */
  observeRequest(observation: RequestObservation): void;
  /** Records the rows of one model call. */
  observeBatch(model: string, rows: number): void;
  /** Records how long loading and warming `model` at `version` took, in seconds. */
  setModelLoadSeconds(model: string, version: string, seconds: number): void;
  /**
   * Reports `depth()` (rows waiting) as `model`'s queue depth at every scrape. Returns a function that stops
   * reporting it, for a model that is unloaded.
   */
  trackQueueDepth(model: string, depth: () => number): () => void;
  /** Counts prediction-log records dropped. */
  countDropped(count: number): void;
  /** Counts one failed prediction-log write. */
  countLogError(): void;
  /** The Prometheus text exposition of every metric. */
  metricsText(): Promise<string>;
}

/** Label values joined into one map key; NUL never appears in a model name or protocol. */
function keyOf(...parts: readonly string[]): string {
  return parts.join("\u0000");
}

/**
 * Builds the serving metrics on a fresh registry. Recording runs per request, so each label combination's
 * prom-client child is looked up once and kept: a record is then one Map lookup and one increment.
 *
 * @example
 * const metrics = createServingMetrics();
 * metrics.observeRequest({ model: "churn", version: "3", protocol: "mlflow", status: 200, seconds: 0.004 });
 * reply.type(metrics.contentType).send(await metrics.metricsText());
 */
export function createServingMetrics(): ServingMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: "keel_serving_requests_total",
    help: "Prediction requests answered, by model, version, protocol and HTTP status.",
    labelNames: ["model", "version", "protocol", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "keel_serving_request_duration_seconds",
    help: "Time from receiving a prediction request to answering it, in seconds.",
    labelNames: ["model", "protocol"] as const,
    buckets: [...REQUEST_DURATION_BUCKETS],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: "keel_serving_batch_size",
    help: "Rows per model call after dynamic batching.",
    labelNames: ["model"] as const,
    buckets: [...BATCH_SIZE_BUCKETS],
    registers: [registry],
  });
  const queueDepths = new Map<string, () => number>();
  const queueDepth = new Gauge({
    name: "keel_serving_queue_depth",
    help: "Rows waiting in the model's batching queue.",
    labelNames: ["model"] as const,
    registers: [registry],
    collect() {
      // Reset first, so a model no longer tracked disappears from the exposition.
      queueDepth.reset();
      for (const [model, depth] of queueDepths) queueDepth.set({ model }, depth());
    },
  });
  const modelLoad = new Gauge({
    name: "keel_serving_model_load_seconds",
    help: "Time taken to load and warm the model version, in seconds.",
    labelNames: ["model", "version"] as const,
    registers: [registry],
  });
  const dropped = new Counter({
    name: "keel_serving_prediction_log_dropped_total",
    help: "Prediction-log records dropped because the log's buffer was full or a record could not be written.",
    registers: [registry],
  });
  const logErrors = new Counter({
    name: "keel_serving_prediction_log_errors_total",
    help: "Prediction-log writes that failed (their rows are kept and retried).",
    registers: [registry],
  });

  const requestChildren = new Map<string, { inc(): void }>();
  const durationChildren = new Map<string, { observe(value: number): void }>();
  const batchChildren = new Map<string, { observe(value: number): void }>();

  return {
    registry,
    contentType: registry.contentType,
    observeRequest({ model, version, protocol, status, seconds }: RequestObservation): void {
      const statusText = String(status);
      const requestKey = keyOf(model, version, protocol, statusText);
      let counter = requestChildren.get(requestKey);
      if (counter === undefined) {
        counter = requests.labels({ model, version, protocol, status: statusText });
        requestChildren.set(requestKey, counter);
      }
      counter.inc();
      const durationKey = keyOf(model, protocol);
      let histogram = durationChildren.get(durationKey);
      if (histogram === undefined) {
        histogram = duration.labels({ model, protocol });
        durationChildren.set(durationKey, histogram);
      }
      histogram.observe(seconds);
    },
    observeBatch(model: string, rows: number): void {
      let histogram = batchChildren.get(model);
      if (histogram === undefined) {
        histogram = batchSize.labels({ model });
        batchChildren.set(model, histogram);
      }
      histogram.observe(rows);
    },
    setModelLoadSeconds(model: string, version: string, seconds: number): void {
      modelLoad.set({ model, version }, seconds);
    },
    trackQueueDepth(model: string, depth: () => number): () => void {
      queueDepths.set(model, depth);
      return () => {
        if (queueDepths.get(model) === depth) queueDepths.delete(model);
      };
    },
    countDropped(count: number): void {
      if (count > 0) dropped.inc(count);
    },
    countLogError(): void {
      logErrors.inc();
    },
    metricsText(): Promise<string> {
      return registry.metrics();
    },
  };
}
