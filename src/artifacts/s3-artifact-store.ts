import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import { KeelError, invalidParameter, notFound } from "../core/errors.js";
import type { ArtifactStore, FileInfo } from "./artifact-store.js";
import { joinArtifactPath, safeArtifactPath } from "./safe-path.js";

export interface S3ArtifactStoreOptions {
  readonly bucket: string;
  /** Key prefix under which the artifact tree lives, '' for the whole bucket; normalised like an artifact path. */
  readonly prefix: string;
  /** S3-compatible endpoint (MinIO, Ceph, R2...); default AWS_ENDPOINT_URL, then MLFLOW_S3_ENDPOINT_URL. */
  readonly endpoint?: string;
  /** Default AWS_REGION, then us-east-1. */
  readonly region?: string;
  /** Path-style URLs (`host/bucket/key`); default true when KEEL_S3_PATH_STYLE=true or an endpoint is set. */
  readonly forcePathStyle?: boolean;
  /** Default AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else the SDK's own chain (profiles, instance roles). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Objects per ListObjectsV2 page and per DeleteObjects batch; S3's maximum, 1000, by default. */
  readonly pageSize?: number;
  /** Where the defaults above are read; process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** S3 bucket names, plus the upper case and '_' that older buckets and some S3-compatible servers allow. */
const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;

function byPath(a: FileInfo, b: FileInfo): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404) &&
    error.name !== "NoSuchBucket"
  );
}

function clientConfig(options: S3ArtifactStoreOptions) {
  const env = options.env ?? process.env;
  const endpoint = options.endpoint ?? (env.AWS_ENDPOINT_URL || env.MLFLOW_S3_ENDPOINT_URL || undefined);
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const credentials =
    options.credentials ??
    (accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined } : undefined);
  return {
    region: options.region ?? (env.AWS_REGION || "us-east-1"),
    endpoint,
    forcePathStyle: options.forcePathStyle ?? (env.KEEL_S3_PATH_STYLE === "true" || endpoint !== undefined),
    credentials,
    // Since 2025 the SDK adds CRC checksums to every request and checks them on every response, which many
    // S3-compatible servers reject or never send. Only where S3 requires one (DeleteObjects) is one sent.
    requestChecksumCalculation: "WHEN_REQUIRED" as const,
    responseChecksumValidation: "WHEN_REQUIRED" as const,
  };
}

/**
 * An ArtifactStore on an S3 bucket (or any S3-compatible server) under a key prefix. Artifact paths map to
 * keys `<prefix>/<path>`; directories are the '/'-separated key prefixes, as S3 consoles show them.
 *
 * @example
 * const store = createS3ArtifactStore({ bucket: "ml-artifacts", prefix: "keel" });
 * const { body } = await store.get("1/abc/artifacts/model/MLmodel");
 */
