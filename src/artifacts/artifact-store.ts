import type { Readable } from "node:stream";

/** One entry of an artifact listing, MLflow's FileInfo. */
export interface FileInfo {
  /** Path relative to the store root, '/'-separated. */
  readonly path: string;
  readonly isDir: boolean;
  /** Size in bytes; absent for directories. */
  readonly fileSize?: number;
}

/**
 * A tree of artifact files under one root (a directory, or a bucket prefix). Every `path` argument is
 * relative to that root and is checked by `safeArtifactPath` first, so no call can reach outside it.
 */
export interface ArtifactStore {
  /** The root as a URI: `file:///abs/dir` or `s3://bucket/prefix`. */
  readonly rootUri: string;
  /** Stores `body` at `path`, replacing any file there; resolves once the bytes are durable. */
  put(path: string, body: Buffer | Readable): Promise<void>;
  /** Streams the file at `path`; RESOURCE_DOES_NOT_EXIST if there is none. */
  get(path: string): Promise<{ readonly body: Readable; readonly size: number }>;
  /** Direct children of the directory `path` ('' is the root), sorted by path; [] if it does not exist. */
  list(path: string): Promise<readonly FileInfo[]>;
  /** Deletes the file or the whole directory at `path`; RESOURCE_DOES_NOT_EXIST if there is nothing. */
  delete(path: string): Promise<void>;
}
