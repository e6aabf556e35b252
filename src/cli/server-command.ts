import type { Command } from "commander";
import { createLogger } from "../core/log.js";
import type { CliContext } from "./cli-context.js";
import type { ServerFlags } from "./server-options.js";
import { SERVER_DEFAULTS, resolveServerOptions } from "./server-options.js";

/** `keel server`: the tracking server, until SIGINT or SIGTERM. */
export function registerServerCommand(program: Command, ctx: CliContext): void {
  program
    .command("server")
    .description("run the tracking server (MLflow REST API 2.0) until interrupted")
    .option("--host <host>", `address to listen on [env KEEL_HOST] (default: ${SERVER_DEFAULTS.host})`)
    .option("--port <port>", `port; 0 picks a free one [env KEEL_PORT] (default: ${SERVER_DEFAULTS.port})`)
    .option(
      "--backend-store-uri <uri>",
      `sqlite:///path.db or postgresql://... [env KEEL_BACKEND_STORE_URI, MLFLOW_BACKEND_STORE_URI] (default: ${SERVER_DEFAULTS.backendStoreUri})`,
    )
    .option(
      "--artifacts-destination <dir-or-uri>",
      `directory, file:// or s3:// URI [env KEEL_ARTIFACTS_DESTINATION, MLFLOW_ARTIFACTS_DESTINATION] (default: ${SERVER_DEFAULTS.artifactsDestination})`,
    )
    .option("--monitors <file>", "a monitors.yaml whose monitors run on their schedules [env KEEL_MONITORS]")
    .action(async (flags: ServerFlags) => {
      const settings = resolveServerOptions(flags, ctx.io.env);
      // Loaded only here, so that client commands do not load the server and its database drivers.
      const { startServer } = await import("../server/start-server.js");
      const shutdown = ctx.io.waitForShutdown();
      // Errors the server hides from callers (INTERNAL_ERROR) are written here, one JSON line each, on stderr.
      const server = await startServer({ ...settings, logger: createLogger() });
      ctx.print(`Keel tracking server listening on ${server.url}`);
      await shutdown;
      await server.close();
    });
}
