import { KeelError } from "../core/errors.js";

/** Where a client looks for the tracking server when nothing else says: `keel server`'s default address. */
export const DEFAULT_TRACKING_URI = "http://127.0.0.1:5000";

/**
 * The tracking server a client talks to: the explicit option, else `KEEL_TRACKING_URI`, else
 * `MLFLOW_TRACKING_URI` (so MLflow users' settings carry over), else `http://127.0.0.1:5000`.
 * Empty values count as unset. Throws INVALID_PARAMETER_VALUE for anything but an http(s) URL.
 *
 * @example
 * resolveTrackingUri(undefined, { KEEL_TRACKING_URI: "http://tracking:5000/" }); // "http://tracking:5000"
 */
export function resolveTrackingUri(explicit?: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const candidates: [string, string | undefined][] = [
    ["the tracking URI option", explicit],
    ["KEEL_TRACKING_URI", env.KEEL_TRACKING_URI],
    ["MLFLOW_TRACKING_URI", env.MLFLOW_TRACKING_URI],
  ];
  const found = candidates.find(([, value]) => value !== undefined && value.trim() !== "");
  if (!found) return DEFAULT_TRACKING_URI;
  const [source, raw] = found as [string, string];
  return normaliseTrackingUri(raw.trim(), source);
}

function normaliseTrackingUri(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidUri(raw, source);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalidUri(raw, source);
  // Kept as written (minus trailing slashes) so that a path prefix such as a reverse proxy's survives.
  return raw.replace(/\/+$/, "");
}

function invalidUri(raw: string, source: string): KeelError {
  return new KeelError(
    "INVALID_PARAMETER_VALUE",
    `tracking URI '${raw}' (from ${source}) is not an http(s) URL; give the address of a tracking server, such as ${DEFAULT_TRACKING_URI}`,
  );
}
