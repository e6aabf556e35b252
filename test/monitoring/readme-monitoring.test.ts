import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";
import { runWalkthrough } from "../support/serve-process.js";

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
  beforeAll(async () => {
    server = await startTestServer();
    workdir = mkdtempSync(join(tmpdir(), "keel-monitoring-walkthrough-"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(workdir, { recursive: true, force: true });
  });

  it("works as written: serve, send drifted traffic, add labels, run the monitor, get rules and a report", async () => {
    const { commands, monitors } = walkthrough();
    writeFileSync(join(workdir, "monitors.yaml"), monitors);
    const steps = await runWalkthrough(commands, {
      cwd: workdir,
      // `keel monitor` opens the server's database directly, as it would run beside `keel server`.
      env: { KEEL_TRACKING_URI: server.url, KEEL_BACKEND_STORE_URI: server.backendStoreUri },
      readmePort: "8090",
      // The README says the monitor run exits 1 on this drifted day; everything else exits 0.
      expectedCode: (line) => (line.startsWith("keel monitor run") ? 1 : 0),
    });
    const outputs = new Map(steps.map((s) => [s.line.split(/\s+/).slice(0, 3).join(" "), s.stdout]));
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
