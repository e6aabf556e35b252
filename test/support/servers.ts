import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startServer } from "../../src/server/start-server.js";
import { freshSqliteUri } from "./databases.js";

export interface TestServer {
  readonly url: string;
  /** The SQLite URI of its database, for commands that open it directly (`keel monitor`). */
  readonly backendStoreUri: string;
  readonly artifactsDir: string;
  close(): Promise<void>;
}

/** The real tracking server on a free loopback port, over a fresh SQLite file and artifact directory. */
export async function startTestServer(): Promise<TestServer> {
  const { uri, cleanup } = await freshSqliteUri();
  const artifactsDir = mkdtempSync(join(tmpdir(), "keel-client-artifacts-"));
  const server = await startServer({ host: "127.0.0.1", port: 0, backendStoreUri: uri, artifactsDestination: artifactsDir });
  return {
    url: server.url,
    backendStoreUri: uri,
    artifactsDir,
    async close() {
      await server.close();
      cleanup();
      rmSync(artifactsDir, { recursive: true, force: true });
    },
  };
}

/** A temp directory built from a literal description: `{ "a.txt": "x", "sub/b.txt": "y" }`. */
export function tempFiles(files: Readonly<Record<string, string | Uint8Array>>): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "keel-files-"));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, ...path.split("/"));
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An unused directory path under the temp dir. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "keel-out-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
