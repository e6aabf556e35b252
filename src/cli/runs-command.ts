import type { Command } from "commander";
import { Option } from "commander";
import { collectPages } from "../client/tracking-client.js";
import type { Run, ViewType } from "../client/wire-types.js";
import type { CliContext, ViewChoice } from "./cli-context.js";
import { VIEW_CHOICES, collect, collectList, positiveInteger, resolveExperiment, viewType } from "./cli-context.js";
import type { ComparisonRow } from "./compare-runs.js";
import { compareRuns, runLabels } from "./compare-runs.js";
import { formatTable } from "./format-table.js";
import { formatNumber, formatTime, runDuration } from "./format-values.js";

const SEARCH_PAGE = 1000;

interface ListOptions {
  experiment?: string[];
  filter?: string;
  orderBy?: string[];
  max: number;
  view: ViewChoice;
  json?: boolean;
}

/** `keel runs list|show|compare`. */
export function registerRunsCommand(program: Command, ctx: CliContext): void {
  const runs = program.command("runs").description("list, show and compare runs");

  runs
    .command("list")
    .description("search runs (default: in every active experiment)")
    .option("--experiment <ids-or-names>", "experiment id or name; repeat it or give a comma list", collectList)
    .option("--filter <filter>", `MLflow search filter, e.g. "metrics.auc > 0.9 and params.model = 'rf'"`)
    .option("--order-by <clause>", `order, e.g. "metrics.auc DESC"; repeat for more keys`, collect)
    .option("--max <n>", "at most this many runs", positiveInteger, 1000)
    .addOption(new Option("--view <view>", "which runs to list").choices(VIEW_CHOICES).default("active"))
    .option("--json", "print JSON")
    .action(async (options: ListOptions, command: Command) => {
      const client = ctx.client(command);
      const view: ViewType = viewType(options.view);
      const experiments = options.experiment?.length
        ? await Promise.all(options.experiment.map((ref) => resolveExperiment(client, ref)))
        : // Deleted runs may sit in active experiments, so any view but "active" looks in every experiment.
          (await client.searchExperiments({ view_type: view === "ACTIVE_ONLY" ? "ACTIVE_ONLY" : "ALL", max_results: 1000 }, { allPages: true }))
            .experiments;
      const names = new Map(experiments.map((e) => [e.experiment_id, e.name]));
      const found =
        experiments.length === 0
          ? []
          : await collectPages(async (page_token) => {
              const page = await client.searchRuns({
                experiment_ids: [...names.keys()],
                run_view_type: view,
                max_results: Math.min(options.max, SEARCH_PAGE),
                ...(options.filter ? { filter: options.filter } : {}),
                ...(options.orderBy?.length ? { order_by: options.orderBy } : {}),
                ...(page_token ? { page_token } : {}),
              });
              return { items: page.runs, next: page.next_page_token };
            }, options.max);
      if (options.json) return ctx.printJson(found);
      if (found.length === 0) return ctx.print("No runs.");
      const rows = found.map((r) => [
        r.info.run_id,
        r.info.run_name ?? "",
        names.get(r.info.experiment_id) ?? r.info.experiment_id,
        r.info.status + (r.info.lifecycle_stage === "deleted" ? " (deleted)" : ""),
        formatTime(r.info.start_time),
        runDuration(r.info.start_time, r.info.end_time),
      ]);
      ctx.print(formatTable(rows, { header: ["RUN ID", "NAME", "EXPERIMENT", "STATUS", "STARTED", "DURATION"] }));
    });

  runs
    .command("show")
    .description("show a run: info, params, latest metrics, tags and inputs")
    .argument("<run-id>", "run id")
    .option("--json", "print JSON")
    .action(async (runId: string, options: { json?: boolean }, command: Command) => {
      const client = ctx.client(command);
      const run = await client.getRun({ run_id: runId });
      if (options.json) return ctx.printJson(run);
      const experiment = await client.getExperiment({ experiment_id: run.info.experiment_id }).catch(() => undefined);
      ctx.print(showRun(run, experiment?.name));
    });

  runs
    .command("compare")
    .description("compare params and latest metrics of runs; '*' marks rows whose values differ")
    .argument("<run-ids...>", "two or more run ids")
    .option("--json", "print JSON")
    .action(async (runIds: string[], options: { json?: boolean }, command: Command) => {
      if (runIds.length < 2) command.error("error: give at least two run ids to compare", { exitCode: 2, code: "keel.usage" });
      const client = ctx.client(command);
      const comparison = compareRuns(await Promise.all(runIds.map((id) => client.getRun({ run_id: id }))));
      if (options.json) return ctx.printJson(comparison);
      const header = ["", "KEY", ...runLabels(comparison.runs)];
      const table = (rows: readonly ComparisonRow[]) =>
        formatTable(
          rows.map((row) => [row.differs ? "*" : "", row.key, ...row.values.map((v) => (v === null ? "-" : typeof v === "number" ? formatNumber(v) : v))]),
          { header },
        );
      ctx.print(
        [
          `Params${comparison.params.length === 0 ? ": none" : ""}`,
          ...(comparison.params.length ? [table(comparison.params)] : []),
          `Metrics (latest)${comparison.metrics.length === 0 ? ": none" : ""}`,
          ...(comparison.metrics.length ? [table(comparison.metrics)] : []),
          "* values differ",
        ].join("\n"),
      );
    });
}

/** The text of `keel runs show`. */
export function showRun(run: Run, experimentName: string | undefined): string {
  const info = run.info;
  const sections: string[] = [];
  sections.push(
    formatTable([
      ["Run", info.run_id],
      ["Name", info.run_name ?? ""],
      ["Experiment", experimentName ? `${experimentName} (id ${info.experiment_id})` : info.experiment_id],
      ["Status", info.status],
      ["Lifecycle", info.lifecycle_stage],
      ["User", info.user_id ?? ""],
      ["Started", formatTime(info.start_time)],
      ["Ended", formatTime(info.end_time)],
      ["Duration", runDuration(info.start_time, info.end_time)],
      ["Artifacts", info.artifact_uri],
    ], { maxCellWidth: 200 }),
  );
  const params = run.data.params ?? [];
  sections.push(params.length ? `Params\n${formatTable(params.map((p) => [p.key, p.value]), { header: ["KEY", "VALUE"] })}` : "Params: none\n");
  const metrics = run.data.metrics ?? [];
  sections.push(
    metrics.length
      ? `Metrics (latest)\n${formatTable(
          metrics.map((m) => [m.key, formatNumber(m.value), String(m.step), formatTime(m.timestamp)]),
          { header: ["KEY", "VALUE", "STEP", "TIMESTAMP"], align: ["left", "right", "right"] },
        )}`
      : "Metrics: none\n",
  );
  const tags = run.data.tags ?? [];
  sections.push(tags.length ? `Tags\n${formatTable(tags.map((t) => [t.key, t.value]), { header: ["KEY", "VALUE"] })}` : "Tags: none\n");
  const inputs = run.inputs?.dataset_inputs ?? [];
  if (inputs.length) {
    const rows = inputs.map((i) => [
      i.dataset.name,
      i.dataset.digest,
      i.dataset.source_type,
      i.dataset.source,
      (i.tags ?? []).find((t) => t.key === "mlflow.data.context")?.value ?? "",
    ]);
    sections.push(`Inputs\n${formatTable(rows, { header: ["DATASET", "DIGEST", "SOURCE TYPE", "SOURCE", "CONTEXT"] })}`);
  }
  return sections.join("\n");
}
