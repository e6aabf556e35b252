/**
 * One run of a monitor: read the window of the prediction log, run the checks, store the result, then alert
 * and start retraining if it did not pass. A run that cannot be computed (no predictions, no reference) is
 * stored too, with status `error`, so a silent monitor is never mistaken for a healthy one.
 */
import { KeelError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { readPredictionWindow } from "../log/prediction-window.js";
import type { ActionDeps } from "./monitor-actions.js";
import { runMonitorActions } from "./monitor-actions.js";
import type { ReadTable, ReferenceStores } from "./monitor-checks.js";
import { computeMonitorChecks } from "./monitor-checks.js";
import type { MonitorStore } from "./monitor-store.js";
import type { MonitorRun, MonitorSpec, NewMonitorRun } from "./types.js";

export interface RunMonitorDeps extends ReferenceStores, Omit<ActionDeps, "logger"> {
  readonly store: MonitorStore;
  readonly readTable: ReadTable;
  readonly logger: Logger;
  /** UTC milliseconds; the window ends here (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * Runs `spec` once over [now − window, now) and returns the stored run, its actions' outcomes included.
 * Only a failure to store the run rejects; every other failure becomes a run with status `error`.
 * @example
 * const run = await runMonitor(spec, { store, registry, tracking, readTable, logger });
 * if (run.status !== "ok") console.log(run.reasons.join("\n"));
 */
export async function runMonitor(spec: MonitorSpec, deps: RunMonitorDeps): Promise<MonitorRun> {
  const startedAt = (deps.now ?? Date.now)();
  const windowStart = startedAt - spec.windowMs;
  const base = { monitor: spec.name, model: spec.model, startedAt, windowStart, windowEnd: startedAt };
  let record: NewMonitorRun;
  try {
    const window = await readPredictionWindow({ root: spec.predictionLog, model: spec.model, from: windowStart, to: startedAt, ...(spec.version ? { version: spec.version } : {}) });
    const checks = await computeMonitorChecks(spec, window, deps.readTable, deps);
    const { reasons, ...result } = checks;
    record = {
      ...base,
      finishedAt: Date.now(),
      status: reasons.length > 0 ? "alert" : "ok",
      reasons,
      rows: window.rows,
      driftShare: checks.drift.share,
      datasetDrift: checks.drift.datasetDrift,
      result: { ...result, labelledRows: window.labelledRows, versions: window.versions },
    };
  } catch (error) {
    if (!(error instanceof KeelError)) deps.logger.error("monitor run failed", { monitor: spec.name, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    const message = error instanceof KeelError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    record = { ...base, finishedAt: Date.now(), status: "error", reasons: [message], rows: 0, driftShare: null, datasetDrift: null, result: {} };
  }
  const run = await deps.store.recordRun(record);
  const actions = await runMonitorActions(spec, run, { logger: deps.logger, ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(deps.sleep ? { sleep: deps.sleep } : {}) });
  if (actions.length > 0) await deps.store.setActions(run.id, actions);
  deps.logger.info("monitor run finished", { monitor: spec.name, run: run.id, status: run.status, rows: run.rows, reasons: run.reasons });
  return { ...run, actions };
}
