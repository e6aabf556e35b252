import { createArtifactStore } from "../artifacts/create-artifact-store.js";
import type { Logger } from "../core/log.js";
import { SILENT_LOGGER } from "../core/log.js";
import { openDatabase } from "../store/database.js";
import { buildServer } from "./app.js";
import { createServerStores } from "./create-stores.js";

export interface StartServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** `sqlite:///path.db` or `postgresql://...`. */
  readonly backendStoreUri: string;
  /** A directory, `file:///dir` or `s3://bucket/prefix`. */
  readonly artifactsDestination: string;
  readonly logger?: Logger;
}

export interface RunningServer {
  /** `http://host:port` as clients should reach it. */
  readonly url: string;
  /** Stops accepting, lets requests in flight finish, then closes the stores. */
  close(): Promise<void>;
}

/** Opens the stores named by the options, migrates the database, and serves Keel's API. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? SILENT_LOGGER;
  const database = await openDatabase(options.backendStoreUri);
  try {
    const artifacts = createArtifactStore(options.artifactsDestination);
    const app = buildServer({ stores: createServerStores(database, artifacts), config: { logger } });
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : options.port;
    const host = options.host.includes(":") ? `[${options.host}]` : options.host;
    logger.info("server started", { url: `http://${host}:${port}`, backendStore: database.displayUri, artifacts: artifacts.rootUri });
    return {
      url: `http://${host}:${port}`,
      async close() {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
