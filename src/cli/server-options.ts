import type { StartServerOptions } from "../server/start-server.js";
import { invalidParameter } from "../core/errors.js";

export const SERVER_DEFAULTS = {
  host: "127.0.0.1",
  port: 5000,
  backendStoreUri: "sqlite:///./keel-data/keel.db",
  artifactsDestination: "./keel-data/artifacts",
} as const;

export interface ServerFlags {
  readonly host?: string;
  readonly port?: string;
  readonly backendStoreUri?: string;
  readonly artifactsDestination?: string;
  readonly monitors?: string;
}

type ServerSettings = Pick<StartServerOptions, "host" | "port" | "backendStoreUri" | "artifactsDestination" | "monitorsFile">;

function firstSet(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v.trim() !== "");
}

/**
 * The server's settings: flag, else Keel's environment variable, else MLflow's where it has one, else the
 * default (127.0.0.1:5000, SQLite and artifacts under ./keel-data/).
 */
export function resolveServerOptions(flags: ServerFlags, env: Readonly<Record<string, string | undefined>>): ServerSettings {
  const portText = firstSet(flags.port, env.KEEL_PORT);
  const port = portText === undefined ? SERVER_DEFAULTS.port : Number(portText);
  if (!/^\d+$/.test(portText ?? "0") || !Number.isInteger(port) || port > 65535) {
    throw invalidParameter(`port must be an integer from 0 to 65535, got '${portText}' (from ${flags.port !== undefined ? "--port" : "KEEL_PORT"})`);
  }
  const monitorsFile = firstSet(flags.monitors, env.KEEL_MONITORS);
  return {
    host: firstSet(flags.host, env.KEEL_HOST) ?? SERVER_DEFAULTS.host,
    port,
    backendStoreUri: firstSet(flags.backendStoreUri, env.KEEL_BACKEND_STORE_URI, env.MLFLOW_BACKEND_STORE_URI) ?? SERVER_DEFAULTS.backendStoreUri,
    artifactsDestination:
      firstSet(flags.artifactsDestination, env.KEEL_ARTIFACTS_DESTINATION, env.MLFLOW_ARTIFACTS_DESTINATION) ?? SERVER_DEFAULTS.artifactsDestination,
    ...(monitorsFile !== undefined ? { monitorsFile } : {}),
  };
}
