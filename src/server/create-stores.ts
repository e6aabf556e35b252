import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { createSqlMonitorStore } from "../monitoring/monitors/sql-monitor-store.js";
import { createSqlRegistryStore } from "../registry/sql-registry-store.js";
import { trackingRunLookup } from "../registry/tracking-run-lookup.js";
import type { Database } from "../store/database.js";
import { createSqlTrackingStore } from "../tracking/sql-tracking-store.js";
import type { ServerStores } from "./server-context.js";

/** The stores one SQL database holds: tracking, the registry (which looks runs up in tracking) and monitor runs. */
export function createSqlStores(database: Database): Omit<ServerStores, "artifacts"> {
  const tracking = createSqlTrackingStore(database);
  const registry = createSqlRegistryStore(database, { runs: trackingRunLookup(tracking) });
  return { tracking, registry, monitors: createSqlMonitorStore(database) };
}

/** The stores one SQL database and one artifact store give a server. */
export function createServerStores(database: Database, artifacts: ArtifactStore): ServerStores {
  return { ...createSqlStores(database), artifacts };
}
