import { KeelError } from "../core/errors.js";
import { uploadDirectory, uploadFile } from "./artifact-transfer.js";
import type { LogModelOptions, ModelInfo } from "./log-model.js";
import { logModel } from "./log-model.js";
import type { RegistryClient } from "./registry-client.js";
import type { PendingItems } from "./run-buffer.js";
import { RunBuffer } from "./run-buffer.js";
import type { TrackingClient } from "./tracking-client.js";
import { ENTITY_LIMITS, checkInteger, checkKey, checkMetricValue, stringValue } from "./validate-entities.js";
import type { DatasetInput, Run, RunInfo, RunStatus } from "./wire-types.js";

export type ParamValue = string | number | boolean | bigint;
export type TagValue = string | number | boolean | bigint;

export interface LogMetricOptions {
  /** Default 0, as in MLflow. */
  readonly step?: number;
  /** UTC epoch milliseconds; default now. */
  readonly timestamp?: number;
}

export interface ActiveRunOptions {
  /** Period of the background flush; 0 turns it off. Default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** A background flush starts once this many items wait. Default 1000. */
  readonly flushAtItems?: number;
  /** What `logModel` records and registers models through; default: one over the tracking client's URI. */
  readonly registry?: RegistryClient;
}

/**
 * A run being logged to. Params, metrics and tags are buffered and sent through log-batch (see RunBuffer);
 * artifacts are uploaded at once. Call `end()` (or use `keel.withRun`) so that the buffer is flushed and
 * the run gets its final status.
 */
export class ActiveRun {
  readonly runId: string;
  readonly experimentId: string;
  /** The run as the server created it. */
  readonly info: RunInfo;
  private readonly client: TrackingClient;
  private readonly buffer: RunBuffer;
  private readonly registry: RegistryClient | undefined;
  private ending = false;
  private ended = false;

  constructor(client: TrackingClient, run: Run, options: ActiveRunOptions = {}) {
    this.client = client;
    this.info = run.info;
    this.runId = run.info.run_id;
    this.experimentId = run.info.experiment_id;
    this.registry = options.registry;
    this.buffer = new RunBuffer({
      runId: this.runId,
      send: (batch) => client.logBatch(batch),
      flushIntervalMs: options.flushIntervalMs,
      flushAtItems: options.flushAtItems,
    });
  }

  /** The run's artifact URI, `mlflow-artifacts:/<experiment>/<run>/artifacts` on a Keel server. */
  get artifactUri(): string {
    return this.info.artifact_uri;
  }

  /**
   * Buffers a param. Its value is written as a string; logging the same key again with another value is
   * refused (here if the first value is still buffered, else by the server at the next flush).
   *
   * @example
   * run.logParam("max_depth", 8);
   */
  logParam(key: string, value: ParamValue): void {
    this.assertOpen();
    checkKey("param", key);
    this.buffer.addParam({ key, value: stringValue("param", key, value, ENTITY_LIMITS.maxParamValueLength) });
  }

  /**
   * Buffers several params.
   *
   * @example
   * run.logParams({ n_estimators: 200, criterion: "gini" });
   */
  logParams(params: Readonly<Record<string, ParamValue>>): void {
    for (const [key, value] of Object.entries(params)) this.logParam(key, value);
  }

  /**
   * Buffers one metric point. NaN and ±Infinity are allowed.
   *
   * @example
   * run.logMetric("loss", 0.31, { step: 10 });
   */
  logMetric(key: string, value: number, options: LogMetricOptions = {}): void {
    this.assertOpen();
    checkKey("metric", key);
    checkMetricValue(key, value);
    const step = checkInteger(`step of metric '${key}'`, options.step ?? 0);
    const timestamp = checkInteger(`timestamp of metric '${key}'`, options.timestamp ?? Date.now(), 0);
    this.buffer.addMetric({ key, value, timestamp, step });
  }

  /**
   * Buffers several metrics at the same step and timestamp.
   *
   * @example
   * run.logMetrics({ loss: 0.31, accuracy: 0.88 }, { step: 10 });
   */
  logMetrics(metrics: Readonly<Record<string, number>>, options: LogMetricOptions = {}): void {
    const timestamp = options.timestamp ?? Date.now();
    for (const [key, value] of Object.entries(metrics)) this.logMetric(key, value, { ...options, timestamp });
  }

  /**
   * Buffers a tag; a later value for the same key replaces the earlier one.
   *
   * @example
   * run.setTag("team", "growth");
   */
  setTag(key: string, value: TagValue): void {
    this.assertOpen();
    checkKey("tag", key);
    this.buffer.addTag({ key, value: stringValue("tag", key, value, ENTITY_LIMITS.maxTagValueLength) });
  }

