import { describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import type { CursorKind } from "../../../src/store/page-token.js";
import { decodePageToken, encodePageToken, orderSignature, pageSize } from "../../../src/store/page-token.js";

const LIMITS = { defaultSize: 1000, maxSize: 50_000 };
const SIGNATURE = orderSignature(["runs", "metric:acc:desc"]);
const KINDS: readonly CursorKind[] = ["number", "number", "number", "string"];

function refusal(decode: () => unknown): string {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe("INVALID_PARAMETER_VALUE");
    return (error as KeelError).message;
  }
  throw new Error("expected the token to be refused");
}

const b64 = (text: string) => Buffer.from(text).toString("base64url");

describe("page tokens", () => {
  it("round-trip the last row's sort keys exactly, including awkward doubles and strings", () => {
    const values = [0, 0.1 + 0.2, 1_700_000_000_123, "run 'é' \"x\""];
    const token = encodePageToken(SIGNATURE, values);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, SIGNATURE, KINDS)).toEqual(values);
  });

  it("differ by ordering", () => {
    expect(orderSignature(["runs", "metric:acc:desc"])).not.toBe(orderSignature(["runs", "metric:acc:asc"]));
    const token = encodePageToken(orderSignature(["runs"]), [1, "a"]);
    expect(refusal(() => decodePageToken(token, SIGNATURE, KINDS))).toMatch(/different order_by/);
  });

  it.each([
    ["not base64", "!!!"],
    ["empty JSON", b64("")],
    ["not JSON", b64("offset=3")],
    ["MLflow's offset token", Buffer.from('{"offset": 100}').toString("base64")],
    ["a JSON array", b64("[1,2,3]")],
    ["a future version", b64(JSON.stringify({ v: 2, s: SIGNATURE, k: [0, 0, 0, "a"] }))],
    ["too few keys", b64(JSON.stringify({ v: 1, s: SIGNATURE, k: [0, 0, "a"] }))],
    ["a string for a number", b64(JSON.stringify({ v: 1, s: SIGNATURE, k: ["0", 0, 0, "a"] }))],
    ["a number for a string", b64(JSON.stringify({ v: 1, s: SIGNATURE, k: [0, 0, 0, 5] }))],
    ["null for a number", b64(JSON.stringify({ v: 1, s: SIGNATURE, k: [null, 0, 0, "a"] }))],
    ["an overflowing number", b64(`{"v":1,"s":"${SIGNATURE}","k":[1e999,0,0,"a"]}`)],
    ["an enormous token", "A".repeat(300_000)],
  ])("refuses %s", (_what, token) => {
    expect(refusal(() => decodePageToken(token, SIGNATURE, KINDS))).toMatch(/^Invalid page_token: .*omit it to start over$/);
  });
});

describe("pageSize", () => {
  it("defaults to 1000 and allows 1 to 50,000", () => {
    expect(pageSize(undefined, LIMITS)).toBe(1000);
    expect(pageSize(1, LIMITS)).toBe(1);
    expect(pageSize(50_000, LIMITS)).toBe(50_000);
  });

  it.each([0, -5, 2.5, Number.NaN, Infinity, 50_001])("refuses %s", (n) => {
    expect(() => pageSize(n, LIMITS)).toThrow(/Invalid value for request parameter max_results/);
  });
});
