import { Command, CommanderError } from "commander";
import { KeelError } from "../core/errors.js";
import { KEEL_VERSION } from "../core/version.js";
import { registerArtifactsCommand } from "./artifacts-command.js";
import type { CliIo } from "./cli-context.js";
import { CliExit, createCliContext } from "./cli-context.js";
import { registerDeployCommand } from "./deploy-command.js";
import { registerDriftCommand } from "./drift-command.js";
import { registerMonitorCommand } from "./monitor-command.js";
import { registerExperimentsCommand } from "./experiments-command.js";
import { registerModelsCommand } from "./models-command.js";
import { registerRunsCommand } from "./runs-command.js";
import { registerServeCommand } from "./serve-command.js";
import { registerServerCommand } from "./server-command.js";
import { registerTrainCommand } from "./train-command.js";

/** Exit codes: 0 success, 1 a failed operation (the message says why), 2 a usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The real process's streams, environment and stop signals. */
export function processIo(): CliIo {
  // `keel runs list | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    waitForShutdown: () =>
      new Promise((resolve) => {
        const onSignal = (signal: NodeJS.Signals) => {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          resolve(signal);
        };
        process.on("SIGINT", onSignal);
        process.on("SIGTERM", onSignal);
      }),
  };
}

function buildProgram(io: CliIo): Command {
  const program = new Command("keel")
    .description("Keel: experiment tracking (MLflow REST API 2.0) and the rest of the model lifecycle")
    .version(KEEL_VERSION)
    .option("--tracking-uri <uri>", "tracking server for client commands [env KEEL_TRACKING_URI, MLFLOW_TRACKING_URI] (default: http://127.0.0.1:5000)")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError();
  const ctx = createCliContext(io);
  // Subcommands made with .command() inherit exitOverride and the output settings above.
  registerExperimentsCommand(program, ctx);
  registerRunsCommand(program, ctx);
  registerArtifactsCommand(program, ctx);
  registerModelsCommand(program, ctx);
  registerTrainCommand(program, ctx);
  registerServerCommand(program, ctx);
  registerServeCommand(program, ctx);
  registerDeployCommand(program, ctx);
  registerDriftCommand(program, ctx);
  registerMonitorCommand(program, ctx);
  return program;
}

/**
 * Runs the `keel` command line with `argv` (the arguments after `keel`) and resolves with the exit code.
 * Never throws: expected failures print `error: <message>` to stderr.
 *
 * @example
 * const code = await runCli(["experiments", "list", "--json"], processIo());
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof CommanderError) {
      // commander has printed its message (or the help/version text) already.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof KeelError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_FAILED;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`error: ${message}\n`);
    if (io.env.KEEL_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_FAILED;
  }
}
