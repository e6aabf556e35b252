/**
 * The HTTP face of `keel serve`: MLflow's scoring protocol, KServe's Open Inference Protocol V2 and the plain
 * `/predict` of the FastAPI apps it replaces, all on one port, plus health, Prometheus metrics and a reload
 * hook. Bodies are taken raw and decoded straight into typed arrays by the serving domain's codecs.
 */
import { randomBytes } from "node:crypto";
import Fastify from "fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { KeelError } from "../core/errors.js";
import { KEEL_VERSION } from "../core/version.js";
import { decodeV2Infer, encodeV2Infer, v2ErrorBody, v2ModelMetadata } from "../serving/kserve-v2.js";
import { decodeMlflowScoring, encodeMlflowPredictions, scoringContentKind } from "../serving/mlflow-scoring.js";
import type { ModelFleet, ServedEndpoint, VariantSlot } from "../serving/model-fleet.js";
import { endpointOf } from "../serving/model-fleet.js";
import type { LoadedModel } from "../serving/onnx-model.js";
import { decodePlainPredict, encodePlainPredict } from "../serving/plain-predict.js";
import { predictionTimestamp } from "../serving/prediction-log.js";
import type { PredictionSink } from "../serving/prediction-sink.js";
import type { LabelRecord } from "../monitoring/log/labels.js";
import { parseLabelRecords } from "../monitoring/log/labels.js";
import type { ServingMetrics } from "../serving/serving-metrics.js";
import type { OutputBatch, RowBatch } from "../serving/types.js";

export interface ServingAppOptions {
  readonly fleet: ModelFleet;
  readonly metrics: ServingMetrics;
  /** Where every answered row is logged, or null for no prediction log. */
  readonly predictions: PredictionSink | null;
  readonly maxBodyBytes: number;
  readonly maxRows: number;
  /** One JSON line per request (structured access log), or null for none. */
  readonly accessLog: ((line: string) => void) | null;
  /** Told of errors that are Keel's fault (answered as INTERNAL_ERROR). */
  readonly onInternalError?: (error: unknown) => void;
  /** Stores late labels beside a local prediction log and returns how many; absent when there is none. */
  readonly labels?: (records: readonly LabelRecord[]) => Promise<number>;
}

type Protocol = "mlflow" | "v2" | "plain";

/** A scored request: the model version that answered (fixed for the request, even across a swap), the batch as decoded and its outputs. */
interface Scored {
  readonly model: LoadedModel;
  readonly batch: RowBatch;
  readonly out: OutputBatch;
}

const REQUEST_PREFIX = randomBytes(4).toString("hex");
let requestCounter = 0;

