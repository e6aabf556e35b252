/**
 * The configuration of `keel serve`: one model URI from the command line, or a YAML file naming several
 * models, their traffic splits and the server's settings. YAML keys are snake_case, the TypeScript shape is
 * camelCase. Every refusal is an INVALID_PARAMETER_VALUE that names the file (or the flag), the key path and
 * what to write instead. Paths are kept as written: relative ones are relative to where `keel serve` runs.
 */
import { basename, resolve } from "node:path";
import { parseDocument } from "yaml";
import { invalidParameter } from "../core/errors.js";
import { parseModelUri } from "../core/model-uri.js";
import { MODEL_URI_EXAMPLE, readModelUri, readServedModels } from "./serve-config-models.js";
import type { ServedModel } from "./serve-config-models.js";
import { describeValue, openMapping, readNumbers, refuse, switchable } from "./serve-config-reader.js";
import type { ConfigContext, NumberKey, Raw } from "./serve-config-reader.js";

export type { ModelVariant, ServedModel, StickyKey } from "./serve-config-models.js";
export { SINGLE_VARIANT_NAME } from "./serve-config-models.js";

export interface BatchingConfig {
  /** Most rows run in one onnxruntime call. */
  readonly maxBatchSize: number;
  /** Longest a request waits for others to join its batch, in milliseconds; 0 runs what is queued at once. */
  readonly maxQueueDelayMs: number;
  /** Most rows waiting in one model's queue. */
  readonly maxQueueRows: number;
  /** Most batches of one model running at the same time. */
  readonly maxInFlight: number;
}

export type ExecutionMode = "sequential" | "parallel";

/** onnxruntime session options; a thread count of 0 lets onnxruntime choose. */
export interface RuntimeConfig {
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
  readonly executionMode: ExecutionMode;
}

export interface PredictionLogConfig {
  /** A local directory path, a `file:` URI or an `s3://bucket/prefix` URI. */
  readonly destination: string;
  readonly flushRows: number;
  readonly flushIntervalMs: number;
  /** Rows held while writes are slow; past it rows are counted as dropped, never block a prediction. */
  readonly maxBufferedRows: number;
}

export interface ReloadConfig {
  /** Seconds between registry polls for moved aliases and stages; 0 turns polling off (POST /keel/reload still works). */
  readonly pollIntervalS: number;
}

export interface LimitsConfig {
  readonly maxBodyBytes: number;
  readonly maxRows: number;
}

export interface ServeConfig {
  readonly host: string;
  readonly port: number;
  /** false: every request runs on its own. */
  readonly batching: BatchingConfig | false;
  readonly runtime: RuntimeConfig;
  /** false: predictions are not logged. */
  readonly predictionLog: PredictionLogConfig | false;
  readonly reload: ReloadConfig;
  readonly limits: LimitsConfig;
  readonly models: readonly ServedModel[];
}

export const SERVE_DEFAULTS = {
  host: "127.0.0.1",
  port: 8080,
  batching: { maxBatchSize: 64, maxQueueDelayMs: 0, maxQueueRows: 10_000, maxInFlight: 1 },
  runtime: { intraOpThreads: 1, interOpThreads: 1, executionMode: "sequential" },
  predictionLog: { destination: "./keel-data", flushRows: 1000, flushIntervalMs: 1000, maxBufferedRows: 100_000 },
  reload: { pollIntervalS: 10 },
  limits: { maxBodyBytes: 10_485_760, maxRows: 10_000 },
} as const satisfies Omit<ServeConfig, "models">;

const EXECUTION_MODES: readonly ExecutionMode[] = ["sequential", "parallel"];
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

const TOP_KEYS = ["host", "port", "batching", "runtime", "prediction_log", "reload", "limits", "models"];
const int = (key: string, min: number) => ({ key, min, integer: true });
const BATCHING = {
  maxBatchSize: int("max_batch_size", 1),
  maxQueueDelayMs: { key: "max_queue_delay_ms", min: 0, integer: false },
  maxQueueRows: int("max_queue_rows", 1),
  maxInFlight: int("max_in_flight", 1),
};
const THREADS = { intraOpThreads: int("intra_op_threads", 0), interOpThreads: int("inter_op_threads", 0) };
const PREDICTION_LOG = {
  flushRows: int("flush_rows", 1),
  flushIntervalMs: int("flush_interval_ms", 1),
  maxBufferedRows: int("max_buffered_rows", 1),
};
const RELOAD = { pollIntervalS: { key: "poll_interval_s", min: 0, integer: false } };
const LIMITS = { maxBodyBytes: int("max_body_bytes", 1), maxRows: int("max_rows", 1) };
const keysOf = (table: Readonly<Record<string, NumberKey>>): string[] => Object.values(table).map((spec) => spec.key);

