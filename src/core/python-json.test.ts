import { describe, expect, it } from "vitest";
import { pythonFloat, pythonFloatRepr, pythonJsonDumps } from "./python-json.js";

// Expected texts are what CPython 3.11's json.dumps prints for the same values.
describe("pythonJsonDumps", () => {
  it("writes floats in repr form and ints as ints", () => {
    const floats = [1, 0.5, 1e-5, 1e16, 1.5e16, 123456789.125, 1e15, -0, 0.0001, 1e-7, 2.5e-300, NaN, Infinity, -Infinity];
    expect(pythonJsonDumps([...floats.map(pythonFloat), 1e21, 42, -3])).toBe(
      "[1.0, 0.5, 1e-05, 1e+16, 1.5e+16, 123456789.125, 1000000000000000.0, -0.0, 0.0001, 1e-07, 2.5e-300, " +
        "NaN, Infinity, -Infinity, 1000000000000000000000, 42, -3]",
    );
    expect(pythonJsonDumps([0.1, 2.5, -0])).toBe("[0.1, 2.5, -0.0]");
  });

  it("uses json.dumps separators and ensure_ascii escapes", () => {
    expect(pythonJsonDumps({ name: "café 😀", q: 'a"b\\\\c\n\t\u0001\u007f' })).toBe(
      '{"name": "caf\\u00e9 \\ud83d\\ude00", "q": "a\\"b\\\\\\\\c\\n\\t\\u0001\\u007f"}',
    );
    expect(pythonJsonDumps({ a: [1, { b: null, skipped: undefined }], c: true })).toBe('{"a": [1, {"b": null}], "c": true}');
  });

  it("writes bytes as base64 and refuses cycles", () => {
    expect(pythonJsonDumps(new Uint8Array([104, 105]))).toBe('"aGk="');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => pythonJsonDumps(cyclic)).toThrow(/contains itself/);
  });

  it("formats repr exactly at the fixed/scientific boundaries", () => {
    expect(pythonFloatRepr(9999999999999998)).toBe("9999999999999998.0");
    expect(pythonFloatRepr(0.00012)).toBe("0.00012");
    expect(pythonFloatRepr(0.000012)).toBe("1.2e-05");
    expect(pythonFloatRepr(-1234.5)).toBe("-1234.5");
  });
});