function requestIdOf(request: FastifyRequest): string {
  const given = request.headers["x-request-id"];
  if (typeof given === "string" && given.length > 0 && given.length <= 200) return given;
  requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${REQUEST_PREFIX}-${requestCounter.toString(36)}`;
}

/** The request's sticky key, from a header or a top-level JSON field of the body, when the model has one. */
function stickyKeyOf(endpoint: ServedEndpoint, request: FastifyRequest, body: Buffer): string | undefined {
  const sticky = endpoint.stickyKey;
  if (!sticky) return undefined;
  if (sticky.from === "header") {
    const value = request.headers[sticky.name];
    return typeof value === "string" ? value : undefined;
  }
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    const value = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>)[sticky.name] : undefined;
    return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
  } catch {
    return undefined;
  }
}

/** A Content-Type the MLflow protocol does not take: HTTP 415, as MLflow's scoring server answers. */
class UnsupportedMediaType extends KeelError {
  override get httpStatus(): number {
    return 415;
  }
}

function errorStatus(error: unknown): number {
  return error instanceof KeelError ? error.httpStatus : 500;
}

/** The label for a model name no endpoint has: clients' typos must not become metric series. */
const UNKNOWN_MODEL = "(unknown)";

/**
 * Builds the serving app over loaded models. The caller listens on it and closes it (which stops taking
 * connections and lets requests in flight finish).
 */
export function buildServingApp(options: ServingAppOptions): FastifyInstance {
  const { fleet, metrics, predictions, accessLog } = options;
  const app = Fastify({ logger: false, bodyLimit: options.maxBodyBytes, return503OnClosing: true, forceCloseConnections: "idle" });
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  // While stopping, every answer closes its connection: keep-alive clients would otherwise hold close() open
  // until their idle timeout, past a Kubernetes grace period, and the prediction log would not be flushed.
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (closing) void reply.header("connection", "close");
    done(null, payload);
  });

  /** Counts and logs one answered request (also those refused before scoring: 413, 415). */
  const record = (request: FastifyRequest, fields: { protocol: string; model: string; version: string; status: number; seconds: number; requestId: string }): void => {
    metrics.observeRequest({ model: fields.model, version: fields.version, protocol: fields.protocol, status: fields.status, seconds: fields.seconds });
    if (accessLog) {
      const { requestId, protocol, model, version, status, seconds } = fields;
      accessLog(
        `{"time":"${predictionTimestamp(Date.now())}","request_id":${JSON.stringify(requestId)},"method":"${request.method}","path":${JSON.stringify(request.url)},` +
          `"protocol":"${protocol}","model":${JSON.stringify(model)},"version":${JSON.stringify(version)},"status":${status},"latency_ms":${Math.round(seconds * 1e6) / 1000}}`,
      );
    }
  };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  /** Decodes, routes, scores, logs and answers one request in the protocol's own error form. */
  const score = async (
    protocol: Protocol,
    request: FastifyRequest,
    reply: FastifyReply,
    modelName: string | undefined,
    pinnedVersion: string | undefined,
    decode: (body: Buffer, model: LoadedModel) => RowBatch,
    encode: (scored: Scored) => unknown,
    fail: (error: unknown) => unknown,
  ): Promise<unknown> => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    let endpointName = UNKNOWN_MODEL;
    let version = "";
    let status = 200;
    let answer: unknown;
    try {
      const endpoint = endpointOf(fleet, modelName);
      endpointName = endpoint.name;
      const slot = pinnedVersion === undefined ? endpoint.pick(stickyKeyOf(endpoint, request, body)) : pinnedSlot(endpoint, pinnedVersion);
      const deployment = slot.current;
      version = deployment.model.version;
      const batch = decode(body, deployment.model);
      const out = await deployment.score(batch);
      answer = encode({ model: deployment.model, batch, out });
      const latencyMs = performance.now() - started;
      predictions?.log({ requestId, timestamp: Date.now(), model: endpoint.name, protocol, latencyMs }, deployment.model, batch, out);
      const shadow = endpoint.shadow;
      if (shadow) void shadowScore(shadow, batch, { requestId, model: endpoint.name, protocol });
    } catch (error) {
      status = errorStatus(error);
      if (status >= 500 && !(error instanceof KeelError && error.code === "TEMPORARILY_UNAVAILABLE")) options.onInternalError?.(error);
      answer = fail(error);
    }
    record(request, { protocol, model: endpointName, version, status, seconds: (performance.now() - started) / 1000, requestId });
    void reply.header("x-request-id", requestId);
    if (version !== "") void reply.header("x-keel-model-version", version);
    return reply.status(status).type("application/json").send(JSON.stringify(answer));
  };

  /** The shadow's answers go to the prediction log only; its failures never reach the caller. */
  const shadowScore = async (slot: VariantSlot, batch: RowBatch, request: { requestId: string; model: string; protocol: string }): Promise<void> => {
    const started = performance.now();
    try {
      const deployment = slot.current;
      const out = await deployment.score(batch);
      predictions?.log({ ...request, timestamp: Date.now(), latencyMs: performance.now() - started, shadow: true }, deployment.model, batch, out);
    } catch (error) {
      options.onInternalError?.(error);
    }
  };

  const pinnedSlot = (endpoint: ServedEndpoint, version: string): VariantSlot => {
    const slot = endpoint.variants.find((v) => v.current.model.version === version);
    if (!slot) throw new KeelError("RESOURCE_DOES_NOT_EXIST", `version '${version}' of model '${endpoint.name}' is not served here; served: ${endpoint.variants.map((v) => v.current.model.version).join(", ")}`);
    return slot;
  };

  const mlflowError = (error: unknown) =>
    error instanceof KeelError ? { error_code: error.code, message: error.message } : { error_code: "INTERNAL_ERROR", message: "the model server failed to score the request; see its log" };
  const plainError = (error: unknown) => ({ detail: error instanceof KeelError ? error.message : "the model server failed to score the request; see its log" });
  const v2Error = (error: unknown) => v2ErrorBody(error instanceof KeelError ? error.message : "the model server failed to score the request; see its log");
  const maxRows = options.maxRows;
  const modelQuery = (request: FastifyRequest): string | undefined => {
    const model = (request.query as Record<string, unknown>).model;
    return typeof model === "string" ? model : undefined;
  };

  // MLflow scoring protocol.
  app.get("/ping", async (_request, reply) => reply.status(closing ? 503 : 200).type("application/json").send("\n"));
  app.get("/health", async (_request, reply) => reply.status(closing ? 503 : 200).send({ status: closing ? "stopping" : "healthy" }));
  app.get("/version", async (_request, reply) => reply.type("text/plain").send(KEEL_VERSION));
  app.post("/invocations", async (request, reply) => {
    const contentType = request.headers["content-type"];
    return score("mlflow", request, reply, modelQuery(request), undefined,
      (body, model) => {
        try {
          scoringContentKind(contentType);
        } catch (error) {
          throw new UnsupportedMediaType("BAD_REQUEST", error instanceof Error ? error.message : String(error));
        }
        return decodeMlflowScoring(body, contentType, model, { maxRows, ...(model.columnNames ? { columnNames: model.columnNames } : {}) });
      },
      ({ model, out }) => encodeMlflowPredictions(out, model),
      mlflowError);
  });

  // Plain /predict, as the FastAPI apps it replaces answer.
  const singles = new WeakMap<FastifyRequest, boolean>();
  app.post("/predict", async (request, reply) =>
    score("plain", request, reply, modelQuery(request), undefined,
      (body, model) => {
        const decoded = decodePlainPredict(body, model, { maxRows });
        singles.set(request, decoded.single);
        return decoded;
      },
      ({ model, out }) => encodePlainPredict(out, model, singles.get(request) ?? true, { modelVersion: model.version }),
      plainError));

  // KServe Open Inference Protocol V2.
  app.get("/v2", async () => ({ name: "keel", version: KEEL_VERSION, extensions: [] }));
  app.get("/v2/health/live", async (_request, reply) => reply.status(200).send({ live: true }));
  app.get("/v2/health/ready", async (_request, reply) => reply.status(closing ? 503 : 200).send({ ready: !closing }));
  const v2Endpoint = (request: FastifyRequest, reply: FastifyReply): { endpoint: ServedEndpoint; slot: VariantSlot } | undefined => {
    const params = request.params as { name: string; version?: string };
    const endpoint = fleet.endpoints.get(params.name);
    const slot = endpoint?.variants.find((v) => params.version === undefined || v.current.model.version === params.version);
    if (!endpoint || !slot) {
      const what = endpoint ? `version '${params.version}' of model '${params.name}'` : `model '${params.name}'`;
      void reply.status(404).send(v2ErrorBody(`${what} is not served here; served: ${[...fleet.endpoints.keys()].join(", ")}`));
      return undefined;
    }
    return { endpoint, slot };
  };
  for (const prefix of ["/v2/models/:name", "/v2/models/:name/versions/:version"]) {
    app.get(prefix, async (request, reply) => {
      const found = v2Endpoint(request, reply);
      if (!found) return reply;
      const versions = [...new Set(found.endpoint.variants.map((v) => v.current.model.version))];
      return reply.send(v2ModelMetadata(found.slot.current.model, { name: found.endpoint.name, versions, platform: "onnxruntime_onnx" }));
    });
    app.get(`${prefix}/ready`, async (request, reply) => {
      const found = v2Endpoint(request, reply);
      if (!found) return reply;
      return reply.status(closing ? 503 : 200).send({ name: found.endpoint.name, ready: !closing });
    });
    app.post(`${prefix}/infer`, async (request, reply) => {
      const params = request.params as { name: string; version?: string };
      const ids = new WeakMap<RowBatch, { id?: string; requestedOutputs?: string[] }>();
      if (params.version !== undefined && !v2Endpoint(request, reply)) return reply;
      return score("v2", request, reply, params.name, params.version,
        (body, model) => {
          const decoded = decodeV2Infer(body, model, { maxRows });
          ids.set(decoded.batch, { ...(decoded.id !== undefined ? { id: decoded.id } : {}), ...(decoded.requestedOutputs ? { requestedOutputs: decoded.requestedOutputs } : {}) });
          return decoded.batch;
        },
        ({ model, batch, out }) => encodeV2Infer(out, model, { modelName: params.name, modelVersion: model.version, ...ids.get(batch) }),
        v2Error);
    });
  }

  app.get("/metrics", async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metricsText()));
  // Answers what serves now and, with 503, any version that failed to load (its predecessor keeps serving).
  app.post("/keel/reload", async (_request, reply) => {
    const failures = await fleet.reload();
    const models = [...fleet.endpoints.values()].map((e) => ({ name: e.name, versions: e.variants.map((v) => ({ variant: v.name, uri: v.uri, version: v.current.model.version })) }));
    return reply.status(failures.length > 0 ? 503 : 200).send({ models, failures });
  });

  // Late ground truth for logged predictions, keyed by the x-request-id each answer carried.
  app.post("/keel/labels", async (request, reply) => {
    if (!options.labels) {
      return reply.status(400).send({ error_code: "INVALID_PARAMETER_VALUE", message: "this server keeps no local prediction log, so it takes no labels; start it with --prediction-log DIR" });
    }
    let records;
    try {
      const body = Buffer.isBuffer(request.body) ? request.body.toString("utf8") : "";
      records = parseLabelRecords(JSON.parse(body) as unknown);
    } catch (error) {
      const message = error instanceof SyntaxError ? `the body is not JSON: ${error.message}` : error instanceof Error ? error.message : String(error);
      return reply.status(400).send({ error_code: error instanceof SyntaxError ? "MALFORMED_REQUEST" : "INVALID_PARAMETER_VALUE", message });
    }
    return reply.send({ added: await options.labels(records) });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error_code: "ENDPOINT_NOT_FOUND", message: `no endpoint ${request.method} ${request.url}; see the serving endpoints with GET /v2 and POST /invocations, /predict` }));
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const statusCode = error.statusCode ?? 500;
    const message = error.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? `the request body is larger than ${options.maxBodyBytes} bytes; send fewer rows per request` : statusCode < 500 ? error.message : "internal error";
    if (statusCode >= 500) options.onInternalError?.(error);
    const protocol = request.url.startsWith("/v2") ? "v2" : request.url.startsWith("/predict") ? "plain" : request.url.startsWith("/invocations") ? "mlflow" : "other";
    const requestId = requestIdOf(request);
    record(request, { protocol, model: UNKNOWN_MODEL, version: "", status: statusCode, seconds: 0, requestId });
    void reply.header("x-request-id", requestId);
    if (protocol === "v2") return reply.status(statusCode).send(v2ErrorBody(message));
    if (protocol === "plain") return reply.status(statusCode).send({ detail: message });
    return reply.status(statusCode).send({ error_code: statusCode === 413 ? "INVALID_PARAMETER_VALUE" : statusCode < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR", message });
  });
  return app;
}
