import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KeelError } from "../core/errors.js";
import { RunBuffer } from "./run-buffer.js";
import type { LogBatchRequest } from "./wire-types.js";

const RUN = "0123456789abcdef0123456789abcdef";

/** A fake log-batch endpoint that records requests and can be told to fail. */
function fakeTransport() {
  const batches: LogBatchRequest[] = [];
  let failures: Error[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    batches,
    failNext(...errors: Error[]) {
      failures = errors;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    send: async (batch: LogBatchRequest) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      const failure = failures.shift();
      if (failure) throw failure;
      batches.push(batch);
    },
  };
}

function metric(i: number) {
  return { key: "loss", value: 1 / (i + 1), timestamp: 1_700_000_000_000 + i, step: i };
}

describe("RunBuffer", () => {
  let buffer: RunBuffer | undefined;
  afterEach(() => buffer?.close());

  it("sends params, metrics and tags together in one log-batch on flush", async () => {
    const t = fakeTransport();
    buffer = new RunBuffer({ runId: RUN, send: t.send, flushIntervalMs: 0 });
    buffer.addParam({ key: "lr", value: "0.1" });
    buffer.addMetric(metric(0));
    buffer.addTag({ key: "team", value: "growth" });
    await buffer.flush();
    expect(t.batches).toEqual([{ run_id: RUN, params: [{ key: "lr", value: "0.1" }], metrics: [metric(0)], tags: [{ key: "team", value: "growth" }] }]);
    expect(buffer.size).toBe(0);
  });

  it("splits more than 1000 metrics into requests within the limits, in order, without overlapping requests", async () => {
    const t = fakeTransport();
    buffer = new RunBuffer({ runId: RUN, send: t.send, flushIntervalMs: 0 });
    for (let i = 0; i < 2345; i++) buffer.addMetric(metric(i));
    await buffer.flush();
    expect(t.batches.every((b) => (b.metrics?.length ?? 0) <= 1000)).toBe(true);
    expect(t.batches.flatMap((b) => b.metrics).map((m) => m?.step)).toEqual(Array.from({ length: 2345 }, (_, i) => i));
    expect(t.maxInFlight).toBe(1);
  });

  it("starts sending by itself once a full batch is waiting", async () => {
    const t = fakeTransport();
    buffer = new RunBuffer({ runId: RUN, send: t.send, flushIntervalMs: 0, flushAtItems: 10 });
    for (let i = 0; i < 10; i++) buffer.addMetric(metric(i));
    await vi.waitFor(() => expect(t.batches).toHaveLength(1));
    expect(buffer.size).toBe(0);
  });

  it("keeps the items of a failed flush and sends them, in order, on the next one", async () => {
    const t = fakeTransport();
    buffer = new RunBuffer({ runId: RUN, send: t.send, flushIntervalMs: 0 });
    buffer.addMetric(metric(0));
    buffer.addParam({ key: "lr", value: "0.1" });
    t.failNext(new KeelError("TEMPORARILY_UNAVAILABLE", "server down"));
    await expect(buffer.flush()).rejects.toThrowError("server down");
    expect(buffer.pending()).toEqual({ metrics: [metric(0)], params: [{ key: "lr", value: "0.1" }], tags: [] });
    buffer.addMetric(metric(1));
    await buffer.flush();
    expect(t.batches.flatMap((b) => b.metrics)).toEqual([metric(0), metric(1)]);
    expect(buffer.size).toBe(0);
  });

  it("drops a repeated param with the same value and refuses one with another value", async () => {
    const t = fakeTransport();
    buffer = new RunBuffer({ runId: RUN, send: t.send, flushIntervalMs: 0 });
    buffer.addParam({ key: "lr", value: "0.1" });
    buffer.addParam({ key: "lr", value: "0.1" });
    expect(() => buffer?.addParam({ key: "lr", value: "0.2" })).toThrowError(/already logged with value '0.1'/);
    await buffer.flush();
    expect(t.batches[0].params).toEqual([{ key: "lr", value: "0.1" }]);
  });

  describe("timer", () => {
    beforeEach(() => vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] }));
    afterEach(() => vi.useRealTimers());

    it("flushes buffered items every interval", async () => {
      const t = fakeTransport();
      buffer = new RunBuffer({ runId: RUN, send: t.send, flushIntervalMs: 1000 });
      buffer.addMetric(metric(0));
      expect(t.batches).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(t.batches).toHaveLength(1));
    });

    it("keeps a failed timer flush's error and raises it from the next flush, then retries", async () => {
      const t = fakeTransport();
      buffer = new RunBuffer({ runId: RUN, send: t.send, flushIntervalMs: 1000 });
      buffer.addMetric(metric(0));
      t.failNext(new KeelError("INVALID_PARAMETER_VALUE", "refused"));
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(buffer?.size).toBe(1));
      // Paused until the error is seen: no request every second against a server that refuses it.
      await vi.advanceTimersByTimeAsync(5000);
      expect(t.batches).toHaveLength(0);
      await expect(buffer.flush()).rejects.toThrowError("refused");
      expect(buffer.pending().metrics).toEqual([metric(0)]);
      await buffer.flush();
      expect(t.batches.flatMap((b) => b.metrics)).toEqual([metric(0)]);
    });

    it("stops flushing by itself once closed, without dropping items", async () => {
      const t = fakeTransport();
      buffer = new RunBuffer({ runId: RUN, send: t.send, flushIntervalMs: 1000 });
      buffer.addMetric(metric(0));
      buffer.close();
      await vi.advanceTimersByTimeAsync(3000);
      expect(t.batches).toHaveLength(0);
      expect(buffer.size).toBe(1);
    });
  });
});
