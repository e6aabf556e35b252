import { artifactRoutes } from "./mlflow-artifact-routes.js";
import type { MlflowRoute } from "./server-context.js";
import { MLFLOW_REGISTRY_ROUTES } from "./mlflow-registry-routes.js";
import { MLFLOW_TRACKING_ROUTES } from "./mlflow-tracking-routes.js";

/** Every MLflow REST endpoint Keel serves, as one table; a test checks it against MLflow's endpoint list. */
export const MLFLOW_ROUTES: readonly MlflowRoute[] = [...MLFLOW_TRACKING_ROUTES, ...artifactRoutes, ...MLFLOW_REGISTRY_ROUTES];
