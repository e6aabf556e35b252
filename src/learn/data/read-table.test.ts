import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import type { Column, Frame } from "../../core/frame.js";
import { KeelError } from "../../core/errors.js";
import { readTable } from "./read-table.js";

const dir = mkdtempSync(join(tmpdir(), "keel-read-table-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function column(frame: Frame, name: string): Column {
  const found = frame.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
}

const CUSTOMERS = [
  "id,age,income,plan,active,joined,zip",
  "1,34,52000.5,basic,true,2024-01-05,01234",
  "2,,61000,premium,false,2024-02-11,02345",
  "3,51,,basic,true,2024-03-20,10001",
  "4,29,48000.25,,false,2024-04-01,94105",
].join("\n");

describe("readTable on CSV", () => {
  it("infers numbers, booleans as 0/1 and text, with NaN and null where values are missing", async () => {
    const frame = await readTable(write("customers.csv", CUSTOMERS));
    expect(frame.rowCount).toBe(4);
    expect(frame.columns.map((c) => [c.name, c.kind])).toEqual([
      ["id", "number"],
      ["age", "number"],
      ["income", "number"],
      ["plan", "string"],
      ["active", "number"],
      ["joined", "string"],
      // DuckDB keeps codes with leading zeros as text.
      ["zip", "string"],
    ]);
    expect(Array.from(column(frame, "age").values as Float64Array)).toEqual([34, Number.NaN, 51, 29]);
    expect(Array.from(column(frame, "income").values as Float64Array)).toEqual([52000.5, 61000, Number.NaN, 48000.25]);
    expect(column(frame, "plan").values).toEqual(["basic", "premium", "basic", null]);
    expect(Array.from(column(frame, "active").values as Float64Array)).toEqual([1, 0, 1, 0]);
    expect(column(frame, "joined").values).toEqual(["2024-01-05", "2024-02-11", "2024-03-20", "2024-04-01"]);
    expect(column(frame, "age").values).toBeInstanceOf(Float64Array);
  });

  it("reads a column as text when told to, keeping its characters, and text as numbers", async () => {
    const path = write("override.csv", "zip,code\n01234,7\n02345,8\n");
    const frame = await readTable(path, { types: { zip: "string", code: "string" } });
    expect(column(frame, "zip").values).toEqual(["01234", "02345"]);
    expect(column(frame, "code").values).toEqual(["7", "8"]);
    const numbers = await readTable(write("numbers.csv", "n\n1\n2.5\n"), { types: { n: "number" } });
    expect(Array.from(column(numbers, "n").values as Float64Array)).toEqual([1, 2.5]);
  });

  it("fails naming the file when a column forced to numbers holds text", async () => {
    const path = write("bad-number.csv", "n\n1\nabc\n");
    await expect(readTable(path, { types: { n: "number" } })).rejects.toThrow(/bad-number\.csv/);
  });

  it("reads only the columns asked for, in that order", async () => {
    const frame = await readTable(write("subset.csv", CUSTOMERS), { columns: ["plan", "age"] });
    expect(frame.columns.map((c) => c.name)).toEqual(["plan", "age"]);
  });

  it("names the columns that are not in the file", async () => {
    const path = write("names.csv", CUSTOMERS);
    await expect(readTable(path, { columns: ["age", "salary"] })).rejects.toThrow(/'salary' not in .*names\.csv.*'age'/);
    await expect(readTable(path, { types: { salery: "number" } })).rejects.toThrow(/'salery'/);
  });

  it("reads tables larger than one DuckDB chunk in order", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},${i % 2 === 0 ? "even" : "odd"}`);
    const frame = await readTable(write("big.csv", `n,parity\n${rows.join("\n")}\n`));
    expect(frame.rowCount).toBe(5000);
    const n = column(frame, "n").values as Float64Array;
    expect(n[0]).toBe(0);
    expect(n[4999]).toBe(4999);
    expect(n.every((v, i) => v === i)).toBe(true);
    expect(column(frame, "parity").values[4999]).toBe("odd");
  });
});

describe("readTable on Parquet", () => {
  it("reads what DuckDB wrote, types and missing values included", async () => {
    const csv = write("source.csv", CUSTOMERS);
    const parquet = join(dir, "customers.parquet");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT * FROM read_csv_auto('${csv}')) TO '${parquet}' (FORMAT PARQUET)`);
    connection.closeSync();
    instance.closeSync();

    const frame = await readTable(parquet);
    const fromCsv = await readTable(csv);
    expect(frame.rowCount).toBe(4);
    expect(frame.columns.map((c) => [c.name, c.kind])).toEqual(fromCsv.columns.map((c) => [c.name, c.kind]));
    expect(Array.from(column(frame, "age").values as Float64Array)).toEqual([34, Number.NaN, 51, 29]);
    expect(column(frame, "plan").values).toEqual(["basic", "premium", "basic", null]);
    const asText = await readTable(parquet, { types: { id: "string" } });
    expect(column(asText, "id").values).toEqual(["1", "2", "3", "4"]);
  });
});

describe("readTable errors", () => {
  it("names a missing file", async () => {
    const path = join(dir, "nope.csv");
    const err = await readTable(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeelError);
    expect((err as KeelError).code).toBe("INVALID_PARAMETER_VALUE");
    expect((err as KeelError).message).toContain("nope.csv");
  });

  it("names a file that is not Parquet", async () => {
    const path = write("broken.parquet", "this is not parquet");
    const err = await readTable(path).catch((e: unknown) => e);
    expect((err as KeelError).code).toBe("INVALID_PARAMETER_VALUE");
    expect((err as KeelError).message).toMatch(/could not read '.*broken\.parquet' as Parquet/);
  });

  it("refuses an extension it cannot read", async () => {
    await expect(readTable(write("data.xlsx", "x"))).rejects.toThrow(/\.csv or \.parquet/);
  });
});
