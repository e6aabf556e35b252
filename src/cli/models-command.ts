import type { Command } from "commander";
import { Option } from "commander";
import type { ModelVersion, RegisteredModel } from "../client/registry-wire-types.js";
import { downloadModel } from "../client/resolve-model-uri.js";
import { KeelError } from "../core/errors.js";
import { parseModelUri } from "../core/model-uri.js";
import type { CliContext } from "./cli-context.js";
import { collect, keyValuePair, positiveInteger, stageArgument } from "./cli-context.js";
import { formatTable } from "./format-table.js";
import { formatTime } from "./format-values.js";
import { registerModelsLifecycleCommands } from "./models-lifecycle-command.js";

/** commander parser for KEY=VALUE. */
function keyValue(value: string, previous: readonly { key: string; value: string }[] = []): { key: string; value: string }[] {
  return [...previous, keyValuePair(value)];
}

function versionRows(versions: readonly ModelVersion[]): string[][] {
  return versions.map((v) => [v.version, v.current_stage, (v.aliases ?? []).join(", "), v.run_id ?? "", formatTime(v.creation_timestamp), v.description ?? ""]);
}
const VERSION_HEADER = ["VERSION", "STAGE", "ALIASES", "RUN ID", "CREATED", "DESCRIPTION"];

function latestVersion(model: RegisteredModel): string {
  const numbers = (model.latest_versions ?? []).map((v) => Number(v.version));
  return numbers.length === 0 ? "" : String(Math.max(...numbers));
}

