/** Monitor runs in the shared SQL database (SQLite or PostgreSQL), one row per run with its JSON as text. */
import type { Selectable } from "kysely";
import { KeelError } from "../../core/errors.js";
import type { Database } from "../../store/database.js";
import { openDatabase } from "../../store/database.js";
import type { MonitorRunsTable } from "../../store/schema.js";
import type { MonitorStore } from "./monitor-store.js";
import type { MonitorRun, MonitorStatus } from "./types.js";

function toRun(row: Selectable<MonitorRunsTable>): MonitorRun {
  return {
    id: Number(row.run_id),
    monitor: row.monitor,
    model: row.model,
    startedAt: Number(row.started_at),
    finishedAt: Number(row.finished_at),
    windowStart: Number(row.window_start),
    windowEnd: Number(row.window_end),
    status: row.status as MonitorStatus,
    reasons: JSON.parse(row.reasons) as string[],
    rows: Number(row.rows),
    driftShare: row.drift_share === null ? null : Number(row.drift_share),
    datasetDrift: row.dataset_drift === null ? null : Number(row.dataset_drift) === 1,
    result: JSON.parse(row.result) as Record<string, unknown>,
    actions: JSON.parse(row.actions) as MonitorRun["actions"],
  };
}

/** JSON text where NaN and ±Infinity (a chi-square statistic, say) become null, as the API answers them. */
function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v));
}

export function createSqlMonitorStore(database: Pick<Database, "db">): MonitorStore {
  const { db } = database;
  return {
    async recordRun(run) {
      const row = await db
        .insertInto("monitor_runs")
        .values({
          monitor: run.monitor,
          model: run.model,
          started_at: run.startedAt,
          finished_at: run.finishedAt,
          window_start: run.windowStart,
          window_end: run.windowEnd,
          status: run.status,
          reasons: jsonText(run.reasons),
          rows: run.rows,
          drift_share: run.driftShare !== null && Number.isFinite(run.driftShare) ? run.driftShare : null,
          dataset_drift: run.datasetDrift === null ? null : run.datasetDrift ? 1 : 0,
          result: jsonText(run.result),
          actions: "[]",
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRun(row);
    },
    async setActions(id, actions) {
      const result = await db.updateTable("monitor_runs").set({ actions: jsonText(actions) }).where("run_id", "=", id).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new KeelError("RESOURCE_DOES_NOT_EXIST", `monitor run ${id} does not exist`);
    },
    async history(monitor, limit = 20) {
      const rows = await db.selectFrom("monitor_runs").selectAll().where("monitor", "=", monitor).orderBy("run_id", "desc").limit(limit).execute();
      return rows.map(toRun);
    },
    async latestRuns() {
      const newest = db.selectFrom("monitor_runs").select((eb) => eb.fn.max("run_id").as("run_id")).groupBy("monitor");
      const rows = await db.selectFrom("monitor_runs").selectAll().where("run_id", "in", newest).orderBy("monitor").execute();
      return rows.map(toRun);
    },
  };
}

/**
 * Opens (and migrates) the database at `uri` — `sqlite:///keel-data/keel.db`, `postgresql://...`, the same URIs
 * as `keel server --backend-store-uri` — for monitor runs from code. Close it when done.
 */
export async function openMonitorStore(uri: string): Promise<MonitorStore & { close(): Promise<void> }> {
  const database = await openDatabase(uri);
  return { ...createSqlMonitorStore(database), close: () => database.close() };
}
