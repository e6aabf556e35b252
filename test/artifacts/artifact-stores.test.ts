import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ArtifactStore } from "../../src/artifacts/artifact-store.js";
import { createLocalArtifactStore } from "../../src/artifacts/local-artifact-store.js";
import { createS3ArtifactStore } from "../../src/artifacts/s3-artifact-store.js";
import { runArtifactStoreContract } from "./artifact-store-contract.js";
import { startS3rver } from "./s3rver-process.js";
import type { RunningS3rver } from "./s3rver-process.js";
import { rejection } from "../support/keel-errors.js";

/** s3rver's built-in account. */
const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const BUCKET = "keel-artifacts";

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "keel-artifacts-"));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});


runArtifactStoreContract({ name: "local", create: async () => createLocalArtifactStore(join(await tempDir(), "artifacts")) });

describe("local artifact store", () => {
  let outside: string;
  let root: string;
  let store: ArtifactStore;

  beforeEach(async () => {
    const base = await tempDir();
    outside = join(base, "outside");
    root = join(base, "root");
    await mkdir(outside);
    await mkdir(root);
    await writeFile(join(outside, "secret.txt"), "secret");
    store = createLocalArtifactStore(root);
  });

  it("refuses to read, write, list or delete through a symlink that leads out of the root", async () => {
    await symlink(outside, join(root, "escape"), "dir");
    await symlink(join(outside, "secret.txt"), join(root, "secret-link.txt"), "file");

    // Thunks, not promises: each call starts only when the previous refusal has been checked.
    const calls: readonly (() => Promise<unknown>)[] = [
      () => store.get("escape/secret.txt"),
      () => store.get("secret-link.txt"),
      () => store.put("escape/planted.txt", Buffer.from("x")),
      () => store.put("escape/new/dir/planted.txt", Buffer.from("x")),
      () => store.list("escape"),
      () => store.delete("escape/secret.txt"),
      () => store.delete("escape"),
    ];
    for (const call of calls) {
      const error = await rejection(call());
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      expect(error.message).toContain("symbolic link that leads outside the artifact root");
    }
    expect(await readdir(outside)).toEqual(["secret.txt"]);
    expect(await readFile(join(outside, "secret.txt"), "utf8")).toBe("secret");
    // Links out are not listed either: nothing in a listing may be unreadable.
    expect(await store.list("")).toEqual([]);
  });

  it("refuses a path through a broken symlink", async () => {
    await symlink(join(outside, "not-there"), join(root, "dangling"), "dir");
    expect((await rejection(store.put("dangling/x.txt", Buffer.from("x")))).code).toBe("INVALID_PARAMETER_VALUE");
    expect(await readdir(outside)).toEqual(["secret.txt"]);
  });

  it("follows a symlink that stays inside the root", async () => {
    await store.put("real/file.txt", Buffer.from("inside"));
    await symlink(join(root, "real"), join(root, "alias"), "dir");
    const { body } = await store.get("alias/file.txt");
    expect(Buffer.concat(await body.toArray()).toString()).toBe("inside");
    expect(await store.list("")).toEqual([
      { path: "alias", isDir: true },
      { path: "real", isDir: true },
    ]);
  });

  it("creates the root on the first write and reports it as a file URI", async () => {
    const fresh = join(await tempDir(), "not", "yet");
    const lazy = createLocalArtifactStore(fresh);
    expect(lazy.rootUri).toBe(`file://${fresh}`);
    expect(await lazy.list("")).toEqual([]);
    await lazy.put("a.txt", Buffer.from("a"));
    expect(await readFile(join(fresh, "a.txt"), "utf8")).toBe("a");
  });

  it("keeps the old file whole when an upload fails midway, and leaves no temp file", async () => {
    await store.put("model.bin", Buffer.from("old"));
    const failing = new Readable({
      read() {
        this.push(Buffer.from("partial new bytes"));
        this.destroy(new Error("client went away"));
      },
    });
    await expect(store.put("model.bin", failing)).rejects.toThrow("client went away");
    const { body } = await store.get("model.bin");
    expect(Buffer.concat(await body.toArray()).toString()).toBe("old");
    expect(await readdir(root)).toEqual(["model.bin"]);
  });

  it("refuses to write over a directory or beneath a file", async () => {
    await store.put("dir/file.txt", Buffer.from("x"));
    expect((await rejection(store.put("dir", Buffer.from("y")))).message).toContain("is a directory");
    expect((await rejection(store.put("dir/file.txt/child", Buffer.from("y")))).message).toContain("is a file");
  });
});

