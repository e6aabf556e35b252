import { metricToWire } from "./metric-wire.js";
import type { LogBatchRequest } from "./wire-types.js";

/** What one log-batch request may hold (mlflow/utils/validation.py). */
export interface BatchLimits {
  readonly maxMetrics: number;
  readonly maxParams: number;
  readonly maxTags: number;
  /** Metrics, params and tags together. */
  readonly maxItems: number;
  /** Of the JSON request body, in bytes. */
  readonly maxBodyBytes: number;
}

export const MLFLOW_BATCH_LIMITS: BatchLimits = {
  maxMetrics: 1000,
  maxParams: 100,
  maxTags: 100,
  maxItems: 1000,
  maxBodyBytes: 1_000_000,
};

/** Items waiting to be sent, each given as the byte length of its JSON form, oldest first. */
export interface PendingSizes {
  readonly metrics: readonly number[];
  readonly params: readonly number[];
  readonly tags: readonly number[];
}

export interface BatchCounts {
  readonly metrics: number;
  readonly params: number;
  readonly tags: number;
}

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}

/** The body's bytes besides its items: `{"run_id":"…","metrics":[],"params":[],"tags":[]}`. */
export function batchOverheadBytes(runId: string): number {
  return jsonBytes({ run_id: runId, metrics: [], params: [], tags: [] });
}

/**
 * How many items to take from the front of each queue for the next log-batch request: as many as the
 * limits allow, params and tags first (there are few of them and later metrics rarely depend on them).
 * Queues are taken in order, never skipping an item, so that a later tag value still wins over an earlier
 * one. An item too large for any body on its own is sent alone, and the server's refusal names it.
 */
export function nextBatchCounts(
  runId: string,
  pending: PendingSizes,
  limits: BatchLimits = MLFLOW_BATCH_LIMITS,
  from: BatchCounts = { metrics: 0, params: 0, tags: 0 },
): BatchCounts {
  let bytes = batchOverheadBytes(runId);
  let items = 0;
  const take = (sizes: readonly number[], start: number, max: number): number => {
    let n = 0;
    // +1 for the comma between items.
    while (start + n < sizes.length && n < max && items < limits.maxItems && bytes + sizes[start + n] + 1 <= limits.maxBodyBytes) {
      bytes += sizes[start + n] + 1;
      items++;
      n++;
    }
    return n;
  };
  const params = take(pending.params, from.params, limits.maxParams);
  const tags = take(pending.tags, from.tags, limits.maxTags);
  const metrics = take(pending.metrics, from.metrics, limits.maxMetrics);
  if (params + tags + metrics > 0) return { metrics, params, tags };
  if (pending.params.length > from.params) return { metrics: 0, params: 1, tags: 0 };
  if (pending.tags.length > from.tags) return { metrics: 0, params: 0, tags: 1 };
  return { metrics: pending.metrics.length > from.metrics ? 1 : 0, params: 0, tags: 0 };
}

/**
 * Splits a log-batch request of any size into requests within MLflow's limits, keeping each kind's order.
 *
 * @example
 * for (const batch of splitBatch({ run_id, metrics })) await client.logBatch(batch);
 */
export function splitBatch(request: LogBatchRequest, limits: BatchLimits = MLFLOW_BATCH_LIMITS): LogBatchRequest[] {
  const metrics = request.metrics ?? [];
  const params = request.params ?? [];
  const tags = request.tags ?? [];
  const sizes = {
    metrics: metrics.map((m) => jsonBytes(metricToWire(m))),
    params: params.map(jsonBytes),
    tags: tags.map(jsonBytes),
  };
  const batches: LogBatchRequest[] = [];
  let at: BatchCounts = { metrics: 0, params: 0, tags: 0 };
  while (at.metrics < metrics.length || at.params < params.length || at.tags < tags.length) {
    const n = nextBatchCounts(request.run_id, sizes, limits, at);
    batches.push({
      run_id: request.run_id,
      metrics: metrics.slice(at.metrics, at.metrics + n.metrics),
      params: params.slice(at.params, at.params + n.params),
      tags: tags.slice(at.tags, at.tags + n.tags),
    });
    at = { metrics: at.metrics + n.metrics, params: at.params + n.params, tags: at.tags + n.tags };
  }
  return batches;
}
