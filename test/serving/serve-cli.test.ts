/**
 * `keel serve` as a user runs it, in-process: a model directory or a serve.yaml naming registered models,
 * port 0 printing the URL it took, serving until asked to stop; and one-line errors for what it cannot run.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/main.js";
import { runCli } from "../../src/cli/main.js";
import type { FittedClassificationPipeline } from "../../src/learn/pipeline.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";
import {
  answersOf, expectSameAnswers, fitChurnModel, inProcessAnswers, makeCustomers, readPredictionLog, registerVersions,
  requestFor, saveChurnModel, scratchDir, send, setAlias,
} from "./serving-fixtures.js";

let fitted: FittedClassificationPipeline;
let modelDir: string;
const scratch = scratchDir("cli");
const rows = makeCustomers(3, 99).rows;

beforeAll(async () => {
  const training = makeCustomers(300, 7);
  fitted = await fitChurnModel("logreg", training.rows, training.churn);
  modelDir = await saveChurnModel(fitted, scratch.dir, "churn");
});
afterAll(() => scratch.cleanup());

interface ServeRun {
  /** The URL printed on stderr once the server listens; rejects if the command ends first. */
  url(): Promise<string>;
  /** Sends SIGTERM (as the harness's waitForShutdown) and resolves with how the command ended. */
  stop(): Promise<{ code: number; stdout: string; stderr: string }>;
  readonly finished: Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Runs `keel serve ...argv` in-process until stop(); `env` as the process would see it. */
function keelServe(argv: readonly string[], env: Record<string, string> = {}): ServeRun {
  let stdout = "";
  let stderr = "";
  let signal: (name: string) => void = () => undefined;
  let listening: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => {
      stderr += text;
      const match = /^Keel serving .* on (http:\/\/\S+)$/m.exec(stderr);
      if (match) listening(match[1]);
    },
    env: { KEEL_TRACKING_URI: "http://127.0.0.1:1", ...env },
    waitForShutdown: () => new Promise((resolve) => (signal = resolve)),
  };
  const finished = runCli(["serve", ...argv], io).then((code) => ({ code, stdout, stderr }));
  return {
    url: () => Promise.race([url, finished.then((r) => Promise.reject(new Error(`keel serve ended (${r.code}) before listening: ${r.stderr}`)))]),
    finished,
    stop() {
      signal("SIGTERM");
      return finished;
    },
  };
}

