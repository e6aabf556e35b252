import { describe, expect, it } from "vitest";
import { displayWidth, formatTable } from "./format-table.js";

describe("formatTable", () => {
  it("aligns columns under their header with two spaces between, without trailing spaces", () => {
    const text = formatTable(
      [
        ["1", "churn", "active"],
        ["12", "fraud-detection", "deleted"],
      ],
      { header: ["ID", "NAME", "STAGE"], align: ["right"] },
    );
    expect(text).toBe(["ID  NAME             STAGE", " 1  churn            active", "12  fraud-detection  deleted", ""].join("\n"));
  });

  it("pads rows that have fewer cells than the widest row", () => {
    expect(formatTable([["a", "b"], ["ccc"]])).toBe("a    b\nccc\n");
  });

  it("cuts long cells with an ellipsis and flattens newlines", () => {
    const text = formatTable([["k", "x".repeat(100)], ["n", "two\nlines"]], { maxCellWidth: 10 });
    expect(text.split("\n")[0]).toBe(`k  ${"x".repeat(9)}…`);
    expect(text.split("\n")[1]).toBe("n  two lines");
  });

  it("measures wide characters as two columns", () => {
    expect(displayWidth("模型")).toBe(4);
    expect(formatTable([["模型", "x"], ["ab", "y"]])).toBe("模型  x\nab    y\n");
  });

  it("prints nothing for no rows and no header", () => {
    expect(formatTable([])).toBe("");
  });
});
