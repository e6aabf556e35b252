import { createArtifactStore } from "../artifacts/create-artifact-store.js";
import type { Logger } from "../core/log.js";
import { SILENT_LOGGER } from "../core/log.js";
import { openDatabase } from "../store/database.js";
import { buildServer } from "./app.js";
import { createServerStores } from "./create-stores.js";
import type { ServerStores } from "./server-context.js";
import type { MonitorScheduler } from "../monitoring/monitors/monitor-scheduler.js";
import type { MonitorRun } from "../monitoring/monitors/types.js";

interface ServerMonitors {
  readonly runMonitor: (name: string) => Promise<MonitorRun>;
  readonly scheduler: MonitorScheduler;
}

/** Loads the monitors file and schedules its monitors over the server's own stores. */
async function startMonitors(path: string, stores: ServerStores, logger: Logger): Promise<ServerMonitors> {
  const { loadMonitorsFile, findMonitor } = await import("../monitoring/monitors/monitor-config.js");
  const { runMonitor } = await import("../monitoring/monitors/run-monitor.js");
  const { scheduleMonitors } = await import("../monitoring/monitors/monitor-scheduler.js");
  const { readTable } = await import("../learn/data/index.js");
  const monitors = await loadMonitorsFile(path);
  const deps = { store: stores.monitors, registry: stores.registry, tracking: stores.tracking, readTable, logger };
  const scheduler = scheduleMonitors(monitors, (spec) => runMonitor(spec, deps), logger);
  for (const { monitor, next } of scheduler.scheduled()) logger.info("monitor scheduled", { monitor, next: next === null ? null : new Date(next).toISOString() });
  return { runMonitor: async (name) => runMonitor(findMonitor(monitors, name), deps), scheduler };
}

export interface StartServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** `sqlite:///path.db` or `postgresql://...`. */
  readonly backendStoreUri: string;
  /** A directory, `file:///dir` or `s3://bucket/prefix`. */
  readonly artifactsDestination: string;
  readonly logger?: Logger;
  /** A monitors.yaml: its monitors run on their schedules, and on demand through the API. */
  readonly monitorsFile?: string;
  /** The built web UI (default: dist/ui). */
  readonly uiRoot?: string;
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
  let monitors: ServerMonitors | undefined;
  try {
    const artifacts = createArtifactStore(options.artifactsDestination);
    const stores = createServerStores(database, artifacts);
    monitors = options.monitorsFile ? await startMonitors(options.monitorsFile, stores, logger) : undefined;
    const app = buildServer({ stores, config: { logger, ...(monitors ? { runMonitor: monitors.runMonitor } : {}), ...(options.uiRoot ? { uiRoot: options.uiRoot } : {}) } });
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : options.port;
    const host = options.host.includes(":") ? `[${options.host}]` : options.host;
    logger.info("server started", { url: `http://${host}:${port}`, backendStore: database.displayUri, artifacts: artifacts.rootUri });
    const scheduler = monitors?.scheduler;
    return {
      url: `http://${host}:${port}`,
      async close() {
        await app.close();
        await scheduler?.stop();
        await database.close();
      },
    };
  } catch (error) {
    await monitors?.scheduler.stop();
    await database.close();
    throw error;
  }
}
