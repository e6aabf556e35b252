import type { Command } from "commander";
import { KeelError } from "../core/errors.js";
import { formatGateReportTable } from "../gates/index.js";
import type { CliContext } from "./cli-context.js";
import { CliExit, positiveInteger, stageArgument } from "./cli-context.js";
import { formatTable } from "./format-table.js";
import { formatTime } from "./format-values.js";
import type { PromotionTarget } from "./promote-model.js";
import { describeTarget, promoteModel } from "./promote-model.js";

/** `keel models promote` exit codes, for CI: approved (and moved), rejected, could not decide. */
export const PROMOTE_APPROVED = 0;
export const PROMOTE_REJECTED = 1;
export const PROMOTE_ERROR = 2;

function targetOf(options: { to?: string; alias?: string; stage?: string }): PromotionTarget {
  const alias = options.to ?? options.alias;
  if ((alias === undefined) === (options.stage === undefined)) {
    throw new KeelError("INVALID_PARAMETER_VALUE", "name exactly one target: --to <alias> (e.g. --to production) or --stage <stage>");
  }
  return alias !== undefined ? { alias } : { stage: options.stage as string };
}

interface PromoteFlags {
  to?: string;
  stage?: string;
  policy?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** `keel models promote|rollback|history`: moving versions under gates, undoing moves, and the audit trail. */
export function registerModelsLifecycleCommands(models: Command, ctx: CliContext): void {
  models
    .command("promote")
    .description("move an alias (--to) or stage (--stage) to a version only if it passes the gate policy; exit 0 approved, 1 rejected, 2 error")
    .argument("<name>", "registered model name")
    .argument("<version>", "candidate version")
    .option("--to <alias>", "alias to move, e.g. production")
    .option("--stage <stage>", "stage to move instead: Staging, Production, ...", stageArgument)
    .option("--policy <file>", "gate policy (YAML); without it the move is unconditional")
    .option("--dry-run", "evaluate and record the report, but do not move")
    .option("--json", "print the report as JSON")
    .action(async (name: string, version: string, flags: PromoteFlags, command: Command) => {
      try {
        const target = targetOf(flags);
        const result = await promoteModel(ctx.models(command), { name, version, target, ...(flags.policy ? { policyPath: flags.policy } : {}), dryRun: flags.dryRun === true });
        if (flags.json) ctx.printJson({ ...(result.report ?? { verdict: "APPROVED", checks: [] }), moved: result.moved, report_artifact: result.reportArtifact ?? null });
        else {
          if (result.report) ctx.print(formatGateReportTable(result.report));
          if (result.reportArtifact) ctx.print(`Report stored as ${result.reportArtifact} in the candidate's run.`);
          ctx.print(result.moved ? `${name} ${describeTarget(target)} → version ${version}.` : `${name} ${describeTarget(target)} not moved.`);
        }
        if (result.report?.verdict === "REJECTED") throw new CliExit(PROMOTE_REJECTED);
      } catch (error) {
        if (error instanceof CliExit) throw error;
        ctx.io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
        throw new CliExit(PROMOTE_ERROR);
      }
    });

  models
    .command("rollback")
    .description("move an alias or stage back to the version that held it before (repeat to go further back)")
    .argument("<name>", "registered model name")
    .option("--alias <alias>", "alias to roll back, e.g. production")
    .option("--stage <stage>", "stage to roll back, e.g. Production", stageArgument)
    .option("--json", "print JSON")
    .action(async (name: string, flags: { alias?: string; stage?: string; json?: boolean }, command: Command) => {
      const target = targetOf(flags);
      const result = await ctx.models(command).registry.rollback({ name, ...target });
      if (flags.json) return ctx.printJson(result);
      ctx.print(`${name} ${describeTarget(target)} rolled back: version ${result.audit_entry.from ?? "?"} → version ${result.model_version.version}.`);
    });

  models
    .command("history")
    .description("the audit trail: who changed what, when, from what to what (newest first)")
    .argument("<name>", "registered model name")
    .option("--max <n>", "at most this many entries", positiveInteger, 100)
    .option("--json", "print JSON")
    .action(async (name: string, flags: { max: number; json?: boolean }, command: Command) => {
      const { registry } = ctx.models(command);
      const entries = (await registry.listAudit({ name, max_results: Math.min(flags.max, 1000) }, { allPages: flags.max > 1000 })).entries.slice(0, flags.max);
      if (flags.json) return ctx.printJson(entries);
      if (entries.length === 0) return ctx.print(`No history for ${name}.`);
      const rows = entries.map((e) => [formatTime(e.timestamp), e.actor, e.action, e.version ?? "", e.target ?? "", e.from ?? "", e.to ?? ""]);
      ctx.print(formatTable(rows, { header: ["WHEN", "WHO", "ACTION", "VERSION", "WHAT", "FROM", "TO"], maxCellWidth: 40 }));
    });
}
