import { artifactLocationToStorePath } from "../artifacts/artifact-location.js";
import { joinArtifactPath, safeArtifactPath } from "../artifacts/safe-path.js";
import type { MlflowRoute } from "./server-context.js";

/** `artifacts/list`: a run's artifact tree, paths relative to the run's artifact root, as MLflow lists them. */
export const artifactRoutes: readonly MlflowRoute[] = [
  {
    method: "GET",
    path: "/mlflow/artifacts/list",
    fields: { run_id: "string", run_uuid: "string", path: "string", page_token: "string" },
    async handler(f, { tracking, artifacts }) {
      const runId = (f.run_id ?? f.run_uuid) as string | undefined;
      const run = await tracking.getRun(runId ?? "");
      const root = artifactLocationToStorePath(run.info.artifactUri);
      const relative = safeArtifactPath(typeof f.path === "string" ? f.path : "");
      const entries = await artifacts.list(joinArtifactPath(root, relative));
      const files = entries.map((e) => ({
        path: root === "" ? e.path : e.path.slice(root.length + 1),
        is_dir: e.isDir,
        ...(e.fileSize !== undefined ? { file_size: e.fileSize } : {}),
      }));
      return { root_uri: run.info.artifactUri, files };
    },
  },
];
