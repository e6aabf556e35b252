import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import { SQL_BACKENDS } from "../support/databases.js";
import { parseDatabaseUri } from "../../src/store/database.js";

describe("parseDatabaseUri", () => {
  it("reads MLflow-style SQLite and PostgreSQL URIs", () => {
    expect(parseDatabaseUri("sqlite:///./keel-data/keel.db")).toEqual({ type: "sqlite", path: "./keel-data/keel.db" });
    expect(parseDatabaseUri("sqlite:////tmp/k.db")).toEqual({ type: "sqlite", path: "/tmp/k.db" });
    expect(parseDatabaseUri("postgresql+psycopg2://u@h:5432/db")).toEqual({
      type: "postgresql",
      connectionString: "postgresql://u@h:5432/db",
    });
  });
  it("refuses other schemes with a message naming the supported ones", () => {
    expect(() => parseDatabaseUri("mysql://x")).toThrow(/sqlite:\/\/\/.*postgresql:\/\//);
  });
});

for (const backend of SQL_BACKENDS) {
  describe.skipIf(backend.skip)(`migrations on ${backend.name}`, () => {
    it("creates every table and is idempotent", async () => {
      const db = await backend.open();
      try {
        const tables = await db.db.introspection.getTables();
        const names = tables.map((t) => t.name);
        for (const t of ["experiments", "runs", "metric_chunks", "latest_metrics", "params", "tags", "datasets", "inputs"]) {
          expect(names).toContain(t);
        }
        await db.db.insertInto("latest_metrics").values({ run_id: "r", key: "k", step: 1, timestamp: 2 ** 41, value: 1.5, is_nan: 0 }).execute();
        const row = await db.db.selectFrom("latest_metrics").selectAll().executeTakeFirstOrThrow();
        expect(row.timestamp).toBe(2 ** 41);
        await sql`select 1`.execute(db.db);
      } finally {
        await db.dispose();
      }
    });
  });
}
