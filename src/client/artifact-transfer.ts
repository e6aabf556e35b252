import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, stat } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { KeelError, notFound } from "../core/errors.js";
import { joinArtifactPaths, normaliseArtifactPath } from "./artifact-paths.js";
import type { TrackingClient } from "./tracking-client.js";
import type { FileInfo } from "./wire-types.js";

/** Files uploaded or downloaded at once by the directory functions. */
const CONCURRENCY = 4;

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Every file under `dir`, as paths relative to it with forward slashes, sorted. */
export async function listLocalFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(relative(dir, full).split(sep).join("/"));
    }
  };
  await walk(dir);
  return files.sort();
}

/**
 * Uploads one local file to `<artifactPath>/<file name>` among a run's artifacts (the run's root when no
 * artifact path is given), streaming it, as `mlflow.log_artifact` does.
 *
 * @example
 * await uploadFile(client, run.info.artifact_uri, "model.onnx", "model"); // → model/model.onnx
 */
export async function uploadFile(client: TrackingClient, artifactUri: string, localPath: string, artifactPath?: string): Promise<string> {
  const info = await stat(localPath).catch((error: unknown) => {
    throw new KeelError("INVALID_PARAMETER_VALUE", `cannot read '${localPath}': ${(error as Error).message}`, { cause: error });
  });
  if (!info.isFile()) throw new KeelError("INVALID_PARAMETER_VALUE", `'${localPath}' is not a file; use logArtifacts for a directory`);
  const path = joinArtifactPaths(artifactPath, basename(localPath));
  const body = Readable.toWeb(createReadStream(localPath)) as unknown as ReadableStream<Uint8Array>;
  await client.uploadArtifact({ artifact_uri: artifactUri, path, body });
  return path;
}

/**
 * Uploads every file under a local directory, keeping its layout, under `artifactPath` (the run's root
 * when absent), as `mlflow.log_artifacts` does. Returns the artifact paths written.
 *
 * @example
 * await uploadDirectory(client, run.info.artifact_uri, "./reports", "reports");
 */
export async function uploadDirectory(client: TrackingClient, artifactUri: string, localDir: string, artifactPath?: string): Promise<string[]> {
  const info = await stat(localDir).catch((error: unknown) => {
    throw new KeelError("INVALID_PARAMETER_VALUE", `cannot read '${localDir}': ${(error as Error).message}`, { cause: error });
  });
  if (!info.isDirectory()) throw new KeelError("INVALID_PARAMETER_VALUE", `'${localDir}' is not a directory; use logArtifact for a file`);
  const files = await listLocalFiles(localDir);
  const written = files.map((file) => joinArtifactPaths(artifactPath, file));
  await forEachLimited(files.map((file, i) => [file, written[i]] as const), CONCURRENCY, async ([file, path]) => {
    const body = Readable.toWeb(createReadStream(join(localDir, file))) as unknown as ReadableStream<Uint8Array>;
    await client.uploadArtifact({ artifact_uri: artifactUri, path, body });
  });
  return written;
}

/**
 * Every file under an artifact directory of a run (the whole tree when no path is given), depth first.
 *
 * @example
 * const files = await listArtifactFiles(client, runId, "model"); // [{ path: "model/model.onnx", ... }]
 */
export async function listArtifactFiles(client: TrackingClient, runId: string, path = ""): Promise<FileInfo[]> {
  const { files } = await client.listArtifacts({ run_id: runId, ...(path ? { path } : {}) }, { allPages: true });
  const result: FileInfo[] = [];
  for (const file of files) {
    if (file.is_dir) result.push(...(await listArtifactFiles(client, runId, normaliseArtifactPath(file.path))));
    else result.push(file);
  }
  return result;
}

export interface DownloadArtifactsOptions {
  readonly runId: string;
  /** A file or directory relative to the run's artifact root; the whole root when absent. */
  readonly path?: string;
  /** Local directory; files land at `<dest>/<artifact path>`. */
  readonly dest: string;
}

/**
 * Downloads a run's artifact file, or a directory recursively, to `<dest>/<artifact path>`, as
 * `mlflow artifacts download` lays files out. Returns the local path of what was downloaded.
 *
 * @example
 * const local = await downloadArtifacts(client, { runId, path: "model", dest: "./out" }); // "./out/model"
 */
export async function downloadArtifacts(client: TrackingClient, options: DownloadArtifactsOptions): Promise<{ localPath: string; files: string[] }> {
  const run = await client.getRun({ run_id: options.runId });
  const artifactUri = run.info.artifact_uri;
  const path = normaliseArtifactPath(options.path ?? "");
  let files: string[];
  if (path === "") {
    files = (await listArtifactFiles(client, options.runId)).map((f) => f.path);
  } else {
    const parent = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    const siblings = (await client.listArtifacts({ run_id: options.runId, ...(parent ? { path: parent } : {}) }, { allPages: true })).files;
    const entry = siblings.find((f) => normaliseArtifactPath(f.path) === path);
    if (!entry) throw notFound(`run ${options.runId} has no artifact '${path}'; list its artifacts with \`keel artifacts list ${options.runId}\``);
    files = entry.is_dir ? (await listArtifactFiles(client, options.runId, path)).map((f) => f.path) : [path];
  }
  await mkdir(options.dest, { recursive: true });
  const written: string[] = [];
  await forEachLimited(files, CONCURRENCY, async (file) => {
    const target = join(options.dest, ...normaliseArtifactPath(file).split("/"));
    await mkdir(dirname(target), { recursive: true });
    const stream = await client.downloadArtifactStream({ artifact_uri: artifactUri, path: file });
    await pipeline(Readable.fromWeb(stream as unknown as NodeReadableStream<Uint8Array>), createWriteStream(target));
    written.push(target);
  });
  return { localPath: path === "" ? options.dest : join(options.dest, ...path.split("/")), files: written.sort() };
}
