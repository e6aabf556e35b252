/**
 * `keel monitor run|list|history|rules|labels add`: monitors of `monitors.yaml` run in this process against the
 * same SQL store `keel server` uses (so their runs show on the server's /metrics), without a server running.
 */
import type { Command } from "commander";
import { createLogger } from "../core/log.js";
import type { Database } from "../store/database.js";
import type { MonitorRun } from "../monitoring/monitors/types.js";
import type { CliContext } from "./cli-context.js";
import { CliExit, positiveInteger } from "./cli-context.js";
import { formatTable } from "./format-table.js";
import { formatNumber, formatTime } from "./format-values.js";
import { SERVER_DEFAULTS } from "./server-options.js";

interface MonitorFlags {
  readonly monitors?: string;
  readonly backendStoreUri?: string;
  readonly json?: boolean;
}

function monitorsFile(flags: MonitorFlags, ctx: CliContext): string {
  return flags.monitors ?? ctx.io.env.KEEL_MONITORS ?? "monitors.yaml";
}

async function withDatabase<T>(flags: MonitorFlags, ctx: CliContext, fn: (database: Database) => Promise<T>): Promise<T> {
  const { env } = ctx.io;
  const uri = flags.backendStoreUri ?? env.KEEL_BACKEND_STORE_URI ?? env.MLFLOW_BACKEND_STORE_URI ?? SERVER_DEFAULTS.backendStoreUri;
  const { openDatabase } = await import("../store/database.js");
  const database = await openDatabase(uri);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

function durationText(ms: number): string {
  for (const [unit, size] of [["w", 604_800_000], ["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function printRun(ctx: CliContext, run: MonitorRun): void {
  ctx.print(`monitor ${run.monitor} run ${run.id}: ${run.status.toUpperCase()} (${run.rows} predictions, ${formatTime(run.windowStart)} .. ${formatTime(run.windowEnd)})`);
  for (const reason of run.reasons) ctx.print(`  ${reason}`);
  const drift = run.result.drift as { columns?: { column: string; stattest: string; statistic: number; pValue?: number; threshold: number; drifted: boolean }[] } | undefined;
  if (drift?.columns) {
    const rows = drift.columns.map((c) => [c.column, c.stattest, formatNumber(c.statistic), c.pValue === undefined ? "" : formatNumber(c.pValue), formatNumber(c.threshold), c.drifted ? "DRIFT" : "ok"]);
    ctx.print(formatTable(rows, { header: ["COLUMN", "TEST", "STATISTIC", "P-VALUE", "THRESHOLD", "VERDICT"] }));
  }
  const perf = run.result.performance as { overall: Record<string, number>; labelledRows: number } | null | undefined;
  if (perf) ctx.print(`performance over ${perf.labelledRows} labelled predictions: ${Object.entries(perf.overall).map(([k, v]) => `${k}=${formatNumber(v)}`).join(" ")}`);
  if (run.result.performanceSkipped) ctx.print(`performance not judged: ${String(run.result.performanceSkipped)}`);
  for (const action of run.actions) ctx.print(`  ${action.ok ? "done" : "FAILED"}: ${action.action} (${action.detail})`);
}

export function registerMonitorCommand(program: Command, ctx: CliContext): void {
  const monitor = program
    .command("monitor")
    .description("scheduled monitors of served models: drift, data quality, performance with late labels, alerts")
    .option("--monitors <file>", "the monitors file [env KEEL_MONITORS] (default: monitors.yaml)")
    .option("--backend-store-uri <uri>", `where runs are stored [env KEEL_BACKEND_STORE_URI] (default: ${SERVER_DEFAULTS.backendStoreUri})`);

  monitor
    .command("run <name>")
    .description("run a monitor now over its window; exit 1 when it alerts or cannot run")
    .option("--json", "print the stored run as JSON")
    .action(async (name: string, flags: MonitorFlags, command: Command) => {
      const all = command.optsWithGlobals<MonitorFlags>();
      const { loadMonitorsFile, findMonitor } = await import("../monitoring/monitors/monitor-config.js");
      const spec = findMonitor(await loadMonitorsFile(monitorsFile(all, ctx)), name);
      const { runMonitor } = await import("../monitoring/monitors/run-monitor.js");
      const { readTable } = await import("../learn/data/index.js");
      const { createSqlStores } = await import("../server/create-stores.js");
      const run = await withDatabase(all, ctx, async (database) => {
        const { monitors, registry, tracking } = createSqlStores(database);
        return runMonitor(spec, { store: monitors, registry, tracking, readTable, logger: createLogger({ quiet: true }) });
      });
      if (flags.json) ctx.printJson(run);
      else printRun(ctx, run);
      if (run.status !== "ok") throw new CliExit(1);
    });

  monitor
    .command("list")
    .description("the monitors of the monitors file with their newest run")
    .option("--json", "print as JSON")
    .action(async (flags: MonitorFlags, command: Command) => {
      const all = command.optsWithGlobals<MonitorFlags>();
      const { loadMonitorsFile } = await import("../monitoring/monitors/monitor-config.js");
      const { createSqlMonitorStore } = await import("../monitoring/monitors/sql-monitor-store.js");
      const specs = await loadMonitorsFile(monitorsFile(all, ctx));
      const latest = await withDatabase(all, ctx, (database) => createSqlMonitorStore(database).latestRuns());
      const byName = new Map(latest.map((r) => [r.monitor, r]));
      if (flags.json) {
        ctx.printJson(specs.map((s) => ({ name: s.name, model: s.model, window: durationText(s.windowMs), schedule: s.schedule ?? null, latest: byName.get(s.name) ?? null })));
        return;
      }
      const rows = specs.map((s) => {
        const run = byName.get(s.name);
        return [s.name, s.model, durationText(s.windowMs), s.schedule ?? "-", run ? formatTime(run.startedAt) : "never", run ? run.status.toUpperCase() : "-", run?.reasons[0] ?? ""];
      });
      ctx.print(formatTable(rows, { header: ["NAME", "MODEL", "WINDOW", "SCHEDULE", "LAST RUN", "STATUS", "REASON"] }));
    });

  monitor
    .command("history <name>")
    .description("a monitor's stored runs, newest first")
    .option("--limit <n>", "runs to show (default: 20)", positiveInteger)
    .option("--json", "print as JSON")
    .action(async (name: string, flags: MonitorFlags & { limit?: number }, command: Command) => {
      const all = command.optsWithGlobals<MonitorFlags>();
      const { createSqlMonitorStore } = await import("../monitoring/monitors/sql-monitor-store.js");
      const runs = await withDatabase(all, ctx, (database) => createSqlMonitorStore(database).history(name, flags.limit ?? 20));
      if (flags.json) {
        ctx.printJson(runs);
        return;
      }
      if (runs.length === 0) {
        ctx.print(`monitor '${name}' has no stored run; run it with \`keel monitor run ${name}\``);
        return;
      }
      const rows = runs.map((r) => [String(r.id), formatTime(r.startedAt), r.status.toUpperCase(), String(r.rows), r.driftShare === null ? "" : formatNumber(r.driftShare), r.reasons.join("; ")]);
      ctx.print(formatTable(rows, { header: ["RUN", "STARTED", "STATUS", "ROWS", "DRIFT SHARE", "REASONS"] }));
    });

  monitor
    .command("rules")
    .description("print Prometheus alerting rules for the monitor gauges on keel server's /metrics")
    .action(async (_flags: unknown, command: Command) => {
      const all = command.optsWithGlobals<MonitorFlags>();
      const { loadMonitorsFile } = await import("../monitoring/monitors/monitor-config.js");
      const { monitorAlertRules } = await import("../monitoring/monitors/alert-rules.js");
      ctx.print(monitorAlertRules(await loadMonitorsFile(monitorsFile(all, ctx))));
    });

  const labels = monitor.command("labels").description("late ground-truth labels, joined to logged predictions by request id");
  labels
    .command("add <file>")
    .description("add labels from a CSV or Parquet table with request_id and label columns")
    .option("--prediction-log <dir>", "the prediction log's root directory (default: ./keel-data)", "keel-data")
    .option("--label-column <name>", "the column holding the label (default: label)", "label")
    .action(async (file: string, flags: { predictionLog: string; labelColumn: string }) => {
      const { readTable } = await import("../learn/data/index.js");
      const { labelsFromFrame, writeLabels } = await import("../monitoring/log/labels.js");
      // Labels stay text as written: DuckDB would read yes/no as booleans and store them as 1/0.
      const frame = await readTable(file, { types: { request_id: "string", [flags.labelColumn]: "string" } });
      const written = await writeLabels(flags.predictionLog, labelsFromFrame(frame, flags.labelColumn));
      const skipped = frame.rowCount - written;
      ctx.print(`added ${written} label(s) under ${flags.predictionLog}${skipped > 0 ? `; skipped ${skipped} row(s) without a request id or label` : ""}`);
    });
}
