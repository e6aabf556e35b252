/**
 * The prediction log: every answer the server gives, appended in batches to NDJSON files in the artifact
 * store, partitioned Hive-style by model and hour so that monitoring reads them with DuckDB:
 * `read_json_auto('<root>/predictions/**\/*.ndjson', hive_partitioning=true)`.
 *
 * Logging sits beside the prediction path, never on it: `append` only buffers, writes happen on a timer or
 * when enough rows wait, and no failure of the store ever reaches a caller.
 */
import { randomBytes } from "node:crypto";
import type { ArtifactStore } from "../artifacts/artifact-store.js";
import { safeArtifactPath } from "../artifacts/safe-path.js";
import { KeelError } from "../core/errors.js";

/** One answered prediction (one row of a request). */
export interface PredictionRecord {
  readonly requestId: string;
  /** When the prediction was made, UTC milliseconds; it picks the file's date and hour partition. */
  readonly timestamp: number;
  readonly model: string;
  readonly version: string;
  /** The protocol that asked: `mlflow`, `v2`, `plain`, ... */
  readonly protocol: string;
  /** Input values by column name. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Output values by output name. */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly latencyMs: number;
  /** True for a shadow version's answer, which was logged but not returned. */
  readonly shadow?: boolean;
}

/**
 * A prediction already written as its NDJSON line (the same keys as a PredictionRecord's), as the serving
 * path makes them: building the text straight from the model's tensors costs far less per row than an
 * object per row through JSON.stringify.
 */
export interface EncodedPrediction {
  readonly requestId: string;
  readonly timestamp: number;
  readonly model: string;
  /** One JSON object, no newline. */
  readonly line: string;
}

export type LoggedPrediction = PredictionRecord | EncodedPrediction;

export interface PredictionLogOptions {
  readonly store: ArtifactStore;
  /** Directory of the log inside the store (default `predictions`). */
  readonly prefix?: string;
  /** Buffered rows that start a flush without waiting for the timer (default 1000). */
  readonly flushRows?: number;
  /** Milliseconds between timed flushes (default 1000). */
  readonly flushIntervalMs?: number;
  /** Rows held in memory at most, counting rows being written; beyond it records are dropped (default 100,000). */
  readonly maxBufferedRows?: number;
  /** The clock for part-file names, UTC milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Told how many records were dropped (buffer full, closed log, or a record that cannot be written). */
  readonly onDropped?: (count: number) => void;
  /** Told of every failed write; the rows are kept and retried at the next flush. */
  readonly onError?: (error: unknown) => void;
  /** Told how many rows each successful write stored. */
  readonly onFlushed?: (rows: number) => void;
}

export interface PredictionLog {
  /** Buffers one record; never throws, never waits. After `close` the record is dropped and counted. */
  append(record: LoggedPrediction): void;
  /** Writes what is buffered; resolves when done, never rejects (failures go to `onError`). Flushes never overlap. */
  flush(): Promise<void>;
  /** Stops the timer, refuses further records and flushes what is buffered. */
  close(): Promise<void>;
  /** Rows in memory: waiting, or being written. */
  readonly bufferedRows: number;
}

/** Letters, digits, `.`, `_` and `-`: used as written in `model=<name>`; any other name is percent-encoded. */
const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

/** The `model=<name>` directory of a model's predictions (monitoring reads it back by the same rule). */
export function partitionSegment(model: string): string {
  const plain = `model=${SAFE_NAME.test(model) ? model : encodeURIComponent(model)}`;
  try {
    if (safeArtifactPath(plain) === plain) return plain;
  } catch {
    // Falls through: a name that decodes to a path trick ('%2e%2e%2f') or a control character.
  }
  // Not reversible by DuckDB, but every such model still gets its own directory and the `model` field holds the name.
  return `model=_${Buffer.from(model, "utf8").toString("base64url")}`;
}

function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  // Typed arrays would otherwise serialize as {"0": .., "1": ..}.
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) return Array.from(value, Number);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

let lastTimestamp = Number.NaN;
let lastIso = "";

/** ISO 8601 of a UTC millisecond time; consecutive records mostly share one, so the last is kept. */
function isoOf(timestamp: number): string {
  if (timestamp !== lastTimestamp) {
    lastIso = new Date(timestamp).toISOString();
    lastTimestamp = timestamp;
  }
  return lastIso;
}

/** Whether JSON.stringify writes `value` as it should without a replacer: no BigInt, no typed array. */
function plainJson(value: Readonly<Record<string, unknown>>): boolean {
  for (const key in value) {
    const v = value[key];
    if (typeof v === "bigint" || ArrayBuffer.isView(v)) return false;
    if (Array.isArray(v)) {
      for (const item of v) if (typeof item === "bigint" || (typeof item === "object" && item !== null)) return false;
    } else if (typeof v === "object" && v !== null) {
      return false;
    }
  }
  return true;
}

/**
 * The record as one NDJSON line with snake_case keys, and the hour directory it belongs to. Serving's
 * records hold only numbers, strings and flat lists, which skip the (much slower) replacer.
 */
function encodeRecord(record: PredictionRecord): { readonly hour: string; readonly line: string } {
  const iso = isoOf(record.timestamp);
  const plain = plainJson(record.inputs) && plainJson(record.outputs);
  const line = JSON.stringify(
    {
      request_id: record.requestId,
      timestamp: iso,
      model: record.model,
      version: record.version,
      protocol: record.protocol,
      shadow: record.shadow === true,
      latency_ms: record.latencyMs,
      inputs: record.inputs,
      outputs: record.outputs,
    },
    plain ? undefined : jsonValue,
  );
  return { hour: `date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`, line };
}

