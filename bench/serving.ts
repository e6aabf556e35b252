/**
 * `npm run bench -- serving`: requests/s and latency of `keel serve` against the FastAPI app of reference
 * guide 002 (baseline A) and a bare node:http + onnxruntime-node server (baseline B, one session.run per
 * request), all serving the same RandomForest (100 trees, depth 10) + StandardScaler on 20 features, built
 * by /work/shared/bench/serving/make_model.py. Load comes from wrk (-t2, one row of 20 floats per request,
 * /work/shared/bench/serving/post.lua) at 32 and 256 connections; the servers run one at a time, rounds
 * interleaved, and the median round is reported.
 *
 * Flags: --rounds N (default 3) --duration S (default 10) --connections 32,256 --only keel,keel-nolog,node,fastapi
 * --keel-args "..." (extra `keel serve` flags, e.g. "--no-batching")
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { machine, median } from "./support.js";

const SHARED = resolve(process.env.KEEL_SHARED_BENCH ?? "../shared/bench/serving");
const DATA = resolve("bench/.data/serving");
const PYTHON = process.env.KEEL_BENCH_PYTHON ?? "/usr/bin/python3";

interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly requests: number;
}

interface ServerSpec {
  readonly name: "keel" | "keel-nolog" | "node" | "fastapi";
  readonly label: string;
  start(port: number): ChildProcess;
}

function flag(argv: readonly string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function ensureModel(): void {
  if (existsSync(join(DATA, "model.onnx")) && existsSync(join(DATA, "keel-model", "model.onnx"))) return;
  mkdirSync(DATA, { recursive: true });
  process.stderr.write(`building the serving model with ${PYTHON} ${SHARED}/make_model.py\n`);
  const made = spawnSync(PYTHON, [join(SHARED, "make_model.py"), DATA], { stdio: ["ignore", "inherit", "inherit"] });
  if (made.status !== 0) throw new Error("make_model.py failed; it needs Debian's python3-sklearn, python3-onnx and python3-joblib");
  // keel serve takes a model directory; one holding just model.onnx is served with the graph's own signature.
  mkdirSync(join(DATA, "keel-model"), { recursive: true });
  copyFileSync(join(DATA, "model.onnx"), join(DATA, "keel-model", "model.onnx"));
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before answering ${url}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer from ${url} after 30 s`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

function toMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === "us" ? value / 1000 : match[2] === "ms" ? value : value * 1000;
}

function runWrk(url: string, connections: number, seconds: number): WrkResult {
  const result = spawnSync("wrk", ["-t2", `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", "--latency", "-s", join(SHARED, "post.lua"), url], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`);
  const out = result.stdout;
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p50 = /^\s+50%\s+(\S+)/m.exec(out);
  const p99 = /^\s+99%\s+(\S+)/m.exec(out);
  const total = /(\d+) requests in/.exec(out);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const errors = (socket ? socket.slice(1).reduce((s, v) => s + Number(v), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  return {
    requestsPerSecond: rps ? Number(rps[1]) : Number.NaN,
    p50Ms: p50 ? toMs(p50[1]) : Number.NaN,
    p99Ms: p99 ? toMs(p99[1]) : Number.NaN,
    errors,
    requests: total ? Number(total[1]) : 0,
  };
}

/** The answer each server gives to the wrk row, to check that all three serve the same model. */
async function answer(url: string): Promise<unknown> {
  const body = /wrk\.body = '(.*)'/.exec(readFileSync(join(SHARED, "post.lua"), "utf8"))?.[1] ?? "";
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  return response.json();
}

