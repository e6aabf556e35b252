import { runTrackingStoreContract } from "./tracking-store-contract.js";
import { SQL_BACKENDS } from "../support/databases.js";
import { createSqlTrackingStore } from "../../src/tracking/sql-tracking-store.js";

for (const backend of SQL_BACKENDS) {
  runTrackingStoreContract({
    name: `sql (${backend.name})`,
    skip: backend.skip,
    async create() {
      const database = await backend.open();
      return { store: createSqlTrackingStore(database), dispose: () => database.dispose() };
    },
  });
}