/** `keel models ...`: the model registry from the command line. */
export function registerModelsCommand(program: Command, ctx: CliContext): void {
  const models = program.command("models").description("the model registry: versions, stages, aliases, gates, history");

  models
    .command("list")
    .description("list registered models")
    .option("--filter <filter>", `MLflow filter, e.g. "name LIKE 'churn%'" or "tags.team = 'risk'"`)
    .option("--max <n>", "at most this many models", positiveInteger, 1000)
    .option("--json", "print JSON")
    .action(async (options: { filter?: string; max: number; json?: boolean }, command: Command) => {
      const { registry } = ctx.models(command);
      const found = (await registry.searchRegisteredModels({ ...(options.filter ? { filter: options.filter } : {}), max_results: Math.min(options.max, 1000) }, { allPages: options.max > 1000 })).registered_models.slice(0, options.max);
      if (options.json) return ctx.printJson(found);
      if (found.length === 0) return ctx.print("No registered models.");
      const rows = found.map((m) => [m.name, latestVersion(m), (m.aliases ?? []).map((a) => `${a.alias}→${a.version}`).join(", "), formatTime(m.last_updated_timestamp), m.description ?? ""]);
      ctx.print(formatTable(rows, { header: ["NAME", "LATEST", "ALIASES", "UPDATED", "DESCRIPTION"] }));
    });

  models
    .command("show")
    .description("show a registered model and its versions")
    .argument("<name>", "registered model name")
    .option("--json", "print JSON")
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const { registry } = ctx.models(command);
      const model = await registry.getRegisteredModel({ name });
      const versions = (await registry.searchModelVersions({ filter: `name = '${name.replace(/'/g, "\\'")}'` }, { allPages: true })).model_versions;
      if (options.json) return ctx.printJson({ registered_model: model, model_versions: versions });
      const tags = (model.tags ?? []).map((t) => `${t.key}=${t.value}`).join(", ");
      ctx.print(`${model.name}${model.description ? ` — ${model.description}` : ""}\nupdated ${formatTime(model.last_updated_timestamp)}${tags ? `; tags: ${tags}` : ""}`);
      ctx.print(versions.length === 0 ? "No versions." : formatTable(versionRows(versions), { header: VERSION_HEADER }));
    });

  models
    .command("versions")
    .description("list a model's versions, newest first")
    .argument("<name>", "registered model name")
    .option("--json", "print JSON")
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const { registry } = ctx.models(command);
      await registry.getRegisteredModel({ name });
      const versions = (await registry.searchModelVersions({ filter: `name = '${name.replace(/'/g, "\\'")}'` }, { allPages: true })).model_versions;
      if (options.json) return ctx.printJson(versions);
      ctx.print(versions.length === 0 ? "No versions." : formatTable(versionRows(versions), { header: VERSION_HEADER }));
    });

  models
    .command("create")
    .description("create a registered model")
    .argument("<name>", "registered model name")
    .option("--description <text>", "description")
    .option("--tag <key=value>", "tag; repeat for more", keyValue)
    .option("--json", "print JSON")
    .action(async (name: string, options: { description?: string; tag?: { key: string; value: string }[]; json?: boolean }, command: Command) => {
      const { registry } = ctx.models(command);
      const model = await registry.createRegisteredModel({ name, ...(options.description ? { description: options.description } : {}), ...(options.tag ? { tags: options.tag } : {}) });
      return options.json ? ctx.printJson(model) : ctx.print(`Created registered model ${model.name}.`);
    });

  models
    .command("delete")
    .description("delete a registered model with all its versions (its history stays)")
    .argument("<name>", "registered model name")
    .option("--version <version>", "delete only this version")
    .action(async (name: string, options: { version?: string }, command: Command) => {
      const { registry } = ctx.models(command);
      if (options.version) {
        await registry.deleteModelVersion({ name, version: options.version });
        return ctx.print(`Deleted ${name} version ${options.version}.`);
      }
      await registry.deleteRegisteredModel({ name });
      ctx.print(`Deleted registered model ${name}.`);
    });

  models
    .command("register")
    .description("register a logged model (runs:/<run_id>/<path>) as a new version, creating the model if needed")
    .argument("<model-uri>", "runs:/<run_id>/<artifact_path> or an mlflow-artifacts:/ URI")
    .requiredOption("--name <name>", "registered model name")
    .option("--description <text>", "version description")
    .option("--json", "print JSON")
    .action(async (uri: string, options: { name: string; description?: string; json?: boolean }, command: Command) => {
      const { registry } = ctx.models(command);
      const parsed = parseModelUri(uri);
      try {
        await registry.createRegisteredModel({ name: options.name });
      } catch (error) {
        if (!(error instanceof KeelError && error.code === "RESOURCE_ALREADY_EXISTS")) throw error;
      }
      const version = await registry.createModelVersion({
        name: options.name,
        source: uri,
        ...(parsed.kind === "run" ? { run_id: parsed.runId } : {}),
        ...(options.description ? { description: options.description } : {}),
      });
      return options.json ? ctx.printJson(version) : ctx.print(`Registered ${uri} as ${version.name} version ${version.version}.`);
    });

  models
    .command("transition")
    .description("move a version to a stage (None, Staging, Production, Archived) without gates")
    .argument("<name>", "registered model name")
    .argument("<version>", "version number")
    .argument("<stage>", "target stage", stageArgument)
    .option("--archive-existing", "archive the versions now in that stage (Staging/Production)")
    .action(async (name: string, version: string, stage: string, options: { archiveExisting?: boolean }, command: Command) => {
      const { registry } = ctx.models(command);
      const moved = await registry.transitionModelVersionStage({ name, version, stage, archive_existing_versions: options.archiveExisting === true });
      ctx.print(`${name} version ${moved.version} is now in stage ${moved.current_stage}.`);
    });

  const alias = models.command("alias").description("set or delete an alias (champion, production, ...)");
  alias
    .command("set")
    .argument("<name>", "registered model name")
    .argument("<alias>", "alias")
    .argument("<version>", "version number")
    .action(async (name: string, aliasName: string, version: string, _options: unknown, command: Command) => {
      await ctx.models(command).registry.setRegisteredModelAlias({ name, alias: aliasName, version });
      ctx.print(`${name}@${aliasName} → version ${version}.`);
    });
  alias
    .command("delete")
    .argument("<name>", "registered model name")
    .argument("<alias>", "alias")
    .action(async (name: string, aliasName: string, _options: unknown, command: Command) => {
      await ctx.models(command).registry.deleteRegisteredModelAlias({ name, alias: aliasName });
      ctx.print(`Deleted alias ${aliasName} of ${name}.`);
    });

  models
    .command("tag")
    .description("set (KEY=VALUE) or delete (--delete KEY) tags on a model, or on a version with --version")
    .argument("<name>", "registered model name")
    .argument("[tags...]", "KEY=VALUE pairs")
    .option("--version <version>", "tag this version instead of the model")
    .option("--delete <key>", "delete this tag; repeat for more", collect)
    .action(async (name: string, pairs: string[], options: { version?: string; delete?: string[] }, command: Command) => {
      const { registry } = ctx.models(command);
      const tags = pairs.reduce<{ key: string; value: string }[]>((all, pair) => keyValue(pair, all), []);
      if (tags.length === 0 && !options.delete?.length) throw new KeelError("INVALID_PARAMETER_VALUE", "give KEY=VALUE pairs to set, or --delete KEY");
      for (const tag of tags) {
        if (options.version) await registry.setModelVersionTag({ name, version: options.version, ...tag });
        else await registry.setRegisteredModelTag({ name, ...tag });
      }
      for (const key of options.delete ?? []) {
        if (options.version) await registry.deleteModelVersionTag({ name, version: options.version, key });
        else await registry.deleteRegisteredModelTag({ name, key });
      }
      ctx.print(`Updated tags of ${name}${options.version ? ` version ${options.version}` : ""}.`);
    });

  models
    .command("download")
    .description("download a model directory (models:/NAME/VERSION, models:/NAME/STAGE, models:/NAME@ALIAS, runs:/RUN_ID/path)")
    .argument("<model-uri>", "model URI")
    .addOption(new Option("--dest <dir>", "where to put it").default("."))
    .action(async (uri: string, options: { dest: string }, command: Command) => {
      const dir = await downloadModel(ctx.models(command), uri, options.dest);
      ctx.print(dir);
    });

  registerModelsLifecycleCommands(models, ctx);
}
