import { describe, expect, it } from "vitest";
import { MLFLOW_BATCH_LIMITS, jsonBytes, nextBatchCounts, splitBatch } from "./split-batch.js";
import type { Metric } from "./wire-types.js";

const RUN = "0123456789abcdef0123456789abcdef";

function metrics(n: number, key = "loss"): Metric[] {
  return Array.from({ length: n }, (_, i) => ({ key, value: i / 7, timestamp: 1_700_000_000_000 + i, step: i }));
}

describe("splitBatch", () => {
  it("keeps each request within 1000 metrics and keeps their order", () => {
    const all = metrics(2500);
    const batches = splitBatch({ run_id: RUN, metrics: all });
    expect(batches.map((b) => b.metrics?.length)).toEqual([1000, 1000, 500]);
    expect(batches.flatMap((b) => b.metrics)).toEqual(all);
  });

  it("keeps params at 100 and tags at 100 per request, and 1000 items in all", () => {
    const params = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: "v" }));
    const tags = Array.from({ length: 150 }, (_, i) => ({ key: `t${i}`, value: "v" }));
    const batches = splitBatch({ run_id: RUN, metrics: metrics(1900), params, tags });
    for (const b of batches) {
      expect(b.params?.length ?? 0).toBeLessThanOrEqual(100);
      expect(b.tags?.length ?? 0).toBeLessThanOrEqual(100);
      expect(b.metrics?.length ?? 0).toBeLessThanOrEqual(1000);
      expect((b.params?.length ?? 0) + (b.tags?.length ?? 0) + (b.metrics?.length ?? 0)).toBeLessThanOrEqual(1000);
    }
    expect(batches.flatMap((b) => b.params)).toEqual(params);
    expect(batches.flatMap((b) => b.tags)).toEqual(tags);
    expect(batches.flatMap((b) => b.metrics)).toHaveLength(1900);
  });

  it("keeps each JSON body under 1 MB when values are large", () => {
    const big = "x".repeat(7000);
    const tags = Array.from({ length: 300 }, (_, i) => ({ key: `t${i}`, value: big }));
    const params = Array.from({ length: 300 }, (_, i) => ({ key: `p${i}`, value: big.slice(0, 6000) }));
    const batches = splitBatch({ run_id: RUN, params, tags });
    for (const b of batches) expect(jsonBytes({ run_id: b.run_id, metrics: b.metrics, params: b.params, tags: b.tags })).toBeLessThanOrEqual(1_000_000);
    expect(batches.flatMap((b) => b.tags)).toEqual(tags);
    expect(batches.flatMap((b) => b.params)).toEqual(params);
  });

  it("counts multi-byte characters as the bytes they take", () => {
    const limits = { ...MLFLOW_BATCH_LIMITS, maxBodyBytes: 2000 };
    const tags = Array.from({ length: 20 }, (_, i) => ({ key: `t${i}`, value: "é".repeat(100) }));
    const batches = splitBatch({ run_id: RUN, tags }, limits);
    for (const b of batches) expect(jsonBytes({ run_id: RUN, metrics: b.metrics, params: b.params, tags: b.tags })).toBeLessThanOrEqual(2000);
    expect(batches.length).toBeGreaterThan(2);
  });

  it("sends an item larger than any body alone rather than stalling", () => {
    const counts = nextBatchCounts(RUN, { metrics: [], params: [], tags: [2_000_000, 10] });
    expect(counts).toEqual({ metrics: 0, params: 0, tags: 1 });
  });

  it("writes NaN and infinities as protobuf JSON strings when sizing", () => {
    const batches = splitBatch({ run_id: RUN, metrics: [{ key: "m", value: NaN, timestamp: 1, step: 0 }] });
    expect(batches[0].metrics?.[0].value).toBeNaN();
  });

  it("returns no request for an empty batch", () => {
    expect(splitBatch({ run_id: RUN })).toEqual([]);
  });
});