function hourOf(timestamp: number): string {
  const iso = isoOf(timestamp);
  return `date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
}

/** UTC ISO 8601 of a millisecond time, as prediction lines write their `timestamp`. */
export function predictionTimestamp(timestamp: number): string {
  return isoOf(timestamp);
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `prediction log ${name} must be an integer of at least 1, not ${value}`);
  }
  return value;
}

/**
 * A prediction log writing to `store`, one file per model and hour at each flush:
 * `<prefix>/model=<name>/date=YYYY-MM-DD/hour=HH/part-<epochms>-<writer>-<seq>.ndjson`. The writer id is random
 * per log, so replicas sharing one bucket never overwrite each other's parts.
 *
 * @example
 * const log = createPredictionLog({ store, onDropped: metrics.countDropped, onError: () => metrics.countLogError() });
 * log.append({ requestId, timestamp: Date.now(), model: "churn", version: "3", protocol: "mlflow", inputs, outputs, latencyMs });
 * await log.close();
 */
export function createPredictionLog(options: PredictionLogOptions): PredictionLog {
  const { store } = options;
  const prefix = safeArtifactPath(options.prefix ?? "predictions");
  const flushRows = checkCount("flushRows", options.flushRows ?? 1000);
  const flushIntervalMs = checkCount("flushIntervalMs", options.flushIntervalMs ?? 1000);
  const maxBufferedRows = checkCount("maxBufferedRows", options.maxBufferedRows ?? 100_000);
  const now = options.now ?? Date.now;
  const writer = randomBytes(4).toString("hex");
  const segments = new Map<string, string>();

  let buffer: LoggedPrediction[] = [];
  let writing = 0;
  let sequence = 0;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();
  let waiting: Promise<void> | undefined;
  let soon: ReturnType<typeof setImmediate> | undefined;

  // A callback that throws must not break the log or the prediction that triggered it.
  function report<T>(callback: ((value: T) => void) | undefined, value: T): void {
    try {
      callback?.(value);
    } catch {
      // Nothing sensible is left to tell.
    }
  }

  function segmentFor(model: string): string {
    let segment = segments.get(model);
    if (segment === undefined) {
      segment = partitionSegment(model);
      segments.set(model, segment);
    }
    return segment;
  }

  /** Buffered records grouped by file directory, as NDJSON text; records that cannot be encoded are dropped. */
  function groupByPartition(records: readonly LoggedPrediction[]): Map<string, { lines: string[]; records: LoggedPrediction[] }> {
    const groups = new Map<string, { lines: string[]; records: LoggedPrediction[] }>();
    let unencodable = 0;
    for (const record of records) {
      let encoded;
      try {
        encoded = "line" in record ? { line: record.line, hour: hourOf(record.timestamp) } : encodeRecord(record);
      } catch (error) {
        unencodable += 1;
        report(options.onError, new KeelError("INVALID_PARAMETER_VALUE", `prediction '${String(record.requestId)}' cannot be logged as JSON`, { cause: error }));
        continue;
      }
      const dir = `${prefix}/${segmentFor(String(record.model))}/${encoded.hour}`;
      let group = groups.get(dir);
      if (group === undefined) {
        group = { lines: [], records: [] };
        groups.set(dir, group);
      }
      group.lines.push(encoded.line);
      group.records.push(record);
    }
    if (unencodable > 0) report(options.onDropped, unencodable);
    return groups;
  }

  async function writeBuffered(): Promise<void> {
    if (buffer.length === 0) return;
    const records = buffer;
    buffer = [];
    writing = records.length;
    const failed: LoggedPrediction[] = [];
    try {
      const stamp = now();
      for (const [dir, group] of groupByPartition(records)) {
        sequence += 1;
        const path = `${dir}/part-${stamp}-${writer}-${String(sequence).padStart(6, "0")}.ndjson`;
        try {
          await store.put(path, Buffer.from(`${group.lines.join("\n")}\n`, "utf8"));
          report(options.onFlushed, group.records.length);
        } catch (error) {
          for (const record of group.records) failed.push(record);
          report(options.onError, error);
        }
      }
    } finally {
      // Failed rows go back in front, so the next flush retries them; they were counted all along, so this
      // never takes the buffer past maxBufferedRows.
      if (failed.length > 0) buffer = failed.concat(buffer);
      writing = 0;
    }
  }

  function flush(): Promise<void> {
    // A flush that has not started yet will also take the rows appended since it was asked for.
    if (waiting !== undefined) return waiting;
    const next = chain.then(() => {
      waiting = undefined;
      return writeBuffered();
    });
    const settled = next.catch((error: unknown) => report(options.onError, error));
    waiting = settled;
    chain = settled;
    return settled;
  }

  const timer = setInterval(() => void flush(), flushIntervalMs);
  // The log must never be what keeps a finished process running.
  timer.unref();

  return {
    append(record: LoggedPrediction): void {
      if (closed || buffer.length + writing >= maxBufferedRows) {
        report(options.onDropped, 1);
        return;
      }
      buffer.push(record);
      if (buffer.length >= flushRows && soon === undefined && waiting === undefined) {
        // Off the caller's stack: the answer goes out before the encoding work starts.
        soon = setImmediate(() => {
          soon = undefined;
          void flush();
        });
      }
    },
    flush,
    async close(): Promise<void> {
      closed = true;
      clearInterval(timer);
      if (soon !== undefined) clearImmediate(soon);
      soon = undefined;
      await flush();
    },
    get bufferedRows(): number {
      return buffer.length + writing;
    },
  };
}
