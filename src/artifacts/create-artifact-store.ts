import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KeelError, invalidParameter } from "../core/errors.js";
import type { ArtifactStore } from "./artifact-store.js";
import { createLocalArtifactStore } from "./local-artifact-store.js";
import { createS3ArtifactStore } from "./s3-artifact-store.js";

const SUPPORTED_FORMS = "s3://<bucket>/<prefix>, file:///<absolute/dir>, or a directory path";

/** `scheme:` at the start; a single letter followed by ':' and a slash is a Windows drive, not a scheme. */
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

function unsupported(destination: string, reason: string, cause?: unknown): KeelError {
  return new KeelError("INVALID_PARAMETER_VALUE", `artifacts destination '${destination}' ${reason}; use ${SUPPORTED_FORMS}`, { cause });
}

function createS3FromUri(destination: string): ArtifactStore {
  const rest = destination.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? "" : rest.slice(slash + 1);
  if (bucket === "") throw unsupported(destination, "names no bucket");
  try {
    return createS3ArtifactStore({ bucket, prefix });
  } catch (error) {
    if (error instanceof KeelError) throw unsupported(destination, `is not a valid S3 location (${error.message})`, error);
    throw error;
  }
}

/**
 * Opens the artifact store named by the server's artifacts destination, picked by URI scheme:
 * `s3://bucket/prefix` is S3 (endpoint, region and credentials from the environment), `file:///abs/dir` or a
 * plain path (relative to the working directory) is a local directory. Anything else is refused with
 * INVALID_PARAMETER_VALUE naming the supported forms.
 *
 * @example
 * const store = createArtifactStore(process.env.KEEL_ARTIFACTS_DESTINATION ?? "./keel-data/artifacts");
 */
export function createArtifactStore(destination: string): ArtifactStore {
  if (destination.trim() === "") throw invalidParameter(`the artifacts destination is empty; use ${SUPPORTED_FORMS}`);
  if (WINDOWS_DRIVE.test(destination) || isAbsolute(destination)) return createLocalArtifactStore(destination);
  const scheme = SCHEME.exec(destination)?.[1]?.toLowerCase();
  if (scheme === undefined) return createLocalArtifactStore(resolve(process.cwd(), destination));
  if (scheme === "s3") {
    if (!destination.toLowerCase().startsWith("s3://")) throw unsupported(destination, "is not of the form s3://<bucket>/<prefix>");
    return createS3FromUri(destination);
  }
  if (scheme === "file") {
    let dir: string;
    try {
      dir = fileURLToPath(destination);
    } catch (error) {
      throw unsupported(destination, "is not a local file URL", error);
    }
    return createLocalArtifactStore(dir);
  }
  throw unsupported(destination, `uses the unsupported scheme '${scheme}:'`);
}
