export type { SqlContext } from "../store/sql-context.js";

/** Tag key under which MLflow keeps a run's name; runs/update and set-tag keep both in step. */
export const RUN_NAME_TAG = "mlflow.runName";
/** Tag key of the user who created the run. */
export const USER_TAG = "mlflow.user";
