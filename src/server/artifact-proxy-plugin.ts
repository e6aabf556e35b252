import { extname } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { artifactLocationToStorePath } from "../artifacts/artifact-location.js";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { joinArtifactPath, safeArtifactPath } from "../artifacts/safe-path.js";
import { invalidParameter } from "../core/errors.js";
import type { ServerStores } from "./server-context.js";

/**
 * Types a browser may render inline. Anything that could run script (HTML, SVG, XML) goes out as plain text,
 * and every download carries nosniff and a sandbox CSP, so an uploaded artifact can never act on Keel's origin.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".json": "application/json",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".txt": "text/plain; charset=utf-8",
  ".log": "text/plain; charset=utf-8",
  ".csv": "text/plain; charset=utf-8",
  ".yaml": "text/plain; charset=utf-8",
  ".yml": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".py": "text/plain; charset=utf-8",
  ".html": "text/plain; charset=utf-8",
  ".svg": "text/plain; charset=utf-8",
  "": "text/plain; charset=utf-8",
};

async function sendArtifact(store: ArtifactStore, path: string, reply: FastifyReply): Promise<FastifyReply> {
  const { body, size } = await store.get(path);
  const name = path.split("/").pop() ?? "";
  return reply
    .header("Content-Type", CONTENT_TYPES[extname(name).toLowerCase()] ?? "application/octet-stream")
    .header("Content-Length", size)
    .header("X-Content-Type-Options", "nosniff")
    .header("Content-Security-Policy", "sandbox")
    .send(body);
}

function wildcardPath(request: FastifyRequest): string {
  return safeArtifactPath((request.params as Record<string, string>)["*"] ?? "");
}

/**
 * MLflow's proxied artifact service (`mlflow-artifacts:/` URIs): clients upload, download, list and delete
 * through the server, which alone talks to the artifact store. Also `GET /get-artifact` for a run's file.
 */
export async function artifactProxyPlugin(app: FastifyInstance, stores: ServerStores): Promise<void> {
  const { artifacts, tracking } = stores;
  // Uploads are raw bytes of any type (a JSON artifact included): stream them to the store unparsed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request, _payload, done) => done(null));

  for (const prefix of ["/api/2.0/mlflow-artifacts", "/ajax-api/2.0/mlflow-artifacts"]) {
    app.get(`${prefix}/artifacts`, async (request) => {
      const query = request.query as Record<string, unknown>;
      const dir = safeArtifactPath(typeof query.path === "string" ? query.path : "");
      const entries = await artifacts.list(dir);
      return { files: entries.map((e) => ({ path: e.path.split("/").pop(), is_dir: e.isDir, ...(e.fileSize !== undefined ? { file_size: e.fileSize } : {}) })) };
    });
    app.get(`${prefix}/artifacts/*`, async (request, reply) => {
      const path = wildcardPath(request);
      if (path === "") throw invalidParameter("give the path of an artifact file to download");
      return sendArtifact(artifacts, path, reply);
    });
    app.put(`${prefix}/artifacts/*`, async (request) => {
      const path = wildcardPath(request);
      if (path === "") throw invalidParameter("give the path of the artifact file to upload");
      await artifacts.put(path, request.raw);
      return {};
    });
    app.delete(`${prefix}/artifacts/*`, async (request) => {
      const path = wildcardPath(request);
      if (path === "") throw invalidParameter("refusing to delete the whole artifact root; give a path");
      await artifacts.delete(path);
      return {};
    });
  }

  app.get("/get-artifact", async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const runId = query.run_id ?? query.run_uuid;
    if (typeof runId !== "string" || typeof query.path !== "string") {
      throw invalidParameter("get-artifact needs the query parameters 'run_id' (or 'run_uuid') and 'path'");
    }
    const run = await tracking.getRun(runId);
    const path = safeArtifactPath(query.path);
    if (path === "") throw invalidParameter("give the path of an artifact file to download");
    return sendArtifact(artifacts, joinArtifactPath(artifactLocationToStorePath(run.info.artifactUri), path), reply);
  });
}
