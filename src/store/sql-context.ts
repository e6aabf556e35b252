import type { Kysely } from "kysely";
import type { SqlDialect } from "./dialect.js";
import type { KeelDatabase } from "./schema.js";

/** What the SQL stores' modules share: the database (or the transaction in progress) and its dialect. */
export interface SqlContext {
  readonly db: Kysely<KeelDatabase>;
  readonly dialect: SqlDialect;
  readonly now: () => number;
}
