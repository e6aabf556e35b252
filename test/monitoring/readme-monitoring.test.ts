import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";
import { freePort, waitForPing } from "../support/serve-process.js";
import { runShell } from "../support/shell.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** The README's monitoring section: its commands and its monitors.yaml, as written. */
function walkthrough(): { commands: string[]; monitors: string } {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Monitoring"), readme.indexOf("### The TypeScript SDK"));
  const block = (fence: string): string => {
    const start = section.indexOf(fence) + fence.length;
    return section.slice(start, section.indexOf("```", start));
  };
  return { commands: block("```sh").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")), monitors: block("```yaml") };
}

describe("the README's monitoring walkthrough", () => {
  let server: TestServer;
  let workdir: string;
  let serve: ChildProcess | undefined;
  beforeAll(async () => {
    server = await startTestServer();
    workdir = mkdtempSync(join(tmpdir(), "keel-monitoring-walkthrough-"));
  });
  afterAll(async () => {
    serve?.kill("SIGKILL");
    await server.close();
    rmSync(workdir, { recursive: true, force: true });
  });

  it("works as written: serve, send drifted traffic, add labels, run the monitor, get rules and a report", async () => {
    const { commands, monitors } = walkthrough();
    writeFileSync(join(workdir, "monitors.yaml"), monitors);
    const port = await freePort();
    // `keel monitor` opens the server's database directly, as it would run beside `keel server`.
    const env = { KEEL_TRACKING_URI: server.url, KEEL_BACKEND_STORE_URI: server.backendStoreUri, TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.json") };
    const tsx = join(ROOT, "node_modules", ".bin", "tsx");
    const local = (line: string) =>
      line
        .replace(/^npx tsx examples\//, `${tsx} ${ROOT}/examples/`)
        .replace(/^keel /, `${tsx} ${ROOT}/src/cli/main.ts `)
        .replaceAll("8090", String(port));
    const outputs = new Map<string, string>();
    for (const line of commands) {
      if (line.startsWith("keel serve ")) {
        const args = local(line).replace(/\s*&$/, "").split(/\s+/).slice(1);
        serve = spawn(tsx, args, { cwd: workdir, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "ignore"] });
        await waitForPing(`http://127.0.0.1:${port}`, serve);
        continue;
      }
      if (line.startsWith("kill %1")) {
        const child = serve as ChildProcess;
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        child.kill("SIGTERM");
        expect(await exited).toBe(0);
        serve = undefined;
        continue;
      }
      const result = await runShell(local(line.replace(/\s+#.*$/, "")), { cwd: workdir, env });
      // The README says the monitor run exits 1 on this drifted day; everything else exits 0.
      expect(result.code, `${line}\n${result.stdout}\n${result.stderr}`).toBe(line.startsWith("keel monitor run") ? 1 : 0);
      outputs.set(line.split(/\s+/).slice(0, 3).join(" "), result.stdout);
    }
    const run = outputs.get("keel monitor run") ?? "";
    expect(run).toMatch(/monitor churn-daily run 1: ALERT \(2000 predictions/);
    expect(run).toMatch(/input drift: \d+ of 8 columns drifted/);
    expect(run).toContain("monthly_charges");
    expect(run).toMatch(/performance degraded beyond 5\.0%: accuracy/);
    expect(run).toMatch(/performance over 2000 labelled predictions/);
    expect(outputs.get("keel monitor labels")).toContain("added 2000 label(s)");
    expect(outputs.get("keel monitor history")).toMatch(/^1\s+\S+\s+ALERT\s+2000/m);
    // The command alert got the run as JSON.
    const alert = JSON.parse(readFileSync(join(workdir, "last-alert.json"), "utf8")) as { monitor: string; status: string; reasons: string[] };
    expect(alert).toMatchObject({ monitor: "churn-daily", status: "alert" });
    expect(alert.reasons.length).toBeGreaterThanOrEqual(2);
    const rules = parse(readFileSync(join(workdir, "keel-monitors.rules.yml"), "utf8")) as { groups: { rules: { alert: string }[] }[] };
    expect(rules.groups[0].rules.map((r) => r.alert)).toContain("KeelMonitorPerformanceDegraded");
    const report = readFileSync(join(workdir, "drift-report.html"), "utf8");
    expect(report).toContain("monthly_charges");
    expect(report).not.toMatch(/https?:\/\//);
    expect(existsSync(join(workdir, "keel-data", "labels"))).toBe(true);
  }, 300_000);
});
