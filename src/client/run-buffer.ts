import { invalidParameter } from "../core/errors.js";
import { metricToWire } from "./metric-wire.js";
import type { BatchCounts, BatchLimits } from "./split-batch.js";
import { MLFLOW_BATCH_LIMITS, jsonBytes, nextBatchCounts } from "./split-batch.js";
import type { LogBatchRequest, Metric, Param, RunTag } from "./wire-types.js";

/** Sends one log-batch request; the buffer never gives it more than MLflow's limits allow. */
export type SendBatch = (batch: LogBatchRequest) => Promise<void>;

export interface RunBufferOptions {
  readonly runId: string;
  readonly send: SendBatch;
  /** Period of the background flush; 0 turns the timer off. Default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** A background flush starts once this many items wait. Default 1000, one full batch. */
  readonly flushAtItems?: number;
  readonly limits?: BatchLimits;
}

/** Items logged but not yet acknowledged by the server, oldest first. */
export interface PendingItems {
  readonly metrics: readonly Metric[];
  readonly params: readonly Param[];
  readonly tags: readonly RunTag[];
}

/** A FIFO of items with their JSON sizes; sent items leave from the head without copying the rest. */
class SizedQueue<T> {
  items: T[] = [];
  sizes: number[] = [];
  head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T, size: number): void {
    this.items.push(item);
    this.sizes.push(size);
  }

  peek(n: number): T[] {
    return this.items.slice(this.head, this.head + n);
  }

  drop(n: number): void {
    this.head += n;
    if (this.head === this.items.length) {
      this.items = [];
      this.sizes = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  values(): T[] {
    return this.items.slice(this.head);
  }
}

/**
 * Buffers a run's metrics, params and tags and sends them through log-batch in requests within MLflow's
 * limits: when `flushAtItems` items wait, every `flushIntervalMs`, and on `flush()`. Items leave the
 * buffer only once the server has acknowledged them, so a failed request loses nothing: its items stay,
 * in order, for the next flush. A background flush that fails is remembered and thrown by the next
 * `flush()` (background flushing pauses until then, so a request the server refuses is not repeated
 * every second); the call after that retries. Flushes never overlap, so items reach the server in order.
 *
 * @example
 * const buffer = new RunBuffer({ runId, send: (batch) => client.logBatch(batch) });
 * buffer.addMetric({ key: "loss", value: 0.3, timestamp: Date.now(), step: 1 });
 * await buffer.flush();
 * buffer.close();
 */
export class RunBuffer {
  readonly runId: string;
  private readonly send: SendBatch;
  private readonly limits: BatchLimits;
  private readonly flushAtItems: number;
  private readonly metrics = new SizedQueue<Metric>();
  private readonly params = new SizedQueue<Param>();
  private readonly tags = new SizedQueue<RunTag>();
  /** Values of params waiting to be sent, to refuse a second, different value before the server must. */
  private readonly pendingParams = new Map<string, string>();
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private backgroundQueued = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: RunBufferOptions) {
    this.runId = options.runId;
    this.send = options.send;
    this.limits = options.limits ?? MLFLOW_BATCH_LIMITS;
    this.flushAtItems = Math.max(1, options.flushAtItems ?? this.limits.maxItems);
    const interval = options.flushIntervalMs ?? 1000;
    if (interval > 0) {
      this.timer = setInterval(() => {
        if (this.size > 0) this.flushInBackground();
      }, interval);
      // A forgotten run must not keep the process alive; end() or flush() sends what is left.
      this.timer.unref();
    }
  }

  /** Items waiting to be sent. */
  get size(): number {
    return this.metrics.length + this.params.length + this.tags.length;
  }

  addMetric(metric: Metric): void {
    this.metrics.push(metric, jsonBytes(metricToWire(metric)));
    this.afterAdd();
  }

  /**
   * Queues a param. The same key and value again is dropped (MLflow treats it as a no-op, but refuses a
   * batch that names a key twice); another value for a waiting key throws INVALID_PARAMETER_VALUE.
   */
  addParam(param: Param): void {
    const waiting = this.pendingParams.get(param.key);
    if (waiting === param.value) return;
    if (waiting !== undefined) {
      throw invalidParameter(`param '${param.key}' was already logged with value '${waiting}'; a param's value cannot change (new value '${param.value}')`);
    }
    this.pendingParams.set(param.key, param.value);
    this.params.push(param, jsonBytes(param));
    this.afterAdd();
  }

  addTag(tag: RunTag): void {
    this.tags.push(tag, jsonBytes(tag));
    this.afterAdd();
  }

  /** A copy of the items not yet acknowledged by the server. */
  pending(): PendingItems {
    return { metrics: this.metrics.values(), params: this.params.values(), tags: this.tags.values() };
  }

  /**
   * Sends everything buffered so far and resolves once the server has acknowledged it. Throws the error of
   * a failed background flush if there was one (the items stay buffered), or the error of its own request.
   */
  flush(): Promise<void> {
    const result = this.chain.then(() => {
      if (this.failure) {
        const { error } = this.failure;
        this.failure = undefined;
        throw error;
      }
      return this.drain();
    });
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Stops the timer; buffered items stay and can still be flushed. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private afterAdd(): void {
    if (this.size >= this.flushAtItems) this.flushInBackground();
  }

  private flushInBackground(): void {
    if (this.failure || this.backgroundQueued) return;
    this.backgroundQueued = true;
    const result = this.chain.then(() => {
      this.backgroundQueued = false;
      return this.failure ? undefined : this.drain();
    });
    this.chain = result.catch((error: unknown) => {
      this.failure ??= { error };
    });
  }

  private async drain(): Promise<void> {
    while (this.size > 0) {
      const from: BatchCounts = { metrics: this.metrics.head, params: this.params.head, tags: this.tags.head };
      const sizes = { metrics: this.metrics.sizes, params: this.params.sizes, tags: this.tags.sizes };
      const n = nextBatchCounts(this.runId, sizes, this.limits, from);
      await this.send({
        run_id: this.runId,
        metrics: this.metrics.peek(n.metrics),
        params: this.params.peek(n.params),
        tags: this.tags.peek(n.tags),
      });
      for (const param of this.params.peek(n.params)) this.pendingParams.delete(param.key);
      this.metrics.drop(n.metrics);
      this.params.drop(n.params);
      this.tags.drop(n.tags);
    }
  }
}
