import { describe, expect, it } from "vitest";
import { refusal } from "../../test/support/keel-errors.js";
import { parseJsonBody } from "./json-body.js";

describe("parseJsonBody", () => {
  it("parses strings and Buffers", () => {
    expect(parseJsonBody('{"a": [1]}', "BAD_REQUEST", "x")).toEqual({ a: [1] });
    expect(parseJsonBody(Buffer.from('{"é": 1}'), "BAD_REQUEST", "x")).toEqual({ é: 1 });
  });

  it("reads Python's NaN and infinities outside strings, leaving strings as sent", () => {
    const body = '{"v": [NaN, Infinity, -Infinity, 1], "s": "NaN \\" Infinity", "t": "x\\\\"}';
    expect(parseJsonBody(body, "BAD_REQUEST", "x")).toEqual({ v: [null, Infinity, -Infinity, 1], s: 'NaN " Infinity', t: "x\\" });
  });

  it("refuses malformed and empty bodies with the given code and what to send", () => {
    const error = refusal(() => parseJsonBody("{nope}", "MALFORMED_REQUEST", "a JSON object"));
    expect(error.code).toBe("MALFORMED_REQUEST");
    expect(error.message).toMatch(/^The request body is not valid JSON \(.+\)\. Send a JSON object\.$/);
    expect(refusal(() => parseJsonBody("[NaN", "BAD_REQUEST", "a list")).message).toMatch(/^The request body is not valid JSON/);
    expect(refusal(() => parseJsonBody(" ", "BAD_REQUEST", "a list")).message).toBe("The request body is empty. Send a list.");
  });
});
