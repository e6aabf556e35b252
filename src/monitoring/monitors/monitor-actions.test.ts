import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Logger } from "../../core/log.js";
import { alertPayload, runCommand, runMonitorActions } from "./monitor-actions.js";
import type { AlertSpec, MonitorRun, MonitorSpec, MonitorStatus } from "./types.js";

function monitorRun(status: MonitorStatus): MonitorRun {
  return {
    id: 7,
    monitor: "churn-daily",
    model: "churn",
    startedAt: Date.UTC(2026, 11, 7, 6),
    finishedAt: Date.UTC(2026, 11, 7, 6, 0, 2),
    windowStart: Date.UTC(2026, 11, 6, 6),
    windowEnd: Date.UTC(2026, 11, 7, 6),
    status,
    reasons: status === "ok" ? [] : ["tenure drifted", "plan drifted"],
    rows: 1200,
    driftShare: 0.5,
    datasetDrift: true,
    result: { drift: { columns: [] } },
    actions: [],
  };
}

function spec(alerts: AlertSpec[], retrain?: string): MonitorSpec {
  return {
    name: "churn-daily",
    model: "churn",
    predictionLog: "/tmp/keel-data",
    registeredModel: "churn",
    windowMs: 86_400_000,
    minRows: 1,
    drift: { perColumn: {} },
    quality: {},
    performance: null,
    alerts,
    ...(retrain ? { retrain: { command: retrain, timeoutMs: 30_000 } } : {}),
  };
}

function webhook(url: string, retries: number): AlertSpec {
  return { type: "webhook", url, retries, retryDelayMs: 500, timeoutMs: 5000, headers: { "x-keel-token": "t0k" } };
}

function recordingLogger(): Logger & { warn: ReturnType<typeof vi.fn>; info: ReturnType<typeof vi.fn> } {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}

interface Received {
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

/** A loopback HTTP server answering each request with the next status of `statuses` (the last one repeats). */
async function hookServer(statuses: number[]): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ body, headers: request.headers });
      response.statusCode = statuses[Math.min(received.length, statuses.length) - 1];
      response.end("answer");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("alertPayload", () => {
  it("carries the run's summary with ISO window bounds and no per-column result", () => {
    expect(alertPayload(monitorRun("alert"))).toEqual({
      monitor: "churn-daily",
      model: "churn",
      status: "alert",
      reasons: ["tenure drifted", "plan drifted"],
      run_id: 7,
      window_start: "2026-12-06T06:00:00.000Z",
      window_end: "2026-12-07T06:00:00.000Z",
      rows: 1200,
      drift_share: 0.5,
      dataset_drift: true,
    });
  });
});

describe("webhook alerts", () => {
  let hook: Awaited<ReturnType<typeof hookServer>> | undefined;
  afterEach(async () => {
    await hook?.close();
    hook = undefined;
  });

  it("retries a 500 with doubling delays and succeeds on the third attempt", async () => {
    hook = await hookServer([500, 500, 200]);
    const delays: number[] = [];
    const [outcome] = await runMonitorActions(spec([webhook(hook.url, 3)]), monitorRun("alert"), {
      logger: recordingLogger(),
      sleep: async (ms) => void delays.push(ms),
    });
    expect(outcome).toMatchObject({ action: `webhook ${hook.url}`, ok: true, detail: "HTTP 200", attempts: 3 });
    expect(delays).toEqual([500, 1000]);
    expect(hook.received).toHaveLength(3);
    expect(JSON.parse(hook.received[2].body)).toEqual(alertPayload(monitorRun("alert")));
    expect(hook.received[2].headers["content-type"]).toBe("application/json");
    expect(hook.received[2].headers["x-keel-token"]).toBe("t0k");
  });

  it("does not retry a 400, and logs the failure", async () => {
    hook = await hookServer([400]);
    const logger = recordingLogger();
    const [outcome] = await runMonitorActions(spec([webhook(hook.url, 3)]), monitorRun("alert"), { logger, sleep: async () => undefined });
    expect(outcome).toMatchObject({ ok: false, detail: "HTTP 400", attempts: 1 });
    expect(hook.received).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith("monitor action failed", expect.objectContaining({ monitor: "churn-daily", detail: "HTTP 400" }));
  });

  it("gives up on an unreachable address after retries + 1 attempts", async () => {
    const closed = await hookServer([200]);
    const url = closed.url;
    await closed.close();
    const delays: number[] = [];
    const [outcome] = await runMonitorActions(spec([webhook(url, 2)]), monitorRun("error"), {
      logger: recordingLogger(),
      sleep: async (ms) => void delays.push(ms),
    });
    expect(outcome).toMatchObject({ ok: false, attempts: 3 });
    expect(outcome.detail).toContain("ECONNREFUSED");
    expect(delays).toEqual([500, 1000]);
  });
});

