import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { expect } from "vitest";
import { runShell } from "./shell.js";

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Waits until a `keel serve` child answers /ping (60 s at most), failing early if it exits. */
export async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`keel serve exited with ${child.exitCode}`);
    if (await fetch(`${url}/ping`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("keel serve did not answer /ping within 60 s");
}

export interface WalkthroughOptions {
  /** Scratch directory the commands run in (data files and the prediction log land there). */
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** The port the README writes (e.g. "8080"), replaced by a free one. */
  readonly readmePort: string;
  /** The exit code a line must end with (default 0). */
  readonly expectedCode?: (line: string) => number;
}

export interface WalkthroughStep {
  readonly line: string;
  readonly stdout: string;
}

const ROOT = join(import.meta.dirname, "..", "..");

/**
 * Runs a README's shell lines as written, from the checkout: `keel ...` and `npx tsx examples/...` through tsx,
 * `keel serve ... &` as a child waited for on /ping, `kill %1` as its graceful stop (which must exit 0). Lines
 * after `#` are comments. Any child still running when a line fails is killed.
 */
export async function runWalkthrough(commands: readonly string[], options: WalkthroughOptions): Promise<WalkthroughStep[]> {
  const port = String(await freePort());
  const tsx = join(ROOT, "node_modules", ".bin", "tsx");
  const env = { ...options.env, TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json") };
  const local = (line: string): string =>
    line
      .replace(/\s+#.*$/, "")
      .replace(/^npx tsx examples\//, `${tsx} ${ROOT}/examples/`)
      .replace(/^keel /, `${tsx} ${ROOT}/src/cli/main.ts `)
      .replaceAll(options.readmePort, port);
  const steps: WalkthroughStep[] = [];
  let serve: ChildProcess | undefined;
  try {
    for (const line of commands) {
      if (line.startsWith("keel serve ")) {
        const args = local(line).replace(/\s*&$/, "").split(/\s+/).slice(1);
        serve = spawn(tsx, args, { cwd: options.cwd, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "ignore"] });
        await waitForPing(`http://127.0.0.1:${port}`, serve);
        continue;
      }
      if (line.startsWith("kill %1")) {
        const child = serve;
        if (!child) throw new Error("`kill %1` with no `keel serve` running");
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        child.kill("SIGTERM");
        expect(await exited, "keel serve's graceful stop").toBe(0);
        serve = undefined;
        continue;
      }
      const result = await runShell(local(line), { cwd: options.cwd, env });
      expect(result.code, `${line}\n${result.stdout}\n${result.stderr}`).toBe(options.expectedCode?.(line) ?? 0);
      steps.push({ line, stdout: result.stdout });
    }
  } finally {
    serve?.kill("SIGKILL");
  }
  return steps;
}
