/**
 * Where the serving path hands its predictions: a sink that takes the request's tensors as they are and does
 * the rest (one log line per row, buffering, writing) off the event loop, on a worker thread, so that the
 * prediction log costs the request path a few copies instead of its text formatting. Without a worker it
 * formats and writes on this thread.
 */
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../core/module-worker.js";
import type { PredictionLog } from "./prediction-log.js";
import type { LoggedModel, ScoredRequest } from "./prediction-records.js";
import { predictionRecords } from "./prediction-records.js";
import type { OutputBatch, RowBatch, TensorData, TensorInfo } from "./types.js";

export interface PredictionSink {
  /** Logs the rows of one answered request; never throws, never waits. */
  log(request: ScoredRequest, model: LoggedModel, batch: RowBatch, out: OutputBatch): void;
  /** Logs what is pending and writes everything out. */
  close(): Promise<void>;
}

/**
 * The requests of one model posted together: their tensors concatenated (one array per input and output,
 * rows in request order), so that a post clones a few arrays rather than a few per request.
 */
export interface SinkGroup {
  readonly schema: number;
  readonly requests: readonly ScoredRequest[];
  /** Rows of each request. */
  readonly rows: readonly number[];
  readonly inputs: readonly TensorData[];
  readonly outputs: readonly TensorData[];
  /** Values each request holds in each input and output (rows × its width, which an open dimension varies). */
  readonly inputLengths: readonly Int32Array[];
  readonly outputLengths: readonly Int32Array[];
}

export type SinkMessage =
  | { readonly kind: "groups"; readonly schemas: readonly (readonly [number, LoggedModel])[]; readonly groups: readonly SinkGroup[] }
  | { readonly kind: "close" };

export type SinkReply = { readonly kind: "dropped"; readonly count: number } | { readonly kind: "error"; readonly message: string } | { readonly kind: "closed" };

export interface WorkerSinkOptions {
  /** Where and how the worker's prediction log writes (createPredictionLog's options, minus the store). */
  readonly destination: string;
  readonly flushRows: number;
  readonly flushIntervalMs: number;
  readonly maxBufferedRows: number;
  readonly onDropped: (count: number) => void;
  readonly onError: (error: unknown) => void;
}

/** Entries that start a post without waiting for the timer, and the timer's period. */
const POST_ENTRIES = 256;
const POST_INTERVAL_MS = 5;

/** On this thread: format and append to `log` right away. */
export function inlinePredictionSink(log: PredictionLog): PredictionSink {
  return {
    log(request, model, batch, out) {
      for (const record of predictionRecords(request, model, batch, out)) log.append(record);
    },
    close: () => log.close(),
  };
}

/** The chunks of one tensor, end to end, in one new array of their type. */
function concat(chunks: readonly TensorData[]): TensorData {
  if (chunks.length === 0) return [];
  const first = chunks[0];
  if (Array.isArray(first)) return ([] as string[]).concat(...(chunks as string[][]));
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new (first.constructor as new (n: number) => Exclude<TensorData, string[]>)(length);
  let at = 0;
  for (const c of chunks) {
    (out as Float64Array).set(c as Float64Array, at);
    at += c.length;
  }
  return out;
}

interface PendingGroup {
  readonly schema: number;
  readonly requests: ScoredRequest[];
  readonly rows: number[];
  readonly inputs: TensorData[][];
  readonly outputs: TensorData[][];
}

/** Starts the worker-thread sink, or resolves null if the worker cannot start. */
export async function startWorkerPredictionSink(options: WorkerSinkOptions): Promise<PredictionSink | null> {
  let worker: Worker;
  try {
    worker = startModuleWorker("prediction-log-worker", import.meta.url, {
      destination: options.destination,
      flushRows: options.flushRows,
      flushIntervalMs: options.flushIntervalMs,
      maxBufferedRows: options.maxBufferedRows,
    });
  } catch {
    return null;
  }
  const ready = await new Promise<boolean>((resolve) => {
    worker.once("online", () => resolve(true));
    worker.once("error", () => resolve(false));
  });
  if (!ready) return null;
  let closedResolve: (() => void) | undefined;
  const closed = new Promise<void>((resolve) => (closedResolve = resolve));
  worker.on("message", (reply: SinkReply) => {
    if (reply.kind === "dropped") options.onDropped(reply.count);
    else if (reply.kind === "error") options.onError(new Error(reply.message));
    else closedResolve?.();
  });
  worker.on("error", (error) => {
    options.onError(error);
    closedResolve?.();
  });
  worker.on("exit", () => closedResolve?.());

  const schemaIds = new WeakMap<LoggedModel, number>();
  let nextSchema = 0;
  let newSchemas: (readonly [number, LoggedModel])[] = [];
  let pending = new Map<LoggedModel, PendingGroup>();
  let pendingRequests = 0;
  let pendingRows = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const post = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pendingRequests === 0) return;
    const groups: SinkGroup[] = [...pending.values()].map((g) => ({
      schema: g.schema,
      requests: g.requests,
      rows: g.rows,
      inputs: g.inputs.map(concat),
      outputs: g.outputs.map(concat),
      inputLengths: g.inputs.map((chunks) => Int32Array.from(chunks, (c) => c.length)),
      outputLengths: g.outputs.map((chunks) => Int32Array.from(chunks, (c) => c.length)),
    }));
    const message: SinkMessage = { kind: "groups", schemas: newSchemas, groups };
    newSchemas = [];
    pending = new Map();
    pendingRequests = 0;
    pendingRows = 0;
    worker.postMessage(message);
  };
  return {
    log(request, model, batch, out) {
      if (stopped || pendingRows + batch.rows > options.maxBufferedRows) {
        options.onDropped(batch.rows);
        return;
      }
      let group = pending.get(model);
      if (group === undefined) {
        let schema = schemaIds.get(model);
        if (schema === undefined) {
          schema = nextSchema++;
          schemaIds.set(model, schema);
          newSchemas.push([schema, { version: model.version, inputs: model.inputs, outputs: model.outputs, ...(model.columnNames ? { columnNames: model.columnNames } : {}) }]);
        }
        group = { schema, requests: [], rows: [], inputs: model.inputs.map(() => []), outputs: model.outputs.map(() => []) };
        pending.set(model, group);
      }
      group.requests.push(request);
      group.rows.push(batch.rows);
      // The arrays are kept as they are (outputs are views into the batch's): concat copies them at the post.
      model.inputs.forEach((t, k) => group.inputs[k].push(batch.inputs[t.name] ?? []));
      model.outputs.forEach((t, k) => group.outputs[k].push(out.outputs[t.name] ?? []));
      pendingRequests += 1;
      pendingRows += batch.rows;
      if (pendingRequests >= POST_ENTRIES) post();
      else if (timer === undefined) {
        timer = setTimeout(post, POST_INTERVAL_MS);
        timer.unref();
      }
    },
    async close() {
      stopped = true;
      post();
      worker.postMessage({ kind: "close" } satisfies SinkMessage);
      await closed;
      await worker.terminate();
    },
  };
}
