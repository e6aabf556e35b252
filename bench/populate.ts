import type { Insertable } from "kysely";
import type { Database } from "../src/store/database.js";
import type { KeelDatabase } from "../src/store/schema.js";

/** Inserts rows in multi-row statements that stay under the dialect's parameter limit, in one transaction. */
export async function bulkInsert<T extends keyof KeelDatabase>(
  database: Database,
  table: T,
  rows: readonly Insertable<KeelDatabase[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length;
  const chunk = Math.floor(database.dialect.maxParameters / columns);
  await database.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += chunk) {
      // kysely's generic insert types cannot follow a table name chosen at run time
      await trx.insertInto(table).values(rows.slice(i, i + chunk) as never).execute();
    }
  });
}

/** A seeded generator, so every run of a benchmark builds the same data. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
