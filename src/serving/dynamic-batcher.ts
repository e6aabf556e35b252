/**
 * Dynamic batching as Triton's dynamic batcher does it: requests that arrive close together run as one
 * model call, each caller gets back exactly its own rows, and a bad request fails only itself.
 */
import { KeelError, invalidParameter } from "../core/errors.js";
import { concatBatches, sliceOutputs } from "./row-batch.js";
import type { OutputBatch, RowBatch } from "./types.js";

export interface DynamicBatcherOptions {
  /** Rows that dispatch a batch at once; a request is never split, so a batch holds at most this many rows unless one request alone is larger. */
  readonly maxBatchSize: number;
  /** How long (milliseconds) the oldest queued request may wait for company; 0 dispatches as soon as a run slot is free. */
  readonly maxQueueDelayMs: number;
  /** Rows that may wait; a request that would queue more is refused with TEMPORARILY_UNAVAILABLE. */
  readonly maxQueueRows: number;
  /** Values per row of each model input and output, by name; a name missing here is taken as `length / rows`. */
  readonly rowSizes: Readonly<Record<string, number>>;
  /** Scores one batch; its OutputBatch has the batch's rows in order. */
  readonly run: (batch: RowBatch) => Promise<OutputBatch>;
  /** Called with the rows of every model call, for the batch-size metric. */
  readonly onBatch?: (rows: number) => void;
  /** Batches that may run at once (default 2): while they run, the next batch forms from new arrivals. */
  readonly maxInFlight?: number;
  /** A monotonic clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

interface Pending {
  readonly batch: RowBatch;
  readonly enqueuedAt: number;
  readonly resolve: (out: OutputBatch) => void;
  readonly reject: (error: unknown) => void;
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw invalidParameter(`${name} must be an integer of at least ${min}, not ${value}`);
}

/**
 * Queues requests and runs them in batches. A batch is dispatched when the queued rows reach `maxBatchSize`
 * or when the oldest queued request has waited `maxQueueDelayMs`, whichever comes first, and only while fewer
 * than `maxInFlight` batches are running. Requests are dispatched in arrival order.
 *
 * @example
 * const batcher = new DynamicBatcher({ maxBatchSize: 64, maxQueueDelayMs: 1, maxQueueRows: 4096, rowSizes: { x: 20 }, run });
 * const out = await batcher.submit({ rows: 1, inputs: { x: features } });
 */
export class DynamicBatcher {
  private readonly options: DynamicBatcherOptions;
  private readonly maxInFlight: number;
  private readonly now: () => number;
  private readonly queue: Pending[] = [];
  private queuedRows = 0;
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  private closing = false;
  private drained: (() => void) | undefined;
  private readonly closed: Promise<void>;

  constructor(options: DynamicBatcherOptions) {
    checkCount("maxBatchSize", options.maxBatchSize, 1);
    checkCount("maxQueueRows", options.maxQueueRows, 1);
    checkCount("maxInFlight", options.maxInFlight ?? 2, 1);
    if (!Number.isFinite(options.maxQueueDelayMs) || options.maxQueueDelayMs < 0) {
      throw invalidParameter(`maxQueueDelayMs must be a number of milliseconds of at least 0, not ${options.maxQueueDelayMs}`);
    }
    this.options = options;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.now = options.now ?? (() => performance.now());
    this.closed = new Promise((resolve) => {
      this.drained = resolve;
    });
  }

  /** Rows waiting to be dispatched (not those already running). */
  get queueDepth(): number {
    return this.queuedRows;
  }

  /**
   * Scores `batch` as part of a larger batch and resolves with the answers for its rows only, in order.
   * Rejects with TEMPORARILY_UNAVAILABLE when the queue is full or the batcher is closing, and with the
   * run's own error when this request's rows fail when run alone.
   */
  submit(batch: RowBatch): Promise<OutputBatch> {
    if (this.closing) {
      return Promise.reject(new KeelError("TEMPORARILY_UNAVAILABLE", "the model is shutting down and takes no new requests; retry on another replica"));
    }
    // A request larger than the whole queue is still taken when nothing waits, or it could never run.
    if (this.queuedRows > 0 && this.queuedRows + batch.rows > this.options.maxQueueRows) {
      return Promise.reject(
        new KeelError(
          "TEMPORARILY_UNAVAILABLE",
          `the batching queue is full (${this.queuedRows} rows waiting, limit ${this.options.maxQueueRows}); retry shortly or add replicas`,
        ),
      );
    }
    return new Promise<OutputBatch>((resolve, reject) => {
      this.queue.push({ batch, enqueuedAt: this.now(), resolve, reject });
      this.queuedRows += batch.rows;
      this.pump();
    });
  }

  /** Refuses new requests, dispatches what is queued without waiting for its delay, and resolves once all has finished. */
  close(): Promise<void> {
    this.closing = true;
    this.pump();
    this.settleIfDrained();
    return this.closed;
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const waited = this.now() - this.queue[0].enqueuedAt;
      const ready =
        this.closing ||
        this.queuedRows >= this.options.maxBatchSize ||
        waited >= this.options.maxQueueDelayMs;
      if (!ready) {
        this.armTimer(this.options.maxQueueDelayMs - waited);
        return;
      }
      void this.dispatch(this.take());
    }
    this.disarmTimer();
  }

  /** The oldest requests that fit in one batch without splitting any; at least one. */
  private take(): Pending[] {
    const taken = [this.queue[0]];
    let rows = this.queue[0].batch.rows;
    let count = 1;
    while (count < this.queue.length && rows + this.queue[count].batch.rows <= this.options.maxBatchSize) {
      rows += this.queue[count].batch.rows;
      taken.push(this.queue[count]);
      count += 1;
    }
    this.queue.splice(0, count);
    this.queuedRows -= rows;
    return taken;
  }

  private armTimer(delayMs: number): void {
    const due = this.now() + delayMs;
    if (this.timer !== undefined && this.timerDue <= due) return;
    this.disarmTimer();
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      this.pump();
    }, Math.max(0, delayMs));
  }

  private disarmTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }

  private async dispatch(items: readonly Pending[]): Promise<void> {
    this.inFlight += 1;
    try {
      if (items.length === 1) {
        await this.runAlone(items[0]);
        return;
      }
      let out: OutputBatch;
      try {
        out = await this.runRows(concatBatches(items.map((item) => item.batch), this.options.rowSizes));
        let start = 0;
        const shares = items.map((item) => {
          const share = sliceOutputs(out, this.options.rowSizes, start, item.batch.rows);
          start += item.batch.rows;
          return share;
        });
        items.forEach((item, i) => item.resolve(shares[i]));
      } catch {
        // Which request broke the batch is unknown: run each alone so only the bad one sees an error. Runs
        // go one after another, so the batch keeps to its one in-flight slot.
        for (const item of items) await this.runAlone(item);
      }
    } finally {
      this.inFlight -= 1;
      this.pump();
      this.settleIfDrained();
    }
  }

  private async runAlone(item: Pending): Promise<void> {
    try {
      item.resolve(await this.runRows(item.batch));
    } catch (error) {
      item.reject(error);
    }
  }

  private async runRows(batch: RowBatch): Promise<OutputBatch> {
    this.options.onBatch?.(batch.rows);
    const out = await this.options.run(batch);
    if (out.rows !== batch.rows) {
      throw new KeelError("INTERNAL_ERROR", `the model answered ${out.rows} rows for a batch of ${batch.rows}`);
    }
    return out;
  }

  private settleIfDrained(): void {
    if (this.closing && this.queue.length === 0 && this.inFlight === 0) this.drained?.();
  }
}
