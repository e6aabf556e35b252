import { KeelError, invalidParameter } from "../core/errors.js";
import { safeArtifactPath } from "./safe-path.js";

/** MLflow's scheme for artifacts the tracking server proxies; the only kind of location Keel serves. */
const PROXIED_SCHEME = "mlflow-artifacts:";

/** `host`, `host:port`, `[::1]:port` or empty: what MLflow writes after `mlflow-artifacts://`. No user info. */
const AUTHORITY = /^([A-Za-z0-9.-]*|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

/** Characters that mean the URI is not the plain `scheme:/path` it looks like (query, fragment, escapes). */
const URI_TRICKS = /[\\?#\u0000-\u001f\u007f-\u009f]/;

function outside(uri: string, reason: string): KeelError {
  const shown = JSON.stringify(uri.length > 200 ? `${uri.slice(0, 200)}…` : uri).slice(1, -1);
  return invalidParameter(`artifact location '${shown}' is outside the server's artifact destination: ${reason}`);
}

/**
 * Turns a run's or experiment's artifact URI into the path under the server's artifact store that holds it.
 * Accepts `mlflow-artifacts:/a/b` and `mlflow-artifacts://host:port/a/b` (MLflow writes both; the host is
 * this server, so it is ignored) and returns the safe store-relative path, `a/b`. Everything else
 * (`file:`, `http(s):`, `s3:`, bare paths, or a proxied URI with a query, a fragment or '..') is refused with
 * INVALID_PARAMETER_VALUE: Keel never reads or writes artifacts anywhere but its own store.
 *
 * The path is taken as written, not percent-decoded, as MLflow's `urlparse(uri).path` does; the safe-path
 * check still refuses any encoded '..'.
 *
 * @example
 * artifactLocationToStorePath("mlflow-artifacts:/1/abc/artifacts"); // "1/abc/artifacts"
 */
export function artifactLocationToStorePath(uri: string): string {
  if (typeof uri !== "string" || uri.slice(0, PROXIED_SCHEME.length).toLowerCase() !== PROXIED_SCHEME) {
    throw outside(String(uri), `only ${PROXIED_SCHEME}/ locations are served`);
  }
  if (URI_TRICKS.test(uri)) {
    throw outside(uri, "it contains a backslash, '?', '#' or a control character");
  }
  let rest = uri.slice(PROXIED_SCHEME.length);
  if (rest.startsWith("//")) {
    const end = rest.indexOf("/", 2);
    const authority = end === -1 ? rest.slice(2) : rest.slice(2, end);
    if (!AUTHORITY.test(authority)) throw outside(uri, `'${authority}' is not a host[:port]`);
    rest = end === -1 ? "" : rest.slice(end);
  } else if (!rest.startsWith("/")) {
    throw outside(uri, `write it as ${PROXIED_SCHEME}/<path>`);
  }
  try {
    return safeArtifactPath(rest.replace(/^\/+/, ""));
  } catch (error) {
    if (error instanceof KeelError) throw outside(uri, error.message);
    throw error;
  }
}

/**
 * Checks the artifact location a client gave when creating an experiment. Keel proxies all artifacts through
 * its server, so only `mlflow-artifacts:/...` locations that {@link artifactLocationToStorePath} accepts are
 * allowed; anything else is refused with INVALID_PARAMETER_VALUE. Callers omit the location for the default.
 *
 * @example
 * validateArtifactLocation("mlflow-artifacts:/team-a/churn"); // ok
 * validateArtifactLocation("s3://bucket/x");                 // throws INVALID_PARAMETER_VALUE
 */
export function validateArtifactLocation(uri: string): void {
  if (typeof uri !== "string" || uri.slice(0, PROXIED_SCHEME.length).toLowerCase() !== PROXIED_SCHEME) {
    const shown = JSON.stringify(String(uri).slice(0, 200)).slice(1, -1);
    throw invalidParameter(
      `artifact location '${shown}' is not supported: Keel proxies artifacts through its server and only ` +
        `accepts ${PROXIED_SCHEME}/<path> locations; omit the artifact location to get the default`,
    );
  }
  artifactLocationToStorePath(uri);
}
