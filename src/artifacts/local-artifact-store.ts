import { randomUUID } from "node:crypto";
import { lstat, mkdir, open, readdir, realpath, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { KeelError, invalidParameter, notFound } from "../core/errors.js";
import type { ArtifactStore, FileInfo } from "./artifact-store.js";
import { joinArtifactPath, safeArtifactPath } from "./safe-path.js";

/**
 * Uploads land in `.keel-upload-<uuid>.tmp` beside their target and are renamed into place, so a reader never
 * sees half a file. Listings hide them while an upload is running.
 */
const TEMP_PREFIX = ".keel-upload-";

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

function byPath(a: FileInfo, b: FileInfo): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Where an artifact path lives on disk, once checked. */
interface Resolved {
  readonly path: string;
  readonly absolute: string;
}

/**
 * An ArtifactStore on a local directory, created on the first upload. Every path is checked twice: lexically
 * by `safeArtifactPath`, then on disk, where the real path of its deepest existing ancestor must lie inside
 * the real root, so a symbolic link inside the tree that points out of it is refused, not followed.
 *
 * A process that can swap a directory for a symlink between that check and the following call could still
 * race it; that needs write access to the artifact directory itself, which is outside this store's threat model.
 *
 * @example
 * const store = createLocalArtifactStore("./keel-data/artifacts");
 * await store.put("1/abc/artifacts/model/MLmodel", Buffer.from("flavors: {}\n"));
 */
export function createLocalArtifactStore(rootDir: string): ArtifactStore {
  const root = resolve(rootDir);

  function isInside(realRoot: string, candidate: string): boolean {
    return candidate === realRoot || candidate.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  }

  /** The real root, or undefined when the root directory does not exist yet (so nothing is stored). */
  async function realRoot(): Promise<string | undefined> {
    try {
      return await realpath(root);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return undefined;
      throw error;
    }
  }

  /** Walks up from `absolute` to the deepest entry that exists and checks where it really is. */
  async function assertContained(path: string, absolute: string, real: string): Promise<void> {
    let current = absolute;
    for (;;) {
      let resolved: string | undefined;
      try {
        resolved = await realpath(current);
      } catch (error) {
        const code = errnoCode(error);
        if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
        // A link whose target is missing could be made to point anywhere later: refuse it rather than guess.
        const link = await lstat(current).then((s) => s.isSymbolicLink(), () => false);
        if (link) throw invalidParameter(`artifact path '${path}' goes through a broken symbolic link; remove it`);
      }
      if (resolved !== undefined) {
        if (!isInside(real, resolved)) {
          throw invalidParameter(`artifact path '${path}' goes through a symbolic link that leads outside the artifact root`);
        }
        return;
      }
      const parent = dirname(current);
      if (current === root || parent === current) return;
      current = parent;
    }
  }

  /** Checks `raw` and returns where it is on disk; `real` is undefined when the root does not exist yet. */
  async function locate(raw: string): Promise<Resolved & { readonly real: string | undefined }> {
    const path = safeArtifactPath(raw);
    const absolute = path === "" ? root : join(root, ...path.split("/"));
    const real = await realRoot();
    if (real !== undefined) await assertContained(path, absolute, real);
    return { path, absolute, real };
  }

  async function writeAtomically(target: string, body: Buffer | Readable): Promise<void> {
    const temp = join(dirname(target), `${TEMP_PREFIX}${randomUUID()}.tmp`);
    const handle = await open(temp, "wx");
    try {
      try {
        if (Buffer.isBuffer(body)) {
          await handle.writeFile(body);
        } else {
          for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
            await handle.write(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
          }
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    // The rename is only durable once the directory entry is; some platforms cannot fsync a directory.
    const dir = await open(dirname(target), "r").catch(() => undefined);
    if (dir !== undefined) await dir.sync().catch(() => undefined).finally(() => dir.close());
  }

  return {
    rootUri: pathToFileURL(root).href,

    async put(raw, body) {
      const { path, absolute } = await locate(raw);
      if (path === "") throw invalidParameter("give the path of the artifact file to write, not the artifact root");
      try {
        await mkdir(dirname(absolute), { recursive: true });
        // mkdir may have created the root itself: check again now that every parent exists.
        const real = await realRoot();
        if (real !== undefined) await assertContained(path, absolute, real);
        await writeAtomically(absolute, body);
      } catch (error) {
        if (error instanceof KeelError) throw error;
        const code = errnoCode(error);
        if (code === "EISDIR" || code === "EPERM" || code === "EEXIST" || code === "ENOTDIR") {
          const isDir = await stat(absolute).then((s) => s.isDirectory(), () => false);
          throw new KeelError(
            "INVALID_PARAMETER_VALUE",
            isDir
              ? `artifact path '${path}' is a directory; write to a file path inside it`
              : `a parent of artifact path '${path}' is a file, so it cannot hold other artifacts`,
            { cause: error },
          );
        }
        throw error;
      }
    },

    async get(raw) {
      const { path, absolute, real } = await locate(raw);
      const missing = notFound(`artifact '${path}' does not exist`);
      if (real === undefined) throw missing;
      const info = await stat(absolute).catch((error: unknown) => {
        const code = errnoCode(error);
        if (code === "ENOENT" || code === "ENOTDIR") return undefined;
        throw error;
      });
      if (info === undefined) throw missing;
      // Opening a FIFO or device would block or stream forever; only regular files are artifacts.
      if (!info.isFile()) {
        throw notFound(info.isDirectory() ? `artifact '${path}' is a directory, not a file; list it instead` : `artifact '${path}' is not a regular file`);
      }
      const handle = await open(absolute, "r");
      try {
        const { size } = await handle.stat();
        return { body: handle.createReadStream(), size };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async list(raw) {
      const { path, absolute, real } = await locate(raw);
      if (real === undefined) return [];
      const entries = await readdir(absolute, { withFileTypes: true }).catch((error: unknown) => {
        const code = errnoCode(error);
        if (code === "ENOENT" || code === "ENOTDIR") return [];
        throw error;
      });
      const infos: FileInfo[] = [];
      for (const entry of entries) {
        if (entry.name.startsWith(TEMP_PREFIX)) continue;
        let child: string;
        try {
          child = joinArtifactPath(path, entry.name);
        } catch {
          // A name put there by other means ('a\\b', 'x#y') could never be fetched; listing it would only confuse.
          continue;
        }
        const full = join(absolute, entry.name);
        if (entry.isSymbolicLink()) {
          // Links out of the root cannot be read through this store, so they are not shown either.
          const target = await realpath(full).catch(() => undefined);
          if (target === undefined || !isInside(real, target)) continue;
        }
        const info = await stat(full).catch(() => undefined);
        if (info === undefined) continue;
        if (info.isDirectory()) infos.push({ path: child, isDir: true });
        else if (info.isFile()) infos.push({ path: child, isDir: false, fileSize: info.size });
      }
      return infos.sort(byPath);
    },

    async delete(raw) {
      const { path, absolute, real } = await locate(raw);
      if (path === "") throw invalidParameter("refusing to delete the whole artifact root; give the path to delete");
      const exists = real !== undefined && (await lstat(absolute).then(() => true, () => false));
      if (!exists) throw notFound(`artifact '${path}' does not exist`);
      // rm works on the entry itself: a symlink inside the tree is unlinked, its target left alone.
      await rm(absolute, { recursive: true });
    },
  };
}
