/**
 * What happens when a monitor run does not pass: alerts (a JSON POST to a webhook with retries, a log line, a
 * command hook) and the retraining command. Every action is attempted even when another fails, and each
 * outcome is returned so that the run records what was done.
 */
import { spawn } from "node:child_process";
import type { Logger } from "../../core/log.js";
import type { ActionOutcome, AlertSpec, MonitorRun, MonitorSpec } from "./types.js";

export interface ActionDeps {
  readonly logger: Logger;
  /** Defaults to the global fetch; injected by tests. */
  readonly fetch?: typeof fetch;
  /** Waits between webhook attempts (default: a timer). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The JSON an alert carries: the run without its bulky per-column result. */
export function alertPayload(run: MonitorRun): Record<string, unknown> {
  return {
    monitor: run.monitor,
    model: run.model,
    status: run.status,
    reasons: run.reasons,
    run_id: run.id,
    window_start: new Date(run.windowStart).toISOString(),
    window_end: new Date(run.windowEnd).toISOString(),
    rows: run.rows,
    drift_share: run.driftShare,
    dataset_drift: run.datasetDrift,
  };
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function postWebhook(alert: Extract<AlertSpec, { type: "webhook" }>, body: string, deps: ActionDeps): Promise<ActionOutcome> {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? sleepMs;
  const started = performance.now();
  let detail = "";
  for (let attempt = 1; attempt <= alert.retries + 1; attempt++) {
    try {
      const response = await doFetch(alert.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...alert.headers },
        body,
        signal: AbortSignal.timeout(alert.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { action: `webhook ${alert.url}`, ok: true, detail: `HTTP ${response.status}`, attempts: attempt, durationMs: performance.now() - started };
      detail = `HTTP ${response.status}`;
      // A 4xx other than 408/429 will not change on a retry: the payload or the address is wrong.
      if (response.status < 500 && response.status !== 408 && response.status !== 429) {
        return { action: `webhook ${alert.url}`, ok: false, detail, attempts: attempt, durationMs: performance.now() - started };
      }
    } catch (error) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, a DNS failure) is its cause.
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      detail = error instanceof Error ? `${error.message}${cause}` : String(error);
    }
    if (attempt <= alert.retries) await sleep(alert.retryDelayMs * 2 ** (attempt - 1));
  }
  return { action: `webhook ${alert.url}`, ok: false, detail, attempts: alert.retries + 1, durationMs: performance.now() - started };
}

/** Milliseconds a timed-out command gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 5000;

/**
 * Runs `command` in a shell with `stdin` on its standard input; the outcome holds its exit code and last output.
 * On timeout the command's whole process group is stopped, not only the shell.
 */
export function runCommand(command: string, stdin: string, env: Readonly<Record<string, string>>, timeoutMs: number): Promise<Omit<ActionOutcome, "action">> {
  const started = performance.now();
  const groups = process.platform !== "win32";
  return new Promise((resolve) => {
    // A process group of its own: killing only the shell of `keel train ...; notify` would leave the training
    // running and holding the output pipes open, so the timeout would neither stop it nor end the wait.
    const child = spawn(command, { shell: true, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"], detached: groups });
    let timedOut = false;
    let hardKill: NodeJS.Timeout | undefined;
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (groups && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill("SIGTERM");
      hardKill = setTimeout(() => kill("SIGKILL"), KILL_GRACE_MS);
    }, timeoutMs);
    let output = "";
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString("utf8")).slice(-2000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.stdin.on("error", () => undefined);
    child.stdin.end(stdin);
    const finish = (outcome: Omit<ActionOutcome, "action" | "durationMs">): void => {
      clearTimeout(timer);
      clearTimeout(hardKill);
      resolve({ ...outcome, durationMs: performance.now() - started });
    };
    child.on("error", (error) => finish({ ok: false, detail: error.message, exitCode: null }));
    child.on("close", (code, signal) => {
      const tail = output.trim().split("\n").slice(-5).join("\n");
      const why = timedOut ? `timed out after ${timeoutMs} ms` : signal ? `killed by ${signal}` : `exit code ${code}`;
      finish({ ok: code === 0 && !timedOut, detail: tail ? `${why}: ${tail}` : why, exitCode: code });
    });
  });
}

function commandEnv(run: MonitorRun): Record<string, string> {
  return {
    KEEL_MONITOR: run.monitor,
    KEEL_MONITOR_MODEL: run.model,
    KEEL_MONITOR_STATUS: run.status,
    KEEL_MONITOR_RUN_ID: String(run.id),
    KEEL_MONITOR_REASONS: run.reasons.join("; "),
  };
}

async function alert(spec: AlertSpec, run: MonitorRun, deps: ActionDeps): Promise<ActionOutcome> {
  const payload = alertPayload(run);
  switch (spec.type) {
    case "webhook":
      return postWebhook(spec, JSON.stringify(payload), deps);
    case "log":
      deps.logger.warn("monitor alert", payload);
      return { action: "log", ok: true, detail: "logged" };
    case "command":
      return { action: `command ${spec.command}`, ...(await runCommand(spec.command, JSON.stringify(payload), commandEnv(run), spec.timeoutMs)) };
  }
}

/**
 * Sends every alert of a run that did not pass, then starts the retraining command (only for `alert`: a run
 * that could not be computed says nothing about the model). A passing run does nothing.
 */
export async function runMonitorActions(spec: MonitorSpec, run: MonitorRun, deps: ActionDeps): Promise<ActionOutcome[]> {
  if (run.status === "ok") return [];
  const outcomes = await Promise.all(spec.alerts.map((a) => alert(a, run, deps)));
  if (spec.retrain && run.status === "alert") {
    deps.logger.info("monitor starts retraining", { monitor: run.monitor, command: spec.retrain.command });
    const outcome = await runCommand(spec.retrain.command, JSON.stringify(alertPayload(run)), commandEnv(run), spec.retrain.timeoutMs);
    outcomes.push({ action: `retrain ${spec.retrain.command}`, ...outcome });
  }
  for (const o of outcomes) if (!o.ok) deps.logger.warn("monitor action failed", { monitor: run.monitor, action: o.action, detail: o.detail });
  return outcomes;
}
