import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { createLogger } from "../core/log.js";
import { invalidParameter } from "../core/errors.js";
import type { ServeConfig, ServeFlags } from "../serving/serve-config.js";
import { parseServeConfig, SERVE_DEFAULTS, serveConfigFromUri } from "../serving/serve-config.js";
import type { CliContext } from "./cli-context.js";
import { createServeModelSource } from "./serve-model-source.js";
import { createAccessLog } from "../serving/access-log.js";

interface ServeCommandFlags extends Omit<ServeFlags, "predictionLog"> {
  readonly config?: string;
  readonly predictionLog?: string | boolean;
  readonly accessLog?: boolean;
}

/** The `keel serve` flags that are settings (not the model): they also apply over a --config file. */
const SETTING_FLAGS = ["host", "port", "batching", "maxBatchSize", "maxQueueDelayMs", "intraOpThreads", "interOpThreads", "predictionLog", "pollInterval", "maxBodyBytes", "maxRows"] as const;

function serveFlags(flags: ServeCommandFlags): ServeFlags {
  const { config: _config, accessLog: _accessLog, predictionLog, ...rest } = flags;
  return { ...rest, ...(predictionLog === false ? { predictionLog: false } : typeof predictionLog === "string" ? { predictionLog } : {}) };
}

/** `config` with the settings given as flags put over it, each checked as the single-model form checks it. */
function withFlags(config: ServeConfig, flags: ServeFlags): ServeConfig {
  const given = SETTING_FLAGS.filter((key) => flags[key] !== undefined && !(key === "batching" && flags.batching === true));
  if (given.length === 0) return config;
  // The single-model form validates the flags; its model is a stand-in that is never loaded.
  const parsed = serveConfigFromUri(".", { ...flags, name: "flags" });
  const has = (key: (typeof SETTING_FLAGS)[number]): boolean => given.includes(key);
  const batching = has("batching") ? false : config.batching === false ? false : {
    ...config.batching,
    ...(has("maxBatchSize") && parsed.batching ? { maxBatchSize: parsed.batching.maxBatchSize } : {}),
    ...(has("maxQueueDelayMs") && parsed.batching ? { maxQueueDelayMs: parsed.batching.maxQueueDelayMs } : {}),
  };
  return {
    ...config,
    ...(has("host") ? { host: parsed.host } : {}),
    ...(has("port") ? { port: parsed.port } : {}),
    batching,
    runtime: {
      ...config.runtime,
      ...(has("intraOpThreads") ? { intraOpThreads: parsed.runtime.intraOpThreads } : {}),
      ...(has("interOpThreads") ? { interOpThreads: parsed.runtime.interOpThreads } : {}),
    },
    predictionLog: has("predictionLog") ? parsed.predictionLog : config.predictionLog,
    reload: has("pollInterval") ? parsed.reload : config.reload,
    limits: {
      maxBodyBytes: has("maxBodyBytes") ? parsed.limits.maxBodyBytes : config.limits.maxBodyBytes,
      maxRows: has("maxRows") ? parsed.limits.maxRows : config.limits.maxRows,
    },
  };
}

async function serveConfig(uri: string | undefined, flags: ServeCommandFlags): Promise<ServeConfig> {
  if (flags.config !== undefined) {
    if (uri !== undefined) throw invalidParameter(`give a model URI or --config, not both (got ${uri} and --config ${flags.config})`);
    if (flags.name !== undefined) throw invalidParameter("--name names the model of a model URI; in --config files each model has its `name`");
    const text = await readFile(flags.config, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw invalidParameter(`cannot read ${flags.config}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
    });
    return withFlags(parseServeConfig(text, flags.config), serveFlags(flags));
  }
  if (uri === undefined) throw invalidParameter("name the model to serve, e.g. `keel serve models:/churn-classifier@production`, or give --config serve.yaml");
  return serveConfigFromUri(uri, serveFlags(flags));
}

/** `keel serve`: ONNX models over HTTP until SIGINT or SIGTERM, then a graceful stop. */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command("serve")
    .description("serve ONNX models (MLflow scoring, KServe V2 and plain /predict on one port) until interrupted")
    .argument("[model-uri]", "models:/name@alias, models:/name/3, models:/name/Production, runs:/id/path or a local model directory")
    .option("--config <file>", "a serve.yaml naming several models, variants (canary, A/B), shadows and settings")
    .option("--name <name>", "the name clients use (default: the registered model's name)")
    .option("--host <host>", `address to listen on (default: ${SERVE_DEFAULTS.host})`)
    .option("--port <port>", `port; 0 picks a free one (default: ${SERVE_DEFAULTS.port})`)
    .option("--no-batching", "run every request on its own instead of batching requests that arrive together")
    .option("--max-batch-size <rows>", `most rows in one model call (default: ${SERVE_DEFAULTS.batching.maxBatchSize})`)
    .option("--max-queue-delay-ms <ms>", `longest a request waits to share a batch (default: ${SERVE_DEFAULTS.batching.maxQueueDelayMs})`)
    .option("--intra-op-threads <n>", `onnxruntime threads per model call; 0 lets it choose (default: ${SERVE_DEFAULTS.runtime.intraOpThreads})`)
    .option("--inter-op-threads <n>", `onnxruntime threads across graph nodes (default: ${SERVE_DEFAULTS.runtime.interOpThreads})`)
    .option("--prediction-log <dir-or-uri>", `where every prediction is logged as NDJSON [env KEEL_PREDICTION_LOG] (default: ${SERVE_DEFAULTS.predictionLog.destination})`)
    .option("--no-prediction-log", "do not log predictions")
    .option("--poll-interval <seconds>", `how often to ask the registry whether an alias or stage moved; 0: never (default: ${SERVE_DEFAULTS.reload.pollIntervalS})`)
    .option("--max-body-bytes <bytes>", `largest request body (default: ${SERVE_DEFAULTS.limits.maxBodyBytes})`)
    .option("--max-rows <rows>", `most rows in one request (default: ${SERVE_DEFAULTS.limits.maxRows})`)
    .option("--no-access-log", "do not write a JSON access-log line per request on stdout")
    .action(async (uri: string | undefined, flags: ServeCommandFlags, command: Command) => {
      const fromEnv = ctx.io.env.KEEL_PREDICTION_LOG;
      const config = await serveConfig(uri, flags.predictionLog === undefined && fromEnv ? { ...flags, predictionLog: fromEnv } : flags);
      const { startServing } = await import("../server/start-serving.js");
      const logger = createLogger();
      const shutdown = ctx.io.waitForShutdown();
      const accessLog = flags.accessLog === false ? null : createAccessLog((text) => ctx.io.stdout(text));
      const serving = await startServing({
        config,
        source: createServeModelSource(() => ctx.models(command)),
        logger,
        accessLog: accessLog ? (line) => accessLog.write(line) : null,
      });
      const served = [...serving.fleet.endpoints.values()]
        .map((e) => `${e.name} (${e.variants.map((v) => `${v.uri} → version ${v.current.model.version}${e.variants.length > 1 ? ` as ${v.name}` : ""}`).join(", ")})`)
        .join("; ");
      logger.info("keel serve listening", { url: serving.url, models: served });
      ctx.io.stderr(`Keel serving ${served} on ${serving.url}\n`);
      const signal = await shutdown;
      logger.info("stopping: finishing requests in flight", { signal });
      await serving.close();
      accessLog?.flush();
    });
}