/**
 * Parses a `keel serve --config` file; `source` (the file's path) heads every refusal.
 * @example parseServeConfig("models:\n  - name: churn\n    uri: models:/churn@production\n", "serve.yaml").port // 8080
 */
export function parseServeConfig(text: string, source: string): ServeConfig {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw invalidParameter(`${source} is not valid YAML: ${document.errors[0].message}`);
  }
  const context: ConfigContext = {
    where: (path) => (path === "" ? source : `${source}: ${path}`),
    example: (path, value) => {
      if (path === "") return value;
      return path.endsWith("]") ? `- ${value}` : `${path.slice(path.lastIndexOf(".") + 1)}: ${value}`;
    },
  };
  const root: unknown = document.toJS();
  if (root === null || root === undefined) {
    refuse(context, "", "is empty; it needs a `models` list", `models: [{ name: churn, uri: "${MODEL_URI_EXAMPLE}" }]`);
  }
  return readConfig(context, root);
}

/** `keel serve` flags; numbers come as commander gives them (text) or as numbers. */
export interface ServeFlags {
  /** The name clients use; default: the registered model's name, or the model directory's base name. */
  readonly name?: string;
  readonly host?: string;
  readonly port?: string | number;
  /** false (`--no-batching`): every request runs on its own. */
  readonly batching?: boolean;
  readonly maxBatchSize?: string | number;
  readonly maxQueueDelayMs?: string | number;
  readonly intraOpThreads?: string | number;
  readonly interOpThreads?: string | number;
  /** A destination, or false (`--no-prediction-log`). */
  readonly predictionLog?: string | false;
  /** Seconds between registry polls; 0 turns polling off. */
  readonly pollInterval?: string | number;
  readonly maxBodyBytes?: string | number;
  readonly maxRows?: string | number;
}

const FLAG_BY_PATH: Readonly<Record<string, string>> = {
  host: "--host",
  port: "--port",
  "batching.max_batch_size": "--max-batch-size",
  "batching.max_queue_delay_ms": "--max-queue-delay-ms",
  "runtime.intra_op_threads": "--intra-op-threads",
  "runtime.inter_op_threads": "--inter-op-threads",
  "prediction_log.destination": "--prediction-log",
  "reload.poll_interval_s": "--poll-interval",
  "limits.max_body_bytes": "--max-body-bytes",
  "limits.max_rows": "--max-rows",
  "models[0].name": "--name",
};
const URI_PATH = "models[0].uri";

/**
 * The config of `keel serve MODEL_URI [flags]`: one model, every setting not given at its default.
 * @example serveConfigFromUri("models:/churn-classifier@production", { port: "9000" }).models[0].name // "churn-classifier"
 */
export function serveConfigFromUri(uri: string, flags: ServeFlags = {}): ServeConfig {
  const context: ConfigContext = {
    where: (path) => (path === URI_PATH ? `the model URI '${uri}'` : `${FLAG_BY_PATH[path] ?? path}`),
    example: (path, value) => (path === URI_PATH ? `keel serve ${value}` : `keel serve ... ${FLAG_BY_PATH[path] ?? path} ${value}`),
  };
  readModelUri(context, URI_PATH, uri);
  const name = flags.name ?? defaultModelName(uri);
  if (name === "") refuse(context, "models[0].name", `cannot be derived from '${uri}'; give one`, "churn");
  const raw: Raw = {
    host: flags.host,
    port: flagNumber(flags.port),
    batching: flags.batching === false ? false : {
      max_batch_size: flagNumber(flags.maxBatchSize),
      max_queue_delay_ms: flagNumber(flags.maxQueueDelayMs),
    },
    runtime: { intra_op_threads: flagNumber(flags.intraOpThreads), inter_op_threads: flagNumber(flags.interOpThreads) },
    prediction_log: flags.predictionLog === false ? false : { destination: flags.predictionLog },
    reload: { poll_interval_s: flagNumber(flags.pollInterval) },
    limits: { max_body_bytes: flagNumber(flags.maxBodyBytes), max_rows: flagNumber(flags.maxRows) },
    models: [{ name, uri }],
  };
  return readConfig(context, raw);
}