function servers(logDir: string, keelArgs: readonly string[]): ServerSpec[] {
  const root = process.cwd();
  return [
    {
      name: "keel",
      label: "Keel (`keel serve`, defaults: batching, prediction log, access log)",
      start: (port) =>
        spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "serve", join(DATA, "keel-model"), "--port", String(port), "--prediction-log", logDir, "--poll-interval", "0", ...keelArgs], {
          stdio: ["ignore", "ignore", "inherit"],
        }),
    },
    {
      name: "keel-nolog",
      label: "Keel without the prediction log and access log (like for like with baseline B)",
      start: (port) =>
        spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "serve", join(DATA, "keel-model"), "--port", String(port), "--no-prediction-log", "--no-access-log", "--poll-interval", "0", ...keelArgs], {
          stdio: ["ignore", "ignore", "inherit"],
        }),
    },
    {
      name: "node",
      label: "baseline B: bare node:http + onnxruntime-node, one session.run per request",
      start: (port) =>
        spawn(process.execPath, [join(SHARED, "node_limit.mjs"), join(DATA, "model.onnx"), String(port)], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ORT_FROM: `${root}/` } }),
    },
    {
      name: "fastapi",
      label: "baseline A: FastAPI + uvicorn + scikit-learn (reference guide 002)",
      start: (port) =>
        spawn(PYTHON, ["-m", "uvicorn", "--app-dir", SHARED, "fastapi_app:app", "--host", "127.0.0.1", "--port", String(port), "--log-level", "warning"], {
          stdio: ["ignore", "ignore", "inherit"],
          env: { ...process.env, MODEL_DIR: DATA },
        }),
    },
  ];
}

export async function main(argv: readonly string[]): Promise<void> {
  const rounds = Number(flag(argv, "rounds", "3"));
  const duration = Number(flag(argv, "duration", "10"));
  const connectionsList = flag(argv, "connections", "32,256").split(",").map(Number);
  const only = flag(argv, "only", "keel,keel-nolog,node,fastapi").split(",");
  ensureModel();
  const logDir = mkdtempSync(join(tmpdir(), "keel-bench-predictions-"));
  const keelArgs = flag(argv, "keel-args", "").split(" ").filter(Boolean);
  const specs = servers(logDir, keelArgs).filter((s) => only.includes(s.name));
  const results = new Map<string, WrkResult[]>();
  const answers = new Map<string, unknown>();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const connections of connectionsList) {
        for (const spec of specs) {
          const port = await freePort();
          const child = spec.start(port);
          try {
            const base = `http://127.0.0.1:${port}`;
            await waitUntilUp(`${base}/health`, child);
            answers.set(spec.name, await answer(`${base}/predict`));
            runWrk(`${base}/predict`, connections, 2); // warm-up
            const result = runWrk(`${base}/predict`, connections, duration);
            const key = `${spec.name}@${connections}`;
            results.set(key, [...(results.get(key) ?? []), result]);
            process.stderr.write(`round ${round + 1} ${key}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, errors ${result.errors}\n`);
          } finally {
            await stop(child);
          }
        }
      }
    }
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
  report(specs, connectionsList, results, answers, rounds, duration);
}

function report(specs: readonly ServerSpec[], connectionsList: readonly number[], results: Map<string, WrkResult[]>, answers: Map<string, unknown>, rounds: number, duration: number): void {
  const pick = (key: string): WrkResult | undefined => {
    const runs = results.get(key);
    if (!runs || runs.length === 0) return undefined;
    const m = median(runs.map((r) => r.requestsPerSecond));
    return runs.find((r) => r.requestsPerSecond === m) ?? runs[Math.floor(runs.length / 2)];
  };
  const lines: string[] = [];
  lines.push(`Machine: ${machine()}. wrk -t2 -d${duration}s, one row of 20 floats per request (post.lua), wrk on the same 2 cores; median of ${rounds} interleaved rounds.`);
  lines.push(`Reproduce: \`npm run bench -- serving\``);
  lines.push("");
  lines.push("| server | connections | requests/s | p50 ms | p99 ms | errors | Keel (defaults) ÷ this |");
  lines.push("| --- | --- | --- | --- | --- | --- | --- |");
  for (const connections of connectionsList) {
    const keel = pick(`keel@${connections}`);
    for (const spec of specs) {
      const r = pick(`${spec.name}@${connections}`);
      if (!r) continue;
      const ratio = keel && !spec.name.startsWith("keel") ? (keel.requestsPerSecond / r.requestsPerSecond).toFixed(2) : "—";
      lines.push(`| ${spec.label} | ${connections} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.errors} | ${ratio} |`);
    }
  }
  lines.push("");
  lines.push(`Answers to the wrk row: ${[...answers.entries()].map(([name, value]) => `${name} ${JSON.stringify(value)}`).join("; ")}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}
