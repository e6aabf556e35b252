import type { Readable } from "node:stream";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import type { Logger } from "../core/log.js";
import type { MonitorStore } from "../monitoring/monitors/monitor-store.js";
import type { MonitorRun } from "../monitoring/monitors/types.js";
import type { Caller, RegistryStore } from "../registry/registry-store.js";
import type { TrackingStore } from "../tracking/tracking-store.js";
import type { FieldSpec } from "./field-schema.js";

/** The stores a server is built with; `buildServer` never opens stores itself. */
export interface ServerStores {
  readonly tracking: TrackingStore;
  readonly artifacts: ArtifactStore;
  readonly registry: RegistryStore;
  readonly monitors: MonitorStore;
}

export interface ServerConfig {
  readonly logger?: Logger;
  /** Runs a monitor of the server's monitors file by name (POST /api/2.0/keel/monitors/run). */
  readonly runMonitor?: (name: string) => Promise<MonitorRun>;
  /** The built web UI's directory (default: dist/ui). */
  readonly uiRoot?: string;
}

/** Request fields: the parsed JSON body of a POST, or the query string of a GET. */
export type RequestFields = Readonly<Record<string, unknown>>;

/** One MLflow REST endpoint: served under /api/2.0 and /ajax-api/2.0. */
export interface MlflowRoute {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE" | readonly ("GET" | "POST")[];
  /** Path after the API prefix, e.g. `/mlflow/runs/create`. */
  readonly path: string;
  readonly fields: FieldSpec;
  /** Largest accepted request body in bytes (MLflow caps log-batch at 1 MB). */
  readonly bodyLimit?: number;
  /** The answer's JSON body, or a stream of JSON text for answers too large to build as one string. */
  handler(fields: RequestFields, stores: ServerStores, caller: Caller): Promise<Record<string, unknown> | Readable>;
}