  /**
   * Buffers several tags.
   *
   * @example
   * run.setTags({ team: "growth", dataset: "2024-q1" });
   */
  setTags(tags: Readonly<Record<string, TagValue>>): void {
    for (const [key, value] of Object.entries(tags)) this.setTag(key, value);
  }

  /**
   * Sends everything buffered and waits for the server to acknowledge it. Throws the server's error (or
   * that of an earlier background flush); the items stay buffered (see `unflushed()`) and a later call retries.
   *
   * @example
   * await run.flush();
   */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  /**
   * Items logged but not yet acknowledged by the server.
   *
   * @example
   * const { metrics, params, tags } = run.unflushed();
   */
  unflushed(): PendingItems {
    return this.buffer.pending();
  }

  /**
   * Uploads a local file to `<artifactPath>/<file name>` (the artifact root when no path is given).
   *
   * @example
   * await run.logArtifact("model.onnx", "model");
   */
  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    await uploadFile(this.client, this.artifactUri, localPath, artifactPath);
  }

  /**
   * Writes `text` as the artifact file `artifactFile` (a path inside the run's artifacts), as `mlflow.log_text`.
   *
   * @example
   * await run.logText("all good", "notes/summary.txt");
   */
  async logText(text: string, artifactFile: string): Promise<void> {
    await this.client.uploadArtifact({ artifact_uri: this.artifactUri, path: artifactFile, body: text });
  }

  /**
   * Writes `value` as pretty JSON to the artifact file `artifactFile`, as `mlflow.log_dict` does for `.json`.
   *
   * @example
   * await run.logDict({ auc: 0.91 }, "reports/scores.json");
   */
  async logDict(value: unknown, artifactFile: string): Promise<void> {
    await this.logText(`${JSON.stringify(value, null, 2)}\n`, artifactFile);
  }

  /**
   * Uploads a local directory's files recursively under `artifactPath`, keeping their layout.
   *
   * @example
   * await run.logArtifacts("./reports", "reports");
   */
  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    await uploadDirectory(this.client, this.artifactUri, localDir, artifactPath);
  }

  /**
   * Logs a model under `artifactPath` of the run's artifacts and, with `registeredModelName`, registers it as
   * a new version: ONNX bytes become a complete MLflow model directory (MLmodel, model.onnx, environment
   * files), a local MLflow model directory is uploaded as it is with its MLmodel pointed at this run.
   * Resolves with the model's `runs:/` URI, its MLmodel and the registered version. See `logModel`.
   *
   * @example
   * const { modelUri, modelVersion } = await run.logModel(onnxBytes, { artifactPath: "model", registeredModelName: "churn" });
   */
  async logModel(model: string | Uint8Array, options: LogModelOptions): Promise<ModelInfo> {
    return logModel({ client: this.client, runId: this.runId, artifactUri: this.artifactUri, ...(this.registry ? { registry: this.registry } : {}) }, model, options);
  }

  /**
   * Records the datasets the run used (not buffered).
   *
   * @example
   * await run.logInputs([{ dataset: { name: "churn", digest: "3f2a", source_type: "local", source: "data/churn.csv" }, tags: [{ key: "mlflow.data.context", value: "train" }] }]);
   */
  async logInputs(datasets: readonly DatasetInput[]): Promise<void> {
    await this.client.logInputs({ run_id: this.runId, datasets });
  }

  /**
   * Flushes, then sets the run's status and end time. If the flush fails the run is marked FAILED (its
   * data is incomplete), the items stay available from `unflushed()` and `flush()`, and the flush's error
   * is thrown. No logging is accepted once `end` was called; calling it again after a failure retries.
   *
   * @example
   * await run.end(); // FINISHED
   */
  async end(status: RunStatus = "FINISHED"): Promise<void> {
    if (this.ended) return;
    this.ending = true;
    try {
      await this.buffer.flush();
    } catch (error) {
      this.buffer.close();
      // Best effort: the flush error is what the caller must see, even if the server is unreachable.
      await this.client.updateRun({ run_id: this.runId, status: "FAILED", end_time: Date.now() }).catch(() => undefined);
      throw error;
    }
    await this.client.updateRun({ run_id: this.runId, status, end_time: Date.now() });
    this.buffer.close();
    this.ended = true;
  }

  private assertOpen(): void {
    if (this.ending) {
      throw new KeelError("INVALID_STATE", `run ${this.runId} has ended; start a new run to log more`);
    }
  }
}
