/**
 * Where a model version may be registered from. This is the door of MLflow's worst advisories
 * (CVE-2023-1177, -2780, -6909, 2024-3573, 2025-11201: a version whose source is `file:///etc/` and whose
 * files are then served back), so the rule is narrow: a source is a run's artifacts (`runs:/`), the server's
 * own proxied store (`mlflow-artifacts:/`), another registered version (`models:/`), or an object-store or
 * HTTP URI that the server only records and never reads. Local paths and `file:` are refused outright.
 */
import { invalidParameter } from "../core/errors.js";
import { percentDecodeFully } from "../core/percent-decode.js";
import { artifactLocationToStorePath, safeArtifactPath } from "../artifacts/index.js";
import { REGISTRY_LIMITS } from "./registry-validation.js";

/** Remote schemes recorded as given; Keel serves none of them, so they cannot reach the server's files. */
const REMOTE_SCHEMES = ["s3:", "gs:", "wasbs:", "abfss:", "http:", "https:", "hdfs:"];

export type ParsedSource =
  | { readonly kind: "run"; readonly runId: string; readonly path: string }
  | { readonly kind: "model"; readonly name: string; readonly version: string }
  | { readonly kind: "location"; readonly uri: string };

function refuse(source: string, why: string): never {
  const text = JSON.stringify(source.length > 200 ? `${source.slice(0, 200)}…` : source).slice(1, -1);
  throw invalidParameter(
    `Invalid model version source '${text}': ${why}. Register a run's model as runs:/<run_id>/<artifact_path>, or use an mlflow-artifacts:/ URI.`,
  );
}

function checkRemote(source: string): void {
  const decoded = percentDecodeFully(source);
  if (decoded === undefined) refuse(source, "it contains a malformed percent-escape");
  if (/[\\#\u0000-\u001f\u007f]/.test(decoded)) refuse(source, "it contains a backslash, '#' or a control character");
  const afterScheme = decoded.slice(decoded.indexOf(":") + 1);
  if (afterScheme.split(/[/?&=]/).some((segment) => segment === "..")) refuse(source, "it contains a '..' segment");
}

/** Checks a model version source and says what it points at. Throws INVALID_PARAMETER_VALUE for anything else. */
export function parseModelVersionSource(source: unknown): ParsedSource {
  if (typeof source !== "string" || source === "") throw invalidParameter("Model version source cannot be empty.");
  if (source.length > REGISTRY_LIMITS.maxSourceLength) refuse(source, `it is longer than ${REGISTRY_LIMITS.maxSourceLength} characters`);
  const lower = source.toLowerCase();
  if (lower.startsWith("runs:/")) {
    const rest = source.slice("runs:/".length).replace(/^\/+/, "");
    const slash = rest.indexOf("/");
    const runId = slash === -1 ? rest : rest.slice(0, slash);
    if (!/^[0-9a-zA-Z_-]{1,64}$/.test(runId)) refuse(source, "runs:/ URIs name a run id first");
    const rawPath = slash === -1 ? "" : rest.slice(slash + 1);
    let path = "";
    try {
      path = rawPath === "" ? "" : safeArtifactPath(rawPath);
    } catch (error) {
      refuse(source, error instanceof Error ? error.message : "its path is not a safe artifact path");
    }
    return { kind: "run", runId, path };
  }
  if (lower.startsWith("models:/")) {
    const match = /^models:\/([^/@]+)\/([1-9]\d*)$/i.exec(source);
    if (!match) refuse(source, "a models:/ source must name a version, models:/<name>/<version>");
    return { kind: "model", name: match[1], version: match[2] };
  }
  if (lower.startsWith("mlflow-artifacts:")) {
    try {
      artifactLocationToStorePath(source);
    } catch (error) {
      refuse(source, error instanceof Error ? error.message : "it is not a safe proxied location");
    }
    return { kind: "location", uri: source };
  }
  if (REMOTE_SCHEMES.some((scheme) => lower.startsWith(scheme))) {
    checkRemote(source);
    return { kind: "location", uri: source };
  }
  if (lower.startsWith("file:")) refuse(source, "local file sources are not accepted");
  return refuse(source, "it is a local path or an unknown scheme, and local sources are not accepted");
}