function flagNumber(value: string | number | undefined): string | number | undefined {
  return typeof value === "string" && /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : value;
}

/** The registered model's name, else the last segment of the path, made into a valid served-model name. */
function defaultModelName(uri: string): string {
  const parsed = parseModelUri(uri);
  let base: string;
  if (parsed.kind === "run") base = parsed.path;
  else if (parsed.kind !== "artifact") base = parsed.name;
  else if (SCHEME.test(uri)) base = uri.replace(/[?#].*$/s, "");
  else base = basename(resolve(uri));
  const last = base.replace(/[/\\]+$/, "").split(/[/\\]/).pop() ?? "";
  return last.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

function readConfig(context: ConfigContext, root: unknown): ServeConfig {
  const raw = openMapping(context, "", root, TOP_KEYS);
  const defaults = SERVE_DEFAULTS;
  const batching = switchable(context, "batching", raw.batching, keysOf(BATCHING));
  const runtime = openMapping(context, "runtime", raw.runtime ?? {}, [...keysOf(THREADS), "execution_mode"]);
  const log = switchable(context, "prediction_log", raw.prediction_log, ["destination", ...keysOf(PREDICTION_LOG)]);
  const reload = openMapping(context, "reload", raw.reload ?? {}, [RELOAD.pollIntervalS.key]);
  const limits = openMapping(context, "limits", raw.limits ?? {}, keysOf(LIMITS));
  const host = raw.host ?? defaults.host;
  if (typeof host !== "string" || host.trim() === "") refuse(context, "host", "must be a host name or IP address", "0.0.0.0");
  const mode = runtime.execution_mode ?? defaults.runtime.executionMode;
  if (!EXECUTION_MODES.includes(mode as ExecutionMode)) {
    refuse(context, "runtime.execution_mode", `must be one of ${EXECUTION_MODES.join(", ")}, not ${describeValue(mode)}`, "parallel");
  }
  return {
    host,
    port: readNumbers(context, "", raw, { port: { key: "port", min: 0, max: 65_535, integer: true } }, defaults).port,
    batching: batching && readNumbers(context, "batching", batching, BATCHING, defaults.batching),
    runtime: { ...readNumbers(context, "runtime", runtime, THREADS, defaults.runtime), executionMode: mode as ExecutionMode },
    predictionLog: log && readPredictionLog(context, log),
    reload: readNumbers(context, "reload", reload, RELOAD, defaults.reload),
    limits: readNumbers(context, "limits", limits, LIMITS, defaults.limits),
    models: readServedModels(context, raw.models),
  };
}

function readPredictionLog(context: ConfigContext, raw: Raw): PredictionLogConfig {
  const defaults = SERVE_DEFAULTS.predictionLog;
  const destination = raw.destination ?? defaults.destination;
  const path = "prediction_log.destination";
  if (typeof destination !== "string" || destination.trim() === "") {
    refuse(context, path, "must be a directory path or an s3:// URI", "s3://bucket/predictions");
  }
  const scheme = SCHEME.exec(destination)?.[1].toLowerCase();
  if (scheme !== undefined && scheme !== "s3" && scheme !== "file") {
    refuse(context, path, `cannot be a '${scheme}:' URI; use a directory path, file: or s3://`, defaults.destination);
  }
  const numbers = readNumbers(context, "prediction_log", raw, PREDICTION_LOG, defaults);
  if (numbers.maxBufferedRows < numbers.flushRows) {
    const problem =
      `(${numbers.maxBufferedRows}) must be at least flush_rows (${numbers.flushRows}), ` +
      "or the buffer fills before a flush is due";
    refuse(context, "prediction_log.max_buffered_rows", problem, String(numbers.flushRows * 100));
  }
  return { destination, ...numbers };
}

