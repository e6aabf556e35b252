import { describe, expect, it } from "vitest";
import { KeelError } from "../core/errors.js";
import { inputRowsFromCsv, inputRowsFromExample } from "./input-rows.js";

describe("inputRowsFromExample", () => {
  it("reads pandas split orient, bare or wrapped in dataframe_split", () => {
    const split = { columns: ["age", "plan"], data: [[42, "pro"]], index: [0] };
    const expected = { columns: ["age", "plan"], rows: [[42, "pro"]] };
    expect(inputRowsFromExample(split)).toEqual(expected);
    expect(inputRowsFromExample({ dataframe_split: split })).toEqual(expected);
  });

  it("reads records, taking columns in first-seen order", () => {
    expect(inputRowsFromExample([{ a: 1 }, { b: 2, a: 3 }])).toEqual({ columns: ["a", "b"], rows: [[1, undefined], [3, 2]] });
    expect(inputRowsFromExample({ dataframe_records: [{ a: 1 }] })).toEqual({ columns: ["a"], rows: [[1]] });
  });

  it("reads tensors: unnamed, named and bare, the first dimension being the batch", () => {
    expect(inputRowsFromExample({ inputs: [[1, 2], [3, 4]] })).toEqual({ columns: null, rows: [[[1, 2]], [[3, 4]]] });
    expect(inputRowsFromExample([[1, 2]])).toEqual({ columns: null, rows: [[[1, 2]]] });
    expect(inputRowsFromExample({ inputs: { x: [[1, 2]], y: [[3]] } })).toEqual({ columns: ["x", "y"], rows: [[[1, 2], [3]]] });
  });

  it("refuses forms it does not know, saying which it does", () => {
    expect(() => inputRowsFromExample({ rows: [] })).toThrow(/unknown form \(keys rows\); use pandas split orient/);
    expect(() => inputRowsFromExample("text")).toThrow(KeelError);
    expect(() => inputRowsFromExample({ columns: ["a"], data: [[1, 2]] })).toThrow("row 0 of the input example has 2 values for 1 columns");
    expect(() => inputRowsFromExample([])).toThrow("the input example has no rows");
  });
});

describe("inputRowsFromCsv", () => {
  it("reads a header and rows, with quoted fields, CRLF and a trailing newline", () => {
    const text = 'name,note\r\nann,"a, b"\r\nbob,"say ""hi"""\r\n';
    expect(inputRowsFromCsv(text, "sample.csv")).toEqual({
      columns: ["name", "note"],
      rows: [["ann", "a, b"], ["bob", 'say "hi"']],
    });
  });

  it("refuses empty files, header-only files and ragged rows", () => {
    expect(() => inputRowsFromCsv("", "s.csv")).toThrow("s.csv is empty");
    expect(() => inputRowsFromCsv("a,b\n", "s.csv")).toThrow("s.csv has a header but no data rows");
    expect(() => inputRowsFromCsv("a,b\n1\n", "s.csv")).toThrow("s.csv row 1 has 1 fields; the header has 2");
  });
});
