import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { SingleBar } from "cli-progress";
import { createKeel } from "../client/keel.js";
import { resolveTrackingUri } from "../client/tracking-uri.js";
import { LEARNER_NAMES } from "../learn/learner-catalog.js";
import type { TrainSummary } from "../learn/tracked-training.js";
import { trainTracked } from "../learn/tracked-training.js";
import type { CliContext } from "./cli-context.js";
import { keyValuePair, positiveInteger } from "./cli-context.js";
import { formatTable } from "./format-table.js";
import { formatNumber } from "./format-values.js";

interface TrainFlags {
  data: string;
  target: string;
  model: string;
  param?: Record<string, string>;
  testSize: number;
  cv?: number;
  seed: number;
  task?: "classification" | "regression";
  experiment: string;
  runName?: string;
  register?: string;
  json?: boolean;
  progress: boolean;
}

function param(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const { key, value: text } = keyValuePair(value, "KEY=VALUE, e.g. --param max_depth=8");
  return { ...previous, [key]: text };
}

function fraction(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError("expected a fraction between 0 and 1, e.g. 0.2.");
  return n;
}

function seedArgument(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError("expected a non-negative integer.");
  return n;
}

function printSummary(ctx: CliContext, summary: TrainSummary): void {
  const rows = Object.entries(summary.metrics).map(([k, v]) => [k, formatNumber(v)]);
  ctx.print(formatTable(rows, { header: ["METRIC (held-out)", "VALUE"] }));
  if (summary.cvMetrics && Object.keys(summary.cvMetrics).length > 0) {
    ctx.print(formatTable(Object.entries(summary.cvMetrics).map(([k, v]) => [k, formatNumber(v)]), { header: ["METRIC (cross-validation)", "VALUE"] }));
  }
  ctx.print(`${summary.model} ${summary.task} on ${summary.trainRows} rows × ${summary.features} features (tested on ${summary.testRows}) in ${(summary.durationMs / 1000).toFixed(1)} s`);
  ctx.print(`run ${summary.runId}  model ${summary.modelUri}${summary.registeredVersion ? `  registered ${summary.registeredVersion.name} version ${summary.registeredVersion.version}` : ""}`);
}

/** `keel train`: train a built-in learner on a table, evaluate it, and log everything to a tracked run. */
export function registerTrainCommand(program: Command, ctx: CliContext): void {
  program
    .command("train")
    .description("train a model on a CSV/Parquet table, evaluate it, and log params, metrics, the ONNX model and the dataset to a run")
    .requiredOption("--data <file>", "CSV or Parquet file")
    .requiredOption("--target <column>", "column to predict")
    .requiredOption("--model <name>", `learner: ${LEARNER_NAMES.join(", ")}`)
    .option("--param <key=value>", "hyperparameter (scikit-learn names); repeat for more", param)
    .option("--test-size <fraction>", "held-out share", fraction, 0.2)
    .option("--cv <k>", "also run k-fold cross-validation", positiveInteger)
    .option("--seed <n>", "random seed (same seed, same model)", seedArgument, 0)
    .option("--task <task>", "classification or regression (default: from the target column)")
    .option("--experiment <name>", "experiment to log to", "Default")
    .option("--run-name <name>", "run name")
    .option("--register <name>", "register the model as a new version of this registered model")
    .option("--json", "print the summary as JSON")
    .option("--no-progress", "no progress bar")
    .action(async (flags: TrainFlags, command: Command) => {
      const { trackingUri } = command.optsWithGlobals<{ trackingUri?: string }>();
      const keel = createKeel({ trackingUri: resolveTrackingUri(trackingUri, ctx.io.env) });
      const bar = flags.progress && !flags.json ? new SingleBar({ format: "training {bar} {value}/{total} {loss}", hideCursor: true, stream: process.stderr }) : undefined;
      let started = false;
      const summary = await keel.withRun({ experiment: flags.experiment, ...(flags.runName ? { runName: flags.runName } : {}) }, async (run) =>
        trainTracked(
          {
            dataPath: flags.data,
            target: flags.target,
            model: flags.model,
            params: flags.param ?? {},
            testSize: flags.testSize,
            ...(flags.cv ? { cv: flags.cv } : {}),
            seed: flags.seed,
            ...(flags.task ? { task: flags.task } : {}),
            ...(flags.register ? { registeredModelName: flags.register } : {}),
            onProgress: (event) => {
              if (!bar) return;
              if (!started) bar.start(event.total, 0, { loss: "" });
              started = true;
              bar.setTotal(event.total);
              bar.update(event.step, { loss: event.validationLoss !== undefined ? `val loss ${event.validationLoss.toFixed(4)}` : event.trainLoss !== undefined ? `loss ${event.trainLoss.toFixed(4)}` : "" });
            },
          },
          run,
        ),
      );
      bar?.stop();
      if (flags.json) return ctx.printJson(summary);
      printSummary(ctx, summary);
    });
}
