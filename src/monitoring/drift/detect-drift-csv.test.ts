import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTable } from "../../learn/data/index.js";
import { detectDrift } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "keel-drift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, rows: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, ["age,plan,churned,income", ...rows].join("\n") + "\n");
  return path;
}

describe("detectDrift on tables read from CSV", () => {
  it("infers kinds from DuckDB's types and flags the column that moved", async () => {
    const plans = ["free", "pro", "team"];
    const rows = (n: number, ageShift: number): string[] =>
      Array.from({ length: n }, (_, i) => {
        const income = i % 7 === 0 ? "" : String(1000 + ((i * 37) % 500) + 0.25);
        return `${20 + (i % 40) + ageShift},${plans[i % 3]},${i % 4 === 0},${income}`;
      });
    const reference = await readTable(csv("reference.csv", rows(300, 0)));
    const current = await readTable(csv("current.csv", rows(300, 15)));
    const result = detectDrift(reference, current);
    const byName = Object.fromEntries(result.columns.map((c) => [c.column, c]));
    // Whole numbers with more than 10 distinct values are numerical; booleans (0/1) and text categorical.
    expect(byName.age).toMatchObject({ kind: "numerical", stattest: "ks", drifted: true });
    expect(byName.plan).toMatchObject({ kind: "categorical", stattest: "chisquare", drifted: false });
    expect(byName.churned).toMatchObject({ kind: "categorical", stattest: "z", drifted: false });
    expect(byName.income).toMatchObject({ kind: "numerical", stattest: "ks", drifted: false });
    expect(byName.income.missing).toEqual({ reference: 43, current: 43 });
    expect(result).toMatchObject({ driftedColumns: 1, share: 0.25, datasetDrift: false });
  });
});
