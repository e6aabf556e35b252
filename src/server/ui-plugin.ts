/**
 * The web UI on `keel server`: `/` answers the app's index.html and `/static-files/<path>` its files, from the
 * Vite build in dist/ui. Hashed assets (`assets/<name>-<hash>.js`) are cached for a year, immutable; the index is
 * revalidated on every load, so a new build reaches browsers at once. A checkout that has not built the UI
 * gets a page saying how to build it.
 */
import { readFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

/** dist/ui beside the compiled server (dist/server → dist/ui), or in the checkout when running from source. */
export function defaultUiRoot(): string {
  const built = fileURLToPath(new URL("../ui/", import.meta.url));
  if (existsSync(join(built, "index.html"))) return built;
  return fileURLToPath(new URL("../../dist/ui/", import.meta.url));
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Keel</title>
<p>The Keel web UI has not been built in this checkout. Run <code>npm run build</code> (or <code>npm ci</code>) and reload.
The API is served under /api/2.0 as usual.</p>`;

async function sendFile(reply: FastifyReply, root: string, relative: string): Promise<FastifyReply> {
  const path = normalize(join(root, relative));
  // Paths come from the URL: nothing outside the build directory is ever read.
  if (!path.startsWith(normalize(root + sep)) || relative.includes("\0")) return reply.status(404).send({ error_code: "ENDPOINT_NOT_FOUND", message: "no such file" });
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return reply.status(404).send({ error_code: "ENDPOINT_NOT_FOUND", message: `no UI file ${relative}` });
  const immutable = relative.startsWith("assets/");
  return reply
    .header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache")
    .type(CONTENT_TYPES[extname(path)] ?? "application/octet-stream")
    .send(await readFile(path));
}

export function uiPlugin(app: FastifyInstance, options: { readonly root?: string } = {}): void {
  const root = options.root ?? defaultUiRoot();
  app.get("/", async (_request, reply) => {
    if (!existsSync(join(root, "index.html"))) return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(NOT_BUILT);
    return sendFile(reply, root, "index.html");
  });
  app.get("/static-files/*", async (request, reply) => {
    const relative = (request.params as { "*": string })["*"];
    return sendFile(reply, root, relative);
  });
}
