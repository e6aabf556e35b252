import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";
import type { ShellResult } from "../support/shell.js";
import { runShell } from "../support/shell.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** The commands of the README's registry walkthrough, in order, as written. */
function walkthroughCommands(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### The model registry and promotion"));
  const start = section.indexOf("```sh") + 5;
  const block = section.slice(start, section.indexOf("```", start));
  return block.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
}

/** Runs one README line from the checkout, `keel` being its CLI (as `npm link` would make it). */
function sh(line: string, env: Record<string, string>): Promise<ShellResult> {
  return runShell(line.replace(/^keel /, "npx tsx src/cli/main.ts "), { cwd: ROOT, env });
}

describe("the README's registry walkthrough", () => {
  let server: TestServer;
  let workdir: string;
  beforeAll(async () => {
    server = await startTestServer();
    workdir = mkdtempSync(join(tmpdir(), "keel-walkthrough-"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(workdir, { recursive: true, force: true });
  });

  it("works as written: gates approve, reject and approve; rollback returns production to version 1", async () => {
    const commands = walkthroughCommands();
    expect(commands.length).toBeGreaterThanOrEqual(10);
    const outputs: { line: string; code: number | null; stdout: string }[] = [];
    for (const line of commands) {
      // Downloads go to a temp dir rather than into the checkout.
      const result = await sh(line.replace("--dest ./models", `--dest ${join(workdir, "models")}`), { KEEL_TRACKING_URI: server.url });
      outputs.push({ line, code: result.code, stdout: result.stdout });
      const rejected = line.includes("promote churn-classifier 2");
      expect(result.code, `${line}\n${result.stdout}\n${result.stderr}`).toBe(rejected ? 1 : 0);
    }
    const out = (fragment: string) => outputs.find((o) => o.line.includes(fragment))?.stdout ?? "";
    expect(out("promote churn-classifier 1")).toMatch(/APPROVED: 0 FAIL/);
    expect(out("promote churn-classifier 2")).toMatch(/REJECTED: 2 FAIL/);
    expect(out("promote churn-classifier 3")).toMatch(/APPROVED/);
    expect(out("models rollback")).toContain("version 3 → version 1");
    expect(out("models history")).toMatch(/rollback\s+1\s+alias:production\s+3\s+1/);
    expect(existsSync(join(workdir, "models", "model", "model.onnx"))).toBe(true);
    expect(readFileSync(join(workdir, "models", "model", "MLmodel"), "utf8")).toContain("loader_module: mlflow.onnx");
  });
});
