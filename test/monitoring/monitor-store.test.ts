import { runMonitorStoreContract } from "./monitor-store-contract.js";
import { SQL_BACKENDS } from "../support/databases.js";
import { createSqlMonitorStore } from "../../src/monitoring/monitors/sql-monitor-store.js";

for (const backend of SQL_BACKENDS) {
  runMonitorStoreContract({
    name: `sql (${backend.name})`,
    skip: backend.skip,
    async create() {
      const database = await backend.open();
      return { store: createSqlMonitorStore(database), dispose: () => database.dispose() };
    },
  });
}