describe("S3 artifact store", () => {
  let server: RunningS3rver;
  let endpoint: string;

  beforeAll(async () => {
    server = await startS3rver(await tempDir());
    endpoint = server.endpoint;
    const admin = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await admin.send(new CreateBucketCommand({ Bucket: "keel-whole-bucket" }));
    admin.destroy();
  });

  afterAll(async () => {
    await server.stop();
  });

  // Each test gets its own prefix in the shared bucket, which is what isolates runs' artifacts in production.
  runArtifactStoreContract({
    name: "s3",
    create: async () => createS3ArtifactStore({ bucket: BUCKET, prefix: `tests/${randomUUID()}`, endpoint, credentials: S3RVER_CREDENTIALS }),
  });

  describe("beyond the contract", () => {
    it("lists and deletes across many pages", async () => {
      const store = createS3ArtifactStore({ bucket: BUCKET, prefix: `paged/${randomUUID()}`, endpoint, credentials: S3RVER_CREDENTIALS, pageSize: 2 });
      for (let i = 0; i < 5; i += 1) await store.put(`big/file-${i}.txt`, Buffer.from(`${i}`));
      for (let i = 0; i < 3; i += 1) await store.put(`big/sub-${i}/x.txt`, Buffer.from("x"));
      const listed = await store.list("big");
      expect(listed.map((entry) => entry.path)).toEqual([
        "big/file-0.txt",
        "big/file-1.txt",
        "big/file-2.txt",
        "big/file-3.txt",
        "big/file-4.txt",
        "big/sub-0",
        "big/sub-1",
        "big/sub-2",
      ]);
      await store.delete("big");
      expect(await store.list("")).toEqual([]);
    });

    it("takes endpoint and credentials from the environment, and works on a whole bucket", async () => {
      const store = createS3ArtifactStore({
        bucket: "keel-whole-bucket",
        prefix: "",
        env: { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" },
      });
      expect(store.rootUri).toBe("s3://keel-whole-bucket");
      await store.put("1/abc/artifacts/model/MLmodel", Buffer.from("m"));
      expect(await store.list("1/abc/artifacts")).toEqual([{ path: "1/abc/artifacts/model", isDir: true }]);
    });

    it("keeps keys under its prefix and skips keys no artifact path could name", async () => {
      const prefix = `keys/${randomUUID()}`;
      const store = createS3ArtifactStore({ bucket: BUCKET, prefix: `${prefix}/`, endpoint, credentials: S3RVER_CREDENTIALS });
      expect(store.rootUri).toBe(`s3://${BUCKET}/${prefix}`);
      await store.put("model/MLmodel", Buffer.from("m"));
      const admin = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
      const keys = await admin.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/` }));
      expect(keys.Contents?.map((object) => object.Key)).toEqual([`${prefix}/model/MLmodel`]);
      // Written by other tools: a console's folder marker and a Windows-style name.
      await admin.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}/model/`, Body: Buffer.alloc(0) }));
      await admin.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}/model/a\\b`, Body: Buffer.from("x") }));
      admin.destroy();
      expect(await store.list("model")).toEqual([{ path: "model/MLmodel", isDir: false, fileSize: 1 }]);
    });

    it("says which bucket is missing", async () => {
      const store = createS3ArtifactStore({ bucket: "no-such-bucket", prefix: "", endpoint, credentials: S3RVER_CREDENTIALS });
      expect((await rejection(store.list(""))).message).toContain("artifact bucket 'no-such-bucket' does not exist");
    });
  });
});
