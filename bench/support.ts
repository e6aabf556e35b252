import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import pg from "pg";

export type Backend = "sqlite" | "postgresql";

export interface BenchDatabase {
  readonly uri: string;
  cleanup(): Promise<void>;
}

/** A fresh, empty metadata database for one benchmark run. */
export async function freshDatabase(backend: Backend): Promise<BenchDatabase> {
  if (backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "keel-bench-"));
    return { uri: `sqlite:///${join(dir, "keel.db")}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.KEEL_BENCH_POSTGRES_URL ?? process.env.KEEL_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `keel_bench_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    uri: url.toString(),
    async cleanup() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Starts `keel server` in its own process, as users run it, so the benchmark's clients do not share its
 * event loop.
 */
export async function spawnServer(backendStoreUri: string): Promise<{ url: string; stop(): Promise<void> }> {
  const artifacts = mkdtempSync(join(tmpdir(), "keel-bench-artifacts-"));
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "bench/serve-child.ts", backendStoreUri, artifacts],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /READY (\S+)/.exec(buffer);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(artifacts, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/**
 * POSTs JSON over a keep-alive node:http agent: the load generator shares the machine's two cores with the
 * server, so it uses the lightest client there is (undici's fetch costs several times more CPU per call).
 */
export function postJson(url: string, body: string): Promise<void> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, hostname: target.hostname, port: target.port, path: target.pathname, method: "POST", headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url}: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 200)}`))));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export function backendArg(argv: readonly string[]): Backend {
  const i = argv.indexOf("--backend");
  const value = i >= 0 ? argv[i + 1] : "sqlite";
  if (value !== "sqlite" && value !== "postgresql") throw new Error(`--backend must be sqlite or postgresql, got ${value}`);
  return value;
}

/** A `--flag N` option of a benchmark: a whole number > 0, or `fallback` when absent. */
export function numberArg(argv: readonly string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!(Number.isInteger(value) && value > 0)) throw new Error(`${flag} takes a whole number > 0; got '${argv[i + 1]}'`);
  return value;
}
