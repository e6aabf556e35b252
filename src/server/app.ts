import { Ajv } from "ajv";
import Fastify from "fastify";
import type { FastifyInstance } from "fastify";
import { KEEL_VERSION } from "../core/version.js";
import { SILENT_LOGGER } from "../core/log.js";
import { artifactProxyPlugin } from "./artifact-proxy-plugin.js";
import { installErrorHandler } from "./error-handler.js";
import { keelMetricsPlugin } from "./keel-metrics-plugin.js";
import { registerMlflowApi } from "./mlflow-api-plugin.js";
import { monitoringPlugin } from "./monitoring-plugin.js";
import { uiPlugin } from "./ui-plugin.js";
import type { ServerConfig, ServerStores } from "./server-context.js";

export interface BuildServerOptions {
  readonly stores: ServerStores;
  readonly config?: ServerConfig;
}

/**
 * Query strings carry every value as text, so their fields are coerced; JSON bodies are checked strictly,
 * as MLflow's protobuf parser does (a number where a string belongs is an error, not a conversion).
 */
function validatorCompilers() {
  const common = { allErrors: false, strict: false, useDefaults: true };
  const query = new Ajv({ ...common, coerceTypes: "array" });
  const body = new Ajv({ ...common, coerceTypes: false });
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === "querystring" ? query : body).compile(schema);
}

/** The Keel HTTP server over the stores it is given. Call `listen` (or `inject` in tests) on the result. */
export function buildServer({ stores, config = {} }: BuildServerOptions): FastifyInstance {
  const logger = config.logger ?? SILENT_LOGGER;
  const app = Fastify({ logger: false, return503OnClosing: true, forceCloseConnections: "idle" });
  app.setValidatorCompiler(validatorCompilers());
  // The API takes JSON only: a browser may post text/plain cross-site without a CORS preflight (CVE-2023-43472).
  app.removeContentTypeParser("text/plain");
  installErrorHandler(app, logger);

  app.get("/health", async (_request, reply) => reply.type("text/plain").send("OK"));
  app.get("/version", async (_request, reply) => reply.type("text/plain").send(KEEL_VERSION));
  registerMlflowApi(app, stores);
  app.register(async (scope) => artifactProxyPlugin(scope, stores));
  app.register(async (scope) => keelMetricsPlugin(scope, stores.tracking));
  app.register(async (scope) => uiPlugin(scope, config.uiRoot ? { root: config.uiRoot } : {}));
  app.register(async (scope) => monitoringPlugin(scope, { store: stores.monitors, ...(config.runMonitor ? { runMonitor: config.runMonitor } : {}) }));
  return app;
}
