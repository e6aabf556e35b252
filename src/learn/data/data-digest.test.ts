import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dataDigest } from "./data-digest.js";

const dir = mkdtempSync(join(tmpdir(), "keel-data-digest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CSV = "id,age,income,plan,active\n1,34,52000.5,basic,true\n2,,61000,premium,false\n3,51,,basic,true\n";

describe("dataDigest", () => {
  it("hashes the file's bytes and keeps MLflow's short digest", async () => {
    const path = join(dir, "customers.csv");
    writeFileSync(path, CSV);
    const result = await dataDigest(path);
    const expected = createHash("sha256").update(readFileSync(path)).digest("hex");
    expect(result.sha256).toBe(expected);
    expect(result.digest).toBe(expected.slice(0, 8));
    expect(result.dataset.digest).toBe(result.digest);
  });

  it("changes when one value in the file changes", async () => {
    const a = join(dir, "a.csv");
    const b = join(dir, "b.csv");
    writeFileSync(a, CSV);
    writeFileSync(b, CSV.replace("52000.5", "52000.6"));
    expect((await dataDigest(a)).digest).not.toBe((await dataDigest(b)).digest);
  });

  it("describes the dataset as MLflow's log-inputs entry", async () => {
    const path = join(dir, "churn.csv");
    writeFileSync(path, CSV);
    const { dataset, rowCount, columnCount } = await dataDigest(path);
    expect(rowCount).toBe(3);
    expect(columnCount).toBe(5);
    expect(dataset.name).toBe("churn");
    expect(dataset.source_type).toBe("local");
    expect(JSON.parse(dataset.source)).toEqual({ uri: path });
    expect(JSON.parse(dataset.schema)).toEqual({
      mlflow_colspec: [
        { type: "long", name: "id", required: true },
        { type: "long", name: "age", required: true },
        { type: "double", name: "income", required: true },
        { type: "string", name: "plan", required: true },
        { type: "boolean", name: "active", required: true },
      ],
    });
    expect(dataset.profile).toBe('{"num_rows": 3, "num_elements": 15}');
  });

  it("describes overridden columns as training reads them, under the name given", async () => {
    const path = join(dir, "override.csv");
    writeFileSync(path, CSV);
    const { dataset } = await dataDigest(path, { name: "customers-v2", types: { id: "string" } });
    expect(dataset.name).toBe("customers-v2");
    expect((JSON.parse(dataset.schema) as { mlflow_colspec: { type: string }[] }).mlflow_colspec[0].type).toBe("string");
  });

  it("names a missing file", async () => {
    await expect(dataDigest(join(dir, "missing.parquet"))).rejects.toThrow(/missing\.parquet/);
  });
});