export function createS3ArtifactStore(options: S3ArtifactStoreOptions): ArtifactStore {
  const { bucket } = options;
  if (!BUCKET_NAME.test(bucket)) throw invalidParameter(`'${bucket}' is not a valid S3 bucket name`);
  const prefix = safeArtifactPath(options.prefix);
  const pageSize = options.pageSize ?? 1000;
  const client = new S3Client(clientConfig(options));

  /** Turns config and permission failures into messages an operator can act on; the rest pass through. */
  function explain(error: unknown): unknown {
    if (!(error instanceof S3ServiceException)) return error;
    if (error.name === "NoSuchBucket") {
      return new KeelError(
        "INTERNAL_ERROR",
        `artifact bucket '${bucket}' does not exist; create it or point the artifacts destination at an existing bucket`,
        { cause: error },
      );
    }
    if (error.name === "AccessDenied" || error.name === "InvalidAccessKeyId" || error.name === "SignatureDoesNotMatch") {
      return new KeelError("INTERNAL_ERROR", `the server's S3 credentials were refused for bucket '${bucket}' (${error.name})`, { cause: error });
    }
    return error;
  }

  async function send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw explain(error);
    }
  }

  function keyOf(path: string): string {
    return joinArtifactPath(prefix, path);
  }

  /** The artifact path of a key under `prefix`, or undefined for keys no artifact path could have produced. */
  function pathOf(key: string): string | undefined {
    const relative = prefix === "" ? key : key.slice(prefix.length + 1);
    try {
      const path = safeArtifactPath(relative);
      return path === relative && path !== "" ? path : undefined;
    } catch {
      return undefined;
    }
  }

  /** Every key under `keyPrefix` (which ends in '/'), following ListObjectsV2 continuation to the end. */
  async function* keysUnder(keyPrefix: string): AsyncGenerator<string> {
    let token: string | undefined;
    do {
      const page = await send(() =>
        client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix, MaxKeys: pageSize, ContinuationToken: token })),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async function deleteKeys(keys: readonly string[]): Promise<void> {
    const result = await send(() =>
      client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } })),
    );
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      const first = failed[0];
      throw new KeelError("INTERNAL_ERROR", `could not delete ${failed.length} artifact object(s), first '${first?.Key}': ${first?.Code} ${first?.Message}`);
    }
  }

  return {
    rootUri: `s3://${bucket}${prefix === "" ? "" : `/${prefix}`}`,

    async put(raw, body) {
      const path = safeArtifactPath(raw);
      if (path === "") throw invalidParameter("give the path of the artifact file to write, not the artifact root");
      // PutObject needs the length up front, so a stream is read into memory first. Fine for the artifacts
      // MLflow clients send through the proxy today; very large models want a multipart upload instead.
      const bytes = Buffer.isBuffer(body) ? body : Buffer.concat(await body.toArray());
      await send(() => client.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(path), Body: bytes, ContentLength: bytes.length })));
    },

    async get(raw) {
      const path = safeArtifactPath(raw);
      if (path === "") throw notFound("the artifact root is a directory, not a file; list it instead");
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(path) }));
        if (!(object.Body instanceof Readable)) throw new KeelError("INTERNAL_ERROR", `S3 returned no readable body for '${path}'`);
        return { body: object.Body, size: object.ContentLength ?? 0 };
      } catch (error) {
        // A "directory" has no object of its own, so it is missing here just as it is on disk.
        if (isMissing(error)) throw notFound(`artifact '${path}' does not exist`);
        throw explain(error);
      }
    },

    async list(raw) {
      const path = safeArtifactPath(raw);
      const key = keyOf(path);
      const keyPrefix = key === "" ? "" : `${key}/`;
      const infos: FileInfo[] = [];
      let token: string | undefined;
      do {
        const page = await send(() =>
          client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix, Delimiter: "/", MaxKeys: pageSize, ContinuationToken: token }),
          ),
        );
        for (const common of page.CommonPrefixes ?? []) {
          const child = common.Prefix === undefined ? undefined : pathOf(common.Prefix.slice(0, -1));
          if (child !== undefined) infos.push({ path: child, isDir: true });
        }
        for (const object of page.Contents ?? []) {
          // Keys such as 'dir/' (folder markers some tools create) or 'a\\b' map to no artifact path: skipped.
          const child = object.Key === undefined ? undefined : pathOf(object.Key);
          if (child !== undefined) infos.push({ path: child, isDir: false, fileSize: object.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return infos.sort(byPath);
    },

    async delete(raw) {
      const path = safeArtifactPath(raw);
      if (path === "") throw invalidParameter("refusing to delete the whole artifact root; give the path to delete");
      const key = keyOf(path);
      let found = false;
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        await send(() => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
        found = true;
      } catch (error) {
        if (!isMissing(error)) throw explain(error);
      }
      let batch: string[] = [];
      for await (const child of keysUnder(`${key}/`)) {
        found = true;
        batch.push(child);
        if (batch.length >= pageSize) {
          await deleteKeys(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await deleteKeys(batch);
      if (!found) throw notFound(`artifact '${path}' does not exist`);
    },
  };
}
