import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { csvFieldValue, parseCsv } from "./csv-rows.js";

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and newlines, and skips blank lines", () => {
    const csv = '\uFEFFname,note\n"Smith, J","said ""hi""\nthen left"\n\nDoe,\n';
    expect(parseCsv(csv)).toEqual({ columns: ["name", "note"], rows: [["Smith, J", 'said "hi"\nthen left'], ["Doe", ""]] });
  });

  it("drops the unnamed index column pandas writes, and pads short rows with missing values", () => {
    expect(parseCsv(",a,b\r\n0,1,2\r\n1,3")).toEqual({ columns: ["a", "b"], rows: [["1", "2"], ["3", ""]] });
  });

  it("refuses an empty body, long rows and an open quote", () => {
    expect(refusal(() => parseCsv("\n\n")).message).toBe("The CSV body is empty; send a header row of column names, then one line per row.");
    const long = refusal(() => parseCsv("a,b\n1,2\n1,2,3\n"));
    expect(long.code).toBe("BAD_REQUEST");
    expect(long.message).toBe("CSV row 1 has 3 fields but the header names 2 columns; quote fields that contain commas.");
    expect(refusal(() => parseCsv('a\n"open')).message).toBe(`The CSV body ends inside a quoted field; close every opening '"'.`);
  });
});

describe("csvFieldValue", () => {
  it("reads numbers, pandas' missing markers and booleans by the input's type", () => {
    expect(csvFieldValue(" 1.5e3 ", "float32")).toBe(1500);
    expect(csvFieldValue("-inf", "float64")).toBe(-Infinity);
    expect(csvFieldValue("NA", "float32")).toBeNull();
    expect(csvFieldValue("", "int64")).toBeNull();
    expect(csvFieldValue("0x10", "int32")).toBe("0x10");
    expect(csvFieldValue("True", "bool")).toBe(true);
    expect(csvFieldValue("0", "bool")).toBe(false);
    expect(csvFieldValue("00123", "string")).toBe("00123");
    expect(csvFieldValue("", "string")).toBe("");
  });
});
