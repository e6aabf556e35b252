import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../support/seeded-random.js";
import { tempFiles } from "../support/servers.js";
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
