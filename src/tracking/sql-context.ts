import type { Kysely } from "kysely";
import type { SqlDialect } from "../store/dialect.js";
import type { KeelDatabase } from "../store/schema.js";

/** What the SQL tracking store's modules share: the database (or the transaction in progress) and its dialect. */
export interface SqlContext {
  readonly db: Kysely<KeelDatabase>;
  readonly dialect: SqlDialect;
  readonly now: () => number;
}

/** Tag key under which MLflow keeps a run's name; runs/update and set-tag keep both in step. */
export const RUN_NAME_TAG = "mlflow.runName";
/** Tag key of the user who created the run. */
export const USER_TAG = "mlflow.user";
