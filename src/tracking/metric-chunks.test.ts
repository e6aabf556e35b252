import { describe, expect, it } from "vitest";
import { decodeChunks, encodePoints, indexAfter } from "./metric-chunks.js";
import { MAX_DOUBLE } from "./metric-values.js";

const point = (step: number, value: number, timestamp = 1) => ({ key: "k", step, value, timestamp });

describe("metric chunks", () => {
  it("round-trips points exactly, NaN kept and infinities clamped as MLflow stores them", () => {
    const columns = decodeChunks([encodePoints([point(0, 0.1 + 0.2), point(1, NaN), point(2, Infinity), point(3, -Infinity), point(2 ** 52, 5e-324, 2 ** 45)])]);
    expect([...columns.steps]).toEqual([0, 1, 2, 3, 2 ** 52]);
    expect(columns.values[0]).toBe(0.1 + 0.2);
    expect(columns.values[1]).toBeNaN();
    expect(columns.values[2]).toBe(MAX_DOUBLE);
    expect(columns.values[3]).toBe(-MAX_DOUBLE);
    expect(columns.timestamps[4]).toBe(2 ** 45);
  });

  it("merges chunks into step, timestamp, value order and drops exact duplicates", () => {
    const a = encodePoints([point(5, 1), point(1, 2), point(1, NaN)]);
    const b = encodePoints([point(1, 2), point(1, 0.5), point(0, 9, 3), point(0, 9, 2)]);
    const columns = decodeChunks([a, b]);
    expect([...columns.steps]).toEqual([0, 0, 1, 1, 1, 5]);
    expect([...columns.timestamps]).toEqual([2, 3, 1, 1, 1, 1]);
    expect([...columns.values].slice(2, 4)).toEqual([0.5, 2]);
    expect(columns.values[4]).toBeNaN();
  });

  it("decodes buffers that do not start on an 8-byte boundary", () => {
    const encoded = encodePoints([point(7, 0.25)]);
    const unaligned = Buffer.alloc(encoded.length + 3);
    encoded.copy(unaligned, 3);
    expect([...decodeChunks([unaligned.subarray(3)]).values]).toEqual([0.25]);
  });

  it("finds the position after a cursor by binary search", () => {
    const columns = decodeChunks([encodePoints([point(0, 1), point(1, 1), point(1, 2), point(2, 1)])]);
    expect(indexAfter(columns, 1, 1, 1)).toBe(2);
    expect(indexAfter(columns, -1, 0, 0)).toBe(0);
    expect(indexAfter(columns, 2, 1, 1)).toBe(4);
  });
});