describe("log and command alerts", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "keel-actions-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("logs an alert as a warning carrying the payload", async () => {
    const logger = recordingLogger();
    const outcomes = await runMonitorActions(spec([{ type: "log" }]), monitorRun("alert"), { logger });
    expect(outcomes).toEqual([{ action: "log", ok: true, detail: "logged" }]);
    expect(logger.warn).toHaveBeenCalledWith("monitor alert", alertPayload(monitorRun("alert")));
  });

  it("gives a command the run's JSON on stdin and KEEL_MONITOR_* variables", async () => {
    const stdinFile = join(dir, "stdin.json");
    const envFile = join(dir, "env.txt");
    const command = `cat > '${stdinFile}'; printf '%s|%s|%s|%s|%s' "$KEEL_MONITOR" "$KEEL_MONITOR_MODEL" "$KEEL_MONITOR_STATUS" "$KEEL_MONITOR_RUN_ID" "$KEEL_MONITOR_REASONS" > '${envFile}'`;
    const [outcome] = await runMonitorActions(spec([{ type: "command", command, timeoutMs: 30_000 }]), monitorRun("alert"), { logger: recordingLogger() });
    expect(outcome).toMatchObject({ action: `command ${command}`, ok: true, exitCode: 0 });
    expect(JSON.parse(readFileSync(stdinFile, "utf8"))).toEqual(alertPayload(monitorRun("alert")));
    expect(readFileSync(envFile, "utf8")).toBe("churn-daily|churn|alert|7|tenure drifted; plan drifted");
  });

  it("reports a failing command's exit code and last output", async () => {
    const outcome = await runCommand("echo first; echo 'disk full' >&2; exit 3", "", {}, 30_000);
    expect(outcome).toMatchObject({ ok: false, exitCode: 3 });
    expect(outcome.detail).toBe("exit code 3: first\ndisk full");
  });

  it("stops a timed-out command together with what its shell started", async () => {
    // Were only the shell killed, `sleep` would hold the output open and this would outlast the test timeout.
    const outcome = await runCommand("echo started; sleep 600; echo late", "", {}, 200);
    expect(outcome).toMatchObject({ ok: false, detail: "timed out after 200 ms: started" });
  });

  it("starts the retraining command only for an alert run", async () => {
    const marker = join(dir, "retrained");
    const retrain = `echo "$KEEL_MONITOR_STATUS" >> '${marker}'`;
    const deps = { logger: recordingLogger() };
    expect(await runMonitorActions(spec([], retrain), monitorRun("ok"), deps)).toEqual([]);
    const onError = await runMonitorActions(spec([{ type: "log" }], retrain), monitorRun("error"), deps);
    expect(onError.map((o) => o.action)).toEqual(["log"]);
    const onAlert = await runMonitorActions(spec([{ type: "log" }], retrain), monitorRun("alert"), deps);
    expect(onAlert.map((o) => o.action)).toEqual(["log", `retrain ${retrain}`]);
    expect(onAlert[1]).toMatchObject({ ok: true, exitCode: 0 });
    expect(readFileSync(marker, "utf8")).toBe("alert\n");
  });

  it("sends no alert for a passing run", async () => {
    const logger = recordingLogger();
    expect(await runMonitorActions(spec([{ type: "log" }]), monitorRun("ok"), { logger })).toEqual([]);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
