import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import type { CliContext } from "./cli-context.js";
import { collect } from "./cli-context.js";
import type { DriftFlags } from "./drift-run.js";

function number(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError("expected a number.");
  return n;
}

/** `keel drift`: per-column drift between two tables, as Evidently's data drift preset judges it. */
export function registerDriftCommand(program: Command, ctx: CliContext): void {
  program
    .command("drift")
    .description("compare two tables (CSV or Parquet) column by column: drift tests, verdicts, dataset drift")
    .requiredOption("--reference <file>", "the reference table (e.g. the training data)")
    .requiredOption("--current <file>", "the table to compare with it (e.g. today's inputs)")
    .option("--test <name>", "one test for every column: ks, psi, chisquare, ztest, wasserstein, jensenshannon, cramer_von_mises (default: chosen per column as Evidently does)")
    .option("--threshold <x>", "one threshold for every column (default: each test's own)", number)
    .option("--column-test <col=test[:threshold]>", "a test (and threshold) for one column; repeatable", collect, [])
    .option("--columns <a,b,...>", "the columns to compare (default: every column of --current)")
    .option("--drift-share <x>", "dataset drift when at least this share of columns drifted (default: 0.5)", number)
    .option("--fail-on-drift", "exit 1 when the dataset drifted (for CI and schedulers)")
    .option("--json", "print the result as JSON")
    .option("--html <file>", "also write a self-contained HTML report (summary, per-column verdicts and charts) to <file>")
    .option("--log-to-run <run-id>", "log drift/report.html and drift/result.json as artifacts of this run on the tracking server")
    .action(async (flags: DriftFlags, command: Command) => {
      // The drift machinery (DuckDB, worker threads, the HTML report) loads only when this command runs.
      const { runDrift } = await import("./drift-run.js");
      await runDrift(flags, command, ctx);
    });
}
