import { spawn } from "node:child_process";

export interface ShellResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one shell command line with bash, asynchronously (tests whose server runs in this process must never
 * block it), and resolves with its exit code and output.
 */
export function runShell(command: string, options: { cwd: string; env?: Record<string, string> }): Promise<ShellResult> {
  const child = spawn("bash", ["-c", command], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