describe("keel serve (in-process)", () => {
  it("serves a model directory on the port it picked, logs each request, and stops on a signal", async () => {
    const logDir = scratchDir("cli-log");
    try {
      const run = keelServe([modelDir, "--port", "0", "--prediction-log", logDir.dir]);
      const url = await run.url();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/ping`)).status).toBe(200);
      const scored = await send(url, requestFor("dataframe_split", rows), { "x-request-id": "from-cli-test" });
      expect(scored.status).toBe(200);
      expect(scored.headers.get("x-keel-model-version")).toBe("local");
      expectSameAnswers(answersOf("dataframe_split", scored.json), inProcessAnswers(fitted, rows));

      const result = await run.stop();
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`Keel serving churn (${modelDir} → version local) on ${url}`);
      // The access log is one JSON line per request on stdout.
      const access = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(access.find((line) => line.request_id === "from-cli-test")).toMatchObject({ path: "/invocations", protocol: "mlflow", status: 200 });
      expect(readPredictionLog(logDir.dir).filter((r) => r.request_id.startsWith("from-cli-test"))).toHaveLength(rows.length);
      await expect(fetch(`${url}/ping`)).rejects.toThrow();
    } finally {
      logDir.cleanup();
    }
  });

  describe("with a serve.yaml naming a registered model", () => {
    let tracking: TestServer;
    beforeAll(async () => {
      tracking = await startTestServer();
      await registerVersions(tracking.url, "churn", [modelDir]);
      await setAlias(tracking.url, "churn", "production", "1");
    });
    afterAll(async () => tracking?.close());

    it("resolves the alias through the tracking server and serves that version", async () => {
      const config = join(scratch.dir, "serve.yaml");
      writeFileSync(config, `port: 0\nmodels:\n  - name: churn-classifier\n    uri: "models:/churn@production"\nprediction_log: false\n`);
      const run = keelServe(["--config", config, "--no-access-log"], { KEEL_TRACKING_URI: tracking.url });
      const url = await run.url();
      const ready = await send(url, { method: "GET", path: "/v2/models/churn-classifier/versions/1/ready", headers: {} });
      expect(ready).toMatchObject({ status: 200, json: { ready: true } });
      const scored = await send(url, requestFor("v2", rows, { model: "churn-classifier" }));
      expect(scored.status, scored.text).toBe(200);
      expect(scored.headers.get("x-keel-model-version")).toBe("1");
      expectSameAnswers(answersOf("v2", scored.json), inProcessAnswers(fitted, rows));
      const result = await run.stop();
      expect(result).toMatchObject({ code: 0, stdout: "" });
      expect(result.stderr).toContain("Keel serving churn-classifier (models:/churn@production → version 1) on");
    });

    // BUG (src/cli/serve-command.ts, serveConfig): with --config every other flag (--port, --host, --max-rows,
    // --no-batching, --prediction-log, ...) is dropped without a word, so `keel serve --config serve.yaml
    // --port 9000` listens on serve.yaml's port (8080 by default). It should refuse the combination (or let
    // the flags override the file). Remove `.fails` once it does either.
    it("does not silently ignore flags given beside --config", async () => {
      const config = join(scratch.dir, "serve-limits.yaml");
      writeFileSync(config, `port: 0\nmodels:\n  - name: churn\n    uri: ${JSON.stringify(modelDir)}\nprediction_log: false\n`);
      const run = keelServe(["--config", config, "--max-rows", "1", "--no-access-log"]);
      const outcome = await Promise.race([run.url().then((url) => ({ url }), () => ({ url: undefined })), run.finished.then(() => ({ url: undefined }))]);
      if (outcome.url === undefined) return; // refused: the behaviour asked for
      try {
        const twoRows = await send(outcome.url, requestFor("dataframe_split", rows.slice(0, 2)));
        expect(twoRows.status, "--max-rows 1 was ignored").toBe(400);
      } finally {
        await run.stop();
      }
    });
  });

  const BAD_INVOCATIONS: readonly { name: string; argv: () => string[]; error: RegExp }[] = [
    { name: "no model URI and no --config", argv: () => [], error: /^error: name the model to serve, e\.g\. `keel serve models:\/churn-classifier@production`, or give --config serve\.yaml$/ },
    { name: "--config naming a missing file", argv: () => ["--config", join(scratch.dir, "missing.yaml")], error: /^error: cannot read .*missing\.yaml: no such file$/ },
    { name: "both a model URI and --config", argv: () => [modelDir, "--config", join(scratch.dir, "serve.yaml")], error: /^error: give a model URI or --config, not both/ },
    { name: "a port that is not a number", argv: () => [modelDir, "--port", "eighty"], error: /^error: --port must be a whole number from 0 to 65535, not the text "eighty"/ },
    { name: "a config without models", argv: () => { const file = join(scratch.dir, "empty-models.yaml"); writeFileSync(file, "port: 0\n"); return ["--config", file]; }, error: /^error: .*empty-models\.yaml: models must be a list of at least one model to serve/ },
    { name: "a directory that holds no model", argv: () => [scratch.dir, "--port", "0", "--no-prediction-log"], error: /^error: .* holds neither an MLmodel file nor model\.onnx/ },
  ];

  it.each(BAD_INVOCATIONS)("$name: exits 1 with a one-line error", async ({ argv, error }) => {
    const result = await keelServe(argv()).finished;
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.endsWith("\n")).toBe(true);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(error);
  });
});
