import { runRegistryStoreContract } from "./registry-store-contract.js";
import { SQL_BACKENDS } from "../support/databases.js";
import { createSqlRegistryStore } from "../../src/registry/sql-registry-store.js";
import { createSqlTrackingStore } from "../../src/tracking/sql-tracking-store.js";
import { trackingRunLookup } from "../../src/registry/tracking-run-lookup.js";

for (const backend of SQL_BACKENDS) {
  runRegistryStoreContract({
    name: `sql (${backend.name})`,
    skip: backend.skip,
    async create() {
      const database = await backend.open();
      const tracking = createSqlTrackingStore(database);
      const store = createSqlRegistryStore(database, { runs: trackingRunLookup(tracking) });
      return { store, tracking, dispose: () => database.dispose() };
    },
  });
}
