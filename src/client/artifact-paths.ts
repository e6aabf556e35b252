import { KeelError, invalidParameter } from "../core/errors.js";

const PROXY_SCHEME = "mlflow-artifacts:";

/**
 * A relative artifact path in normal form (`a/b.txt`): forward slashes, no empty, `.` or `..` segments.
 * Throws INVALID_PARAMETER_VALUE for anything that could point outside the run's artifact root.
 */
export function normaliseArtifactPath(path: string): string {
  const segments = path.replace(/\\/g, "/").split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) throw invalidParameter(`artifact path '${path}' may not contain '..'`);
  return segments.join("/");
}

/** Joins relative artifact paths, dropping empty parts. */
export function joinArtifactPaths(...parts: readonly (string | undefined)[]): string {
  return normaliseArtifactPath(parts.filter((p): p is string => p !== undefined && p !== "").join("/"));
}

/**
 * The path under `/api/2.0/mlflow-artifacts/artifacts/` that names an artifact of a run whose artifact URI
 * is `mlflow-artifacts:/<experiment>/<run>/artifacts` (an optional `//host:port` authority is ignored, as
 * MLflow's client ignores it when it talks to the server it was given), URL-encoded segment by segment.
 *
 * @example
 * artifactProxyPath("mlflow-artifacts:/1/abc/artifacts", "model/model.onnx"); // "1/abc/artifacts/model/model.onnx"
 */
export function artifactProxyPath(artifactUri: string, artifactPath: string): string {
  if (!artifactUri.startsWith(PROXY_SCHEME)) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `artifact URI '${artifactUri}' is not served through the tracking server (only ${PROXY_SCHEME} URIs are); ` +
        "create the experiment without --artifact-location to let the server store its artifacts",
    );
  }
  let rest = artifactUri.slice(PROXY_SCHEME.length);
  if (rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    rest = slash === -1 ? "" : rest.slice(slash);
  }
  const full = joinArtifactPaths(normaliseArtifactPath(rest), artifactPath);
  return full.split("/").map(encodeURIComponent).join("/");
}
