import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { createTensor, decodeRows, fillNested, refuseRows, setValue } from "./decode-columns.js";
import type { FillState } from "./decode-columns.js";
import type { ElementType } from "./types.js";

const stored = (type: ElementType, value: unknown): unknown => {
  const data = createTensor(type, 1);
  const error = setValue(data, type, 0, value);
  return error ?? data[0];
};

describe("setValue", () => {
  it("stores numbers in float and integer tensors, null as NaN for floats only", () => {
    expect(stored("float32", 1.5)).toBe(1.5);
    expect(stored("float64", -0.1)).toBe(-0.1);
    expect(stored("float32", null)).toBeNaN();
    expect(stored("int32", -7)).toBe(-7);
    expect(stored("int64", 2 ** 53)).toBe(2n ** 53n);
    expect(stored("uint64", 2 ** 63)).toBe(2n ** 63n);
    expect(stored("int64", -(2 ** 63))).toBe(-(2n ** 63n));
    expect(stored("int8", 3.0)).toBe(3);
    expect(stored("int32", null)).toBe("null (a missing value) is accepted only for float inputs; this one takes an integer (int32)");
  });

  it("refuses non-integers and out-of-range values for integer types, saying the range", () => {
    expect(stored("int64", 0.5)).toBe("expected an integer (int64), got 0.5");
    expect(stored("uint8", 256)).toBe("256 is out of range for uint8 (0 to 255)");
    expect(stored("int8", -129)).toBe("-129 is out of range for int8 (-128 to 127)");
    expect(stored("uint32", -1)).toBe("-1 is out of range for uint32 (0 to 4294967295)");
    expect(stored("int64", 2 ** 63)).toBe("9223372036854776000 is out of range for int64 (-2^63 to 2^63-1)");
    expect(stored("uint64", 2 ** 64)).toBe("18446744073709552000 is out of range for uint64 (0 to 2^64-1)");
    expect(stored("int32", "3")).toBe(`expected an integer (int32), got "3"`);
  });

  it("takes booleans and 0/1 for bool, strings only for string", () => {
    expect(stored("bool", true)).toBe(1);
    expect(stored("bool", 0)).toBe(0);
    expect(stored("bool", 2)).toBe("expected true, false, 0 or 1, got 2");
    expect(stored("bool", "true")).toBe(`expected true, false, 0 or 1, got "true"`);
    expect(stored("string", "a")).toBe("a");
    expect(stored("string", 5)).toBe("expected a string, got 5");
    expect(stored("float32", true)).toBe("expected a number, got true");
    expect(stored("float32", { a: 1 })).toBe(`expected a number, got {"a":1}`);
    expect(stored("float32", "x".repeat(60))).toBe(`expected a number, got "${"x".repeat(36)}...`);
  });
});

describe("fillNested", () => {
  it("flattens nested lists row-major and counts values past the end without writing them", () => {
    const data = createTensor("float32", 4);
    const state: FillState = { pos: 0, end: 4, error: undefined };
    fillNested(data, "float32", [[1, 2], [3, [4, 5]]], state);
    expect(state).toEqual({ pos: 5, end: 4, error: undefined });
    expect(data).toEqual(Float32Array.from([1, 2, 3, 4]));
  });
});

describe("decodeRows", () => {
  it("fills a single input from flat or nested rows", () => {
    const inputs = [{ name: "x", type: "float64" as const, rowShape: [2, 2] }];
    expect(decodeRows([[1, 2, 3, 4], [[5, 6], [7, 8]]], inputs, "instances").x).toEqual(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    const scalar = [{ name: "x", type: "int32" as const, rowShape: [] }];
    expect(decodeRows([4, 5], scalar, "inputs").x).toEqual(Int32Array.from([4, 5]));
  });

  it("spreads a flat row over several inputs in declared order", () => {
    const inputs = [
      { name: "a", type: "float32" as const, rowShape: [1] },
      { name: "b", type: "int64" as const, rowShape: [2] },
      { name: "c", type: "bool" as const, rowShape: [] },
    ];
    const out = decodeRows([[0.5, 1, 2, true], [1.5, 3, 4, false]], inputs, "instances");
    expect(out.a).toEqual(Float32Array.from([0.5, 1.5]));
    expect(out.b).toEqual(BigInt64Array.from([1n, 2n, 3n, 4n]));
    expect(out.c).toEqual(Uint8Array.from([1, 0]));
    expect(refusal(() => decodeRows([[0.5, 1, 2]], inputs, "instances")).message).toBe(
      "instances[0] must be a flat list of 4 values, one per model input in this order: a, b, c; got 3 values.",
    );
    expect(refusal(() => decodeRows([[0.5, 1, 2.5, true]], inputs, "features", false)).message).toBe(
      "features, value 2 (input 'b', int64): expected an integer (int64), got 2.5.",
    );
  });
});

describe("refuseRows", () => {
  it("refuses no rows and more than the limit", () => {
    expect(refusal(() => refuseRows(0, 5)).message).toBe("The request has no rows to score; send at least one row.");
    expect(refusal(() => refuseRows(6, 5)).message).toContain("The request has 6 rows; this server scores at most 5 rows per request.");
    expect(() => refuseRows(5, 5)).not.toThrow();
  });
});
