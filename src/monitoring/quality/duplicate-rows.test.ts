import { describe, expect, it } from "vitest";
import type { Column } from "../../core/frame.js";
import { countDuplicateRows } from "./duplicate-rows.js";

const num = (name: string, values: ArrayLike<number>): Column => ({ kind: "number", name, values: Float64Array.from(values) });
const str = (name: string, values: (string | null)[]): Column => ({ kind: "string", name, values });

describe("countDuplicateRows", () => {
  it("counts rows equal to an earlier row over every column", () => {
    const columns = [num("a", [1, 1, 1, 2, 2]), str("b", ["x", "x", "y", "x", "x"])];
    expect(countDuplicateRows(columns, 5)).toBe(2);
  });

  it("tells the empty string from a missing value and a number from its text", () => {
    expect(countDuplicateRows([str("s", ["", null, "", null])], 4)).toBe(2);
    expect(countDuplicateRows([str("s", ["", null])], 2)).toBe(0);
  });

  it("handles no rows, one row and no columns", () => {
    expect(countDuplicateRows([num("a", [])], 0)).toBe(0);
    expect(countDuplicateRows([num("a", [1])], 1)).toBe(0);
    expect(countDuplicateRows([], 3)).toBe(2);
  });

  it("agrees with a key-string count on a larger random table", () => {
    const n = 20_000;
    let seed = 7;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const a = Float64Array.from({ length: n }, () => Math.floor(random() * 20));
    const b = Array.from({ length: n }, () => (random() < 0.1 ? null : `v${Math.floor(random() * 30)}`));
    const keys = new Set<string>();
    for (let i = 0; i < n; i++) keys.add(`${a[i]}|${b[i] === null ? "\u0000" : b[i]}`);
    expect(countDuplicateRows([num("a", a), str("b", b)], n)).toBe(n - keys.size);
  });
});
