import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { beforeEach, describe, expect, it } from "vitest";
import type { ArtifactStore } from "../../src/artifacts/artifact-store.js";
import { KeelError } from "../../src/core/errors.js";
import { UNSAFE_ARTIFACT_PATHS } from "./unsafe-artifact-paths.js";

export interface ArtifactStoreContractOptions {
  readonly name: string;
  /** A new, empty store for each test. */
  readonly create: () => Promise<ArtifactStore>;
}

async function read(store: ArtifactStore, path: string): Promise<{ readonly bytes: Buffer; readonly size: number }> {
  const { body, size } = await store.get(path);
  return { bytes: Buffer.concat(await body.toArray()), size };
}

async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeelError) return error.code;
    throw error;
  }
  throw new Error("expected the call to be refused, but it succeeded");
}

/**
 * The behaviour every ArtifactStore backend must share, run once per backend. A backend passes only if an
 * MLflow client could not tell it from the others through the server's artifact API.
 */
export function runArtifactStoreContract({ name, create }: ArtifactStoreContractOptions): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    let store: ArtifactStore;

    beforeEach(async () => {
      store = await create();
    });

    it("round-trips text, binary and nested files", async () => {
      const binary = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(100_000)]);
      await store.put("model/MLmodel", Buffer.from("flavors:\n  onnx: {}\n"));
      await store.put("a/b/c/d/weights.bin", binary);
      await store.put("dir with space/naïve ü.txt", Buffer.from("unicode"));

      expect((await read(store, "model/MLmodel")).bytes.toString()).toBe("flavors:\n  onnx: {}\n");
      const weights = await read(store, "a/b/c/d/weights.bin");
      expect(weights.size).toBe(binary.length);
      expect(weights.bytes.equals(binary)).toBe(true);
      expect((await read(store, "dir with space/naïve ü.txt")).bytes.toString()).toBe("unicode");
    });

    it("stores a streamed body", async () => {
      await store.put("logs/train.log", Readable.from([Buffer.from("epoch 1\n"), Buffer.from("epoch 2\n")]));
      const { bytes, size } = await read(store, "logs/train.log");
      expect(bytes.toString()).toBe("epoch 1\nepoch 2\n");
      expect(size).toBe(16);
    });

    it("stores an empty file", async () => {
      await store.put("empty.txt", Buffer.alloc(0));
      expect(await read(store, "empty.txt")).toEqual({ bytes: Buffer.alloc(0), size: 0 });
      expect(await store.list("")).toEqual([{ path: "empty.txt", isDir: false, fileSize: 0 }]);
    });

    it("normalises paths the same way on every method", async () => {
      await store.put("./a//b/c.txt", Buffer.from("x"));
      expect((await read(store, "a/b/c.txt")).bytes.toString()).toBe("x");
      expect(await store.list("a/b/")).toEqual([{ path: "a/b/c.txt", isDir: false, fileSize: 1 }]);
      await store.delete("a/./b/c.txt");
      expect(await store.list("a/b")).toEqual([]);
    });

    it("replaces a file on overwrite", async () => {
      await store.put("metrics.json", Buffer.from('{"accuracy": 0.5, "loss": 1.25}'));
      await store.put("metrics.json", Buffer.from('{"accuracy": 0.9}'));
      expect((await read(store, "metrics.json")).bytes.toString()).toBe('{"accuracy": 0.9}');
      expect(await store.list("")).toEqual([{ path: "metrics.json", isDir: false, fileSize: 17 }]);
    });

    it("lists direct children of the root and of nested directories, sorted, with file sizes", async () => {
      await store.put("b.txt", Buffer.from("bb"));
      await store.put("a.txt", Buffer.from("a"));
      await store.put("model/MLmodel", Buffer.from("m"));
      await store.put("model/data/model.onnx", Buffer.from("onnx"));
      await store.put("model/data/deeper/x.bin", Buffer.from("x"));
      await store.put("model2/other.txt", Buffer.from("o"));

      expect(await store.list("")).toEqual([
        { path: "a.txt", isDir: false, fileSize: 1 },
        { path: "b.txt", isDir: false, fileSize: 2 },
        { path: "model", isDir: true },
        { path: "model2", isDir: true },
      ]);
      expect(await store.list("model")).toEqual([
        { path: "model/MLmodel", isDir: false, fileSize: 1 },
        { path: "model/data", isDir: true },
      ]);
      expect(await store.list("model/data")).toEqual([
        { path: "model/data/deeper", isDir: true },
        { path: "model/data/model.onnx", isDir: false, fileSize: 4 },
      ]);
    });

    it("lists a missing directory, or a file, as empty", async () => {
      expect(await store.list("")).toEqual([]);
      expect(await store.list("no/such/dir")).toEqual([]);
      await store.put("file.txt", Buffer.from("x"));
      expect(await store.list("file.txt")).toEqual([]);
    });

    it("deletes a file and leaves its siblings", async () => {
      await store.put("dir/a.txt", Buffer.from("a"));
      await store.put("dir/b.txt", Buffer.from("b"));
      await store.delete("dir/a.txt");
      expect(await rejectionCode(store.get("dir/a.txt"))).toBe("RESOURCE_DOES_NOT_EXIST");
      expect(await store.list("dir")).toEqual([{ path: "dir/b.txt", isDir: false, fileSize: 1 }]);
    });

    it("deletes a whole directory, not the siblings that share its name as a prefix", async () => {
      await store.put("run/model/MLmodel", Buffer.from("m"));
      await store.put("run/model/data/w.bin", Buffer.from("w"));
      await store.put("run/model2/keep.txt", Buffer.from("k"));
      await store.put("run/model.txt", Buffer.from("k"));
      await store.delete("run/model");
      expect(await store.list("run")).toEqual([
        { path: "run/model.txt", isDir: false, fileSize: 1 },
        { path: "run/model2", isDir: true },
      ]);
      expect(await rejectionCode(store.get("run/model/data/w.bin"))).toBe("RESOURCE_DOES_NOT_EXIST");
    });

    it("refuses to delete what does not exist, or the whole root", async () => {
      await store.put("keep.txt", Buffer.from("k"));
      expect(await rejectionCode(store.delete("missing.txt"))).toBe("RESOURCE_DOES_NOT_EXIST");
      expect(await rejectionCode(store.delete("missing/dir"))).toBe("RESOURCE_DOES_NOT_EXIST");
      expect(await rejectionCode(store.delete(""))).toBe("INVALID_PARAMETER_VALUE");
      expect(await store.list("")).toEqual([{ path: "keep.txt", isDir: false, fileSize: 1 }]);
    });

    it("answers RESOURCE_DOES_NOT_EXIST for a missing file, a directory or the root", async () => {
      expect(await rejectionCode(store.get("missing.txt"))).toBe("RESOURCE_DOES_NOT_EXIST");
      await store.put("dir/file.txt", Buffer.from("x"));
      expect(await rejectionCode(store.get("dir/missing.txt"))).toBe("RESOURCE_DOES_NOT_EXIST");
      expect(await rejectionCode(store.get("dir"))).toBe("RESOURCE_DOES_NOT_EXIST");
      expect(await rejectionCode(store.get(""))).toBe("RESOURCE_DOES_NOT_EXIST");
    });

    it("refuses to write to the root", async () => {
      expect(await rejectionCode(store.put("", Buffer.from("x")))).toBe("INVALID_PARAMETER_VALUE");
    });

    it("refuses every unsafe path on every method and stores nothing", async () => {
      await store.put("x", Buffer.from("x"));
      for (const path of UNSAFE_ARTIFACT_PATHS) {
        const label = JSON.stringify(path);
        expect([label, await rejectionCode(store.put(path, Buffer.from("evil")))]).toEqual([label, "INVALID_PARAMETER_VALUE"]);
        expect([label, await rejectionCode(store.get(path))]).toEqual([label, "INVALID_PARAMETER_VALUE"]);
        expect([label, await rejectionCode(store.list(path))]).toEqual([label, "INVALID_PARAMETER_VALUE"]);
        expect([label, await rejectionCode(store.delete(path))]).toEqual([label, "INVALID_PARAMETER_VALUE"]);
      }
      expect(await store.list("")).toEqual([{ path: "x", isDir: false, fileSize: 1 }]);
    });
  });
}
