import { describe, expect, it } from "vitest";
import { KeelError } from "../core/errors.js";
import type { FetchFunction } from "./http-transport.js";
import { createHttpTransport, encodeQuery } from "./http-transport.js";

function answering(status: number, body: string, seen: string[] = []): FetchFunction {
  return (async (url: string | URL | Request) => {
    seen.push(String(url));
    return new Response(body, { status });
  }) as FetchFunction;
}

async function caught(promise: Promise<unknown>): Promise<KeelError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeelError) return error;
    throw error;
  }
  throw new Error("expected a KeelError");
}

describe("createHttpTransport", () => {
  it("raises the server's error code and message", async () => {
    const http = createHttpTransport({ trackingUri: "http://t", fetch: answering(404, '{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no run x"}') });
    const error = await caught(http.getJson("/api/2.0/mlflow/runs/get", { run_id: "x" }));
    expect([error.code, error.message]).toEqual(["RESOURCE_DOES_NOT_EXIST", "no run x"]);
  });

  it("turns an unknown error code into INTERNAL_ERROR and keeps the message", async () => {
    const http = createHttpTransport({ trackingUri: "http://t", fetch: answering(500, '{"error_code":"SOMETHING_NEW","message":"boom"}') });
    const error = await caught(http.postJson("/x", {}));
    expect([error.code, error.message]).toEqual(["INTERNAL_ERROR", "boom"]);
  });

  it("describes a non-JSON error answer by its status", async () => {
    const http = createHttpTransport({ trackingUri: "http://t", fetch: answering(403, "<html>Forbidden</html>") });
    const error = await caught(http.getJson("/y"));
    expect(error.code).toBe("PERMISSION_DENIED");
    expect(error.message).toMatch(/HTTP 403/);
  });

  it("says the server is unreachable and how to start one when the connection is refused", async () => {
    const refused = (async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) });
    }) as FetchFunction;
    const http = createHttpTransport({ trackingUri: "http://127.0.0.1:1", fetch: refused });
    const error = await caught(http.getJson("/health"));
    expect(error.message).toMatch(/tracking server at http:\/\/127\.0\.0\.1:1 is unreachable \(ECONNREFUSED\)/);
    expect(error.message).toMatch(/keel server/);
  });

  it("repeats array keys in query strings", async () => {
    const seen: string[] = [];
    const http = createHttpTransport({ trackingUri: "http://t/", fetch: answering(200, "{}", seen) });
    await http.getJson("/p", { a: ["1", "2"], b: 3, c: undefined });
    expect(seen).toEqual(["http://t/p?a=1&a=2&b=3"]);
    expect(encodeQuery({})).toBe("");
  });
});
