import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { createLocalArtifactStore } from "../../src/artifacts/local-artifact-store.js";
import { buildServer } from "../../src/server/app.js";
import { createServerStores } from "../../src/server/create-stores.js";
import { openDatabase } from "../../src/store/database.js";
import { freshSqliteUri } from "../support/databases.js";

/** An in-process server for `app.inject` tests, over a fresh SQLite file and artifact directory. */
export async function injectableServer(): Promise<{ app: FastifyInstance; artifactsDir: string; close(): Promise<void> }> {
  const { uri, cleanup } = await freshSqliteUri();
  const database = await openDatabase(uri);
  const artifactsDir = mkdtempSync(join(tmpdir(), "keel-artifacts-"));
  const app = buildServer({ stores: createServerStores(database, createLocalArtifactStore(artifactsDir)) });
  await app.ready();
  return {
    app,
    artifactsDir,
    async close() {
      await app.close();
      await database.close();
      cleanup();
      rmSync(artifactsDir, { recursive: true, force: true });
    },
  };
}

/** The real server on a free loopback port, as `keel server` runs it. */
export { startTestServer as realServer } from "../support/servers.js";

/** POSTs JSON and returns status and parsed body. */
export async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
