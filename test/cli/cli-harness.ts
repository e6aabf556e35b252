import type { CliIo } from "../../src/cli/main.js";
import { runCli } from "../../src/cli/main.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `keel <argv>` in-process against the tracking server at `trackingUri`. */
export async function keel(
  trackingUri: string,
  argv: readonly string[],
  env: Record<string, string> = {},
  hooks: { waitForShutdown?: () => Promise<string>; onStdout?: (text: string) => void } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
      hooks.onStdout?.(text);
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { KEEL_TRACKING_URI: trackingUri, ...env },
    waitForShutdown: hooks.waitForShutdown ?? (() => new Promise(() => undefined)),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** The lines of a table's body whose first cell, after an optional marker, is `key`. */
export function rowOf(text: string, key: string): string | undefined {
  return text.split("\n").find((line) => line.replace(/^\*?\s*/, "").split(/\s{2,}/)[0] === key);
}
