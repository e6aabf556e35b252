#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { processIo, runCli } from "./run-cli.js";

export type { CliIo } from "./cli-context.js";
export { EXIT_FAILED, EXIT_OK, EXIT_USAGE, processIo, runCli } from "./run-cli.js";

/** True when this file is the program being run (also through npm's bin symlink), not an import. */
function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
  // Normally the process ends here by itself; this only stops a stray handle from keeping it alive.
  setTimeout(() => process.exit(), 2000).unref();
}
