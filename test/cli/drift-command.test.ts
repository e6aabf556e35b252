import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeel } from "../../src/client/index.js";
import { seededRandom } from "../support/seeded-random.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer, tempDir, tempFiles } from "../support/servers.js";
import { keel as cli } from "./cli-harness.js";

/** Reference and current tables of 1,500 rows: `age` shifts by 6, `tenure` stays, `plan` moves to "max". */
function tables(): Record<string, string> {
  const random = seededRandom(7);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const table = (shift: number, maxShare: number): string => {
    const lines = ["age,tenure,plan"];
    for (let i = 0; i < 1500; i++) {
      const u = random();
      const plan = u < maxShare ? "max" : u < (1 + maxShare) / 2 ? "pro" : "basic";
      lines.push(`${(40 + shift + 10 * normal()).toFixed(3)},${(-20 * Math.log(1 - random())).toFixed(3)},${plan}`);
    }
    return `${lines.join("\n")}\n`;
  };
  return { "reference.csv": table(0, 1 / 3), "current.csv": table(6, 0.6) };
}

let files: { dir: string; cleanup(): void };
const path = (name: string): string => join(files.dir, name);
beforeAll(() => {
  files = tempFiles(tables());
});
afterAll(() => files.cleanup());

const drift = (...args: string[]) => cli("http://127.0.0.1:9", ["drift", "--reference", path("reference.csv"), "--current", path("current.csv"), ...args]);

describe("keel drift", () => {
  it("judges each column with Evidently's default test and reports dataset drift, as a table and as JSON", async () => {
    const table = await drift();
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/age\s+numerical\s+wasserstein\s+\S+\s+0\.1\s+DRIFT/);
    expect(table.stdout).toMatch(/tenure\s+numerical\s+wasserstein\s+\S+\s+0\.1\s+ok/);
    expect(table.stdout).toMatch(/plan\s+categorical\s+jensenshannon\s+\S+\s+0\.1\s+DRIFT/);
    expect(table.stdout).toContain("DRIFT: 2 of 3 columns drifted");
    const json = await drift("--json");
    const result = JSON.parse(json.stdout) as { datasetDrift: boolean; columns: { column: string; stattest: string; drifted: boolean }[] };
    expect(result.datasetDrift).toBe(true);
    expect(result.columns.map((c) => [c.column, c.stattest, c.drifted])).toEqual([["age", "wasserstein", true], ["tenure", "wasserstein", false], ["plan", "jensenshannon", true]]);
  });

  it("takes a test and threshold per column, and exits 1 on dataset drift when asked to", async () => {
    const result = await drift("--column-test", "age=ks", "--column-test", "tenure=psi:0.2", "--column-test", "plan=chisquare", "--json", "--fail-on-drift");
    expect(result.code).toBe(1);
    const columns = (JSON.parse(result.stdout) as { columns: { column: string; stattest: string; threshold: number; pValue?: number }[] }).columns;
    expect(columns.map((c) => [c.column, c.stattest, c.threshold])).toEqual([["age", "ks", 0.05], ["tenure", "psi", 0.2], ["plan", "chisquare", 0.05]]);
    expect(columns[0].pValue).toBeLessThan(1e-10);
  });

  it.each([
    [["--test", "ks"], /stattest 'ks' does not apply to categorical column 'plan'/],
    [["--column-test", "plan=ztest"], /needs a binary column/],
    [["--column-test", "plan=anova"], /anova/],
    [["--columns", "age,income"], /income/],
    [["--threshold", "high"], /expected a number/],
  ])("refuses %j with a one-line error", async (args, message) => {
    const result = await drift(...args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses a table that does not exist", async () => {
    const result = await cli("http://127.0.0.1:9", ["drift", "--reference", path("missing.csv"), "--current", path("current.csv")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/missing\.csv/);
  });
});

describe("keel drift --html and --log-to-run", () => {
  let server: TestServer;
  let out: { dir: string; cleanup(): void };
  beforeAll(async () => {
    server = await startTestServer();
    out = tempDir();
  });
  afterAll(async () => {
    out.cleanup();
    await server.close();
  });

  it("writes a self-contained HTML report beside the usual table", async () => {
    const report = join(files.dir, "report.html");
    const result = await drift("--html", report);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("DRIFT: 2 of 3 columns drifted");
    expect(result.stdout).toContain(`Wrote the HTML report to ${report}`);
    const html = readFileSync(report, "utf8");
    expect(html).toContain("Dataset drift detected");
    expect(html).toContain("reference (reference.csv)");
    expect(html.match(/<tr class="drifted" data-column="(age|plan)"/g)).toHaveLength(2);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(3);
    expect(html).not.toMatch(/https?:/);
  });

  it("keeps stdout pure JSON when --json and --html are both given", async () => {
    const report = join(files.dir, "report-json.html");
    const result = await drift("--json", "--html", report);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { driftedColumns: number }).driftedColumns).toBe(2);
    expect(result.stderr).toContain("Wrote the HTML report");
  });

  it("logs the report and the JSON result as artifacts of a run, then exits 1 on drift when asked to", async () => {
    const sdk = createKeel({ trackingUri: server.url });
    const runId = await sdk.withRun({ experiment: "monitoring", runName: "nightly-drift" }, async (run) => run.runId);
    const logged = await cli(server.url, ["drift", "--reference", path("reference.csv"), "--current", path("current.csv"), "--log-to-run", runId, "--fail-on-drift"]);
    expect(logged.code, logged.stderr).toBe(1);
    expect(logged.stdout).toMatch(new RegExp(`Logged drift/report\\.html and drift/result\\.json to run ${runId} \\(mlflow-artifacts:.*/drift\\)`));
    const listing = await cli(server.url, ["artifacts", "list", runId, "drift", "--json"]);
    const listed = (JSON.parse(listing.stdout) as { files: { path: string }[] }).files.map((f) => f.path);
    expect(listed).toEqual(["drift/report.html", "drift/result.json"]);
    const download = await cli(server.url, ["artifacts", "download", runId, "drift", "--dest", out.dir]);
    expect(download.code, download.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(out.dir, "drift", "result.json"), "utf8")) as { datasetDrift: boolean; columns: { column: string }[] };
    expect(json.datasetDrift).toBe(true);
    expect(json.columns.map((c) => c.column)).toEqual(["age", "tenure", "plan"]);
    expect(readFileSync(join(out.dir, "drift", "report.html"), "utf8")).toContain("2 of 3 columns drifted");
  });

  it("names a run that does not exist", async () => {
    const result = await cli(server.url, ["drift", "--reference", path("reference.csv"), "--current", path("current.csv"), "--log-to-run", "0123456789abcdef"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/0123456789abcdef/);
  });
});
