import type { Command } from "commander";
import { Option } from "commander";
import type { CliContext, ViewChoice } from "./cli-context.js";
import { VIEW_CHOICES, resolveExperiment, viewType } from "./cli-context.js";
import { formatTable } from "./format-table.js";
import { formatTime } from "./format-values.js";

/** `keel experiments list|create|delete|restore`. */
export function registerExperimentsCommand(program: Command, ctx: CliContext): void {
  const experiments = program.command("experiments").description("list, create, delete and restore experiments");

  experiments
    .command("list")
    .description("list experiments")
    .addOption(new Option("--view <view>", "which experiments to list").choices(VIEW_CHOICES).default("active"))
    .option("--json", "print JSON")
    .action(async (options: { view: ViewChoice; json?: boolean }, command: Command) => {
      const { experiments: found } = await ctx
        .client(command)
        .searchExperiments({ view_type: viewType(options.view), max_results: 1000 }, { allPages: true });
      if (options.json) return ctx.printJson(found);
      if (found.length === 0) return ctx.print("No experiments.");
      const rows = found.map((e) => [e.experiment_id, e.name, e.lifecycle_stage, e.artifact_location, formatTime(e.creation_time)]);
      ctx.print(formatTable(rows, { header: ["ID", "NAME", "STAGE", "ARTIFACT LOCATION", "CREATED"], align: ["right"] }));
    });

  experiments
    .command("create")
    .description("create an experiment")
    .argument("<name>", "experiment name")
    .option("--artifact-location <uri>", "where the experiment's runs keep artifacts (default: the server's artifact store)")
    .option("--json", "print JSON")
    .action(async (name: string, options: { artifactLocation?: string; json?: boolean }, command: Command) => {
      const experimentId = await ctx.client(command).createExperiment({
        name,
        ...(options.artifactLocation ? { artifact_location: options.artifactLocation } : {}),
      });
      if (options.json) return ctx.printJson({ experiment_id: experimentId });
      ctx.print(`Created experiment '${name}' with id ${experimentId}.`);
    });

  experiments
    .command("delete")
    .description("delete an experiment and its runs (they can be restored)")
    .argument("<experiment>", "experiment id or name")
    .action(async (ref: string, _options: unknown, command: Command) => {
      const client = ctx.client(command);
      const experiment = await resolveExperiment(client, ref);
      await client.deleteExperiment({ experiment_id: experiment.experiment_id });
      ctx.print(`Deleted experiment '${experiment.name}' (id ${experiment.experiment_id}); restore it with \`keel experiments restore ${experiment.experiment_id}\`.`);
    });

  experiments
    .command("restore")
    .description("restore a deleted experiment and its runs")
    .argument("<experiment>", "experiment id or name")
    .action(async (ref: string, _options: unknown, command: Command) => {
      const client = ctx.client(command);
      const experiment = await resolveExperiment(client, ref);
      await client.restoreExperiment({ experiment_id: experiment.experiment_id });
      ctx.print(`Restored experiment '${experiment.name}' (id ${experiment.experiment_id}).`);
    });
}
