import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshSqliteUri } from "../support/databases.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";

const ROOT = join(import.meta.dirname, "..", "..");

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function finished(child: ChildProcess): Promise<Finished> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `npx tsx src/cli/main.ts <argv>`, as a user would run it from a checkout. */
function npxKeel(argv: readonly string[], env: Record<string, string> = {}): Promise<Finished> {
  const child = spawn("npx", ["tsx", "src/cli/main.ts", ...argv], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  return finished(child);
}

/** Lines of stderr that are Keel's own (npm may add warnings about its configuration). */
function keelStderr(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line !== "" && !line.startsWith("npm warn"));
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

describe("keel as a process", () => {
  it("exits 0 and prints JSON for a successful command", async () => {
    const result = await npxKeel(["experiments", "list", "--json"], { KEEL_TRACKING_URI: server.url });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { name: string }[]).map((e) => e.name)).toContain("Default");
  });

  it("exits 1 with one error line and no stack trace when the operation fails", async () => {
    const result = await npxKeel(["--tracking-uri", server.url, "runs", "show", "0123456789abcdef0123456789abcdef"]);
    expect(result.code).toBe(1);
    const lines = keelStderr(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
  });

  it("exits 2 on a usage error", async () => {
    const result = await npxKeel(["runs", "list", "--max", "many"]);
    expect(result.code).toBe(2);
    expect(keelStderr(result.stderr)[0]).toMatch(/^error: option '--max <n>' argument 'many' is invalid/);
  });

  it("runs the server until SIGTERM, then closes it and exits 0", async () => {
    const { uri, cleanup } = await freshSqliteUri();
    const artifacts = mkdtempSync(join(tmpdir(), "keel-cli-server-"));
    try {
      // tsx itself (not npx) so that the signal reaches the server's process.
      const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), ["src/cli/main.ts", "server", "--port", "0", "--backend-store-uri", uri], {
        cwd: ROOT,
        env: { ...process.env, KEEL_ARTIFACTS_DESTINATION: artifacts },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const done = finished(child);
      const url = await new Promise<string>((resolve, reject) => {
        let seen = "";
        child.stdout?.on("data", (chunk: Buffer) => {
          seen += chunk.toString();
          const match = /^Keel tracking server listening on (http:\/\/\S+)$/m.exec(seen);
          if (match) resolve(match[1]);
        });
        child.on("close", () => reject(new Error(`server exited before listening: ${seen}`)));
      });
      expect(await (await fetch(`${url}/health`)).text()).toBe("OK");
      child.kill("SIGTERM");
      const result = await done;
      expect(result.code).toBe(0);
      await expect(fetch(`${url}/health`)).rejects.toThrow();
    } finally {
      cleanup();
      rmSync(artifacts, { recursive: true, force: true });
    }
  });
});
