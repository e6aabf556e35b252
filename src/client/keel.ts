import { userInfo } from "node:os";
import { KeelError } from "../core/errors.js";
import type { ActiveRunOptions } from "./active-run.js";
import { ActiveRun } from "./active-run.js";
import type { RegistryClient } from "./registry-client.js";
import { createRegistryClient } from "./registry-client.js";
import type { LoadedModelInfo } from "./resolve-model-uri.js";
import { downloadModel, loadModelInfo } from "./resolve-model-uri.js";
import type { TrackingClient, TrackingClientOptions } from "./tracking-client.js";
import { createTrackingClient } from "./tracking-client.js";
import type { Experiment, RunTag } from "./wire-types.js";

export interface KeelOptions extends TrackingClientOptions, ActiveRunOptions {
  /** Use this client instead of creating one (the other client options are then ignored). */
  readonly client?: TrackingClient;
}

export interface StartRunOptions {
  /** Experiment name; created when missing, as `mlflow.set_experiment` does. */
  readonly experiment?: string;
  /** Experiment id, instead of a name. Default: "0", the Default experiment. */
  readonly experimentId?: string;
  /** Default: a generated name. */
  readonly runName?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** UTC epoch milliseconds; default now. */
  readonly startTime?: number;
}

/** The fluent entry point of the SDK. */
export interface Keel {
  readonly client: TrackingClient;
  /** The Model Registry of the same server. */
  readonly registry: RegistryClient;
  readonly trackingUri: string;
  /** The active experiment of that name, created if missing. */
  setExperiment(name: string): Promise<Experiment>;
  startRun(options?: StartRunOptions): Promise<ActiveRun>;
  /**
   * Runs `fn` with a new run and ends it FINISHED, or FAILED if `fn` throws (the error is rethrown).
   * Resolves with `fn`'s result.
   */
  withRun<T>(options: StartRunOptions, fn: (run: ActiveRun) => Promise<T>): Promise<T>;
  /**
   * Resolves a model URI (`models:/NAME/VERSION`, `models:/NAME/STAGE`, `models:/NAME/latest`,
   * `models:/NAME@ALIAS`, `runs:/RUN_ID/PATH`) and reads its MLmodel. RESOURCE_DOES_NOT_EXIST names the part
   * of the URI that does not exist; a model stored outside the tracking server is INVALID_PARAMETER_VALUE.
   *
   * @example
   * const { mlmodel, modelVersion } = await keel.loadModelInfo("models:/churn@champion");
   */
  loadModelInfo(uri: string): Promise<LoadedModelInfo>;
  /**
   * Resolves a model URI and downloads the model directory to `<destDir>/<its path in the run>`; resolves
   * with that local directory. Errors as loadModelInfo.
   *
   * @example
   * const dir = await keel.downloadModel("models:/churn/3", "./models"); // ./models/model
   */
  downloadModel(uri: string, destDir: string): Promise<string>;
}

function currentUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME;
  }
}

/** The tags MLflow's client puts on every run, so that MLflow's UI and tools show who ran what. */
function systemTags(user: string | undefined): RunTag[] {
  const tags: RunTag[] = [{ key: "mlflow.source.type", value: "LOCAL" }];
  if (user) tags.push({ key: "mlflow.user", value: user });
  if (process.argv[1]) tags.push({ key: "mlflow.source.name", value: process.argv[1] });
  return tags;
}

/**
 * Creates the fluent SDK over a tracking server (explicit URI, else KEEL_TRACKING_URI, MLFLOW_TRACKING_URI,
 * http://127.0.0.1:5000).
 *
 * @example
 * const keel = createKeel({ trackingUri: "http://127.0.0.1:5000" });
 * await keel.withRun({ experiment: "churn", runName: "rf-v1" }, async (run) => {
 *   run.logParams({ n_estimators: 200 });
 *   run.logMetric("auc", 0.91);
 * });
 */
export function createKeel(options: KeelOptions = {}): Keel {
  const client = options.client ?? createTrackingClient(options);
  const registry = options.registry ?? createRegistryClient({ ...options, trackingUri: client.trackingUri });
  const runOptions: ActiveRunOptions = { flushIntervalMs: options.flushIntervalMs, flushAtItems: options.flushAtItems, registry };

  async function setExperiment(name: string): Promise<Experiment> {
    const existing = await findExperiment(name);
    if (existing) return existing;
    try {
      const experimentId = await client.createExperiment({ name });
      return await client.getExperiment({ experiment_id: experimentId });
    } catch (error) {
      // Another process created it between our lookup and our create.
      if (error instanceof KeelError && error.code === "RESOURCE_ALREADY_EXISTS") {
        const raced = await findExperiment(name);
        if (raced) return raced;
      }
      throw error;
    }
  }

  async function findExperiment(name: string): Promise<Experiment | undefined> {
    try {
      const experiment = await client.getExperimentByName({ experiment_name: name });
      if (experiment.lifecycle_stage === "deleted") {
        throw new KeelError(
          "INVALID_PARAMETER_VALUE",
          `experiment '${name}' (id ${experiment.experiment_id}) is deleted; restore it with \`keel experiments restore ${experiment.experiment_id}\` or choose another name`,
        );
      }
      return experiment;
    } catch (error) {
      if (error instanceof KeelError && error.code === "RESOURCE_DOES_NOT_EXIST") return undefined;
      throw error;
    }
  }

  async function startRun(start: StartRunOptions = {}): Promise<ActiveRun> {
    if (start.experiment !== undefined && start.experimentId !== undefined) {
      throw new KeelError("INVALID_PARAMETER_VALUE", "give either an experiment name or an experiment id, not both");
    }
    const experimentId = start.experiment !== undefined ? (await setExperiment(start.experiment)).experiment_id : (start.experimentId ?? "0");
    const user = currentUser();
    const given = Object.entries(start.tags ?? {}).map(([key, value]) => ({ key, value }));
    const tags = [...systemTags(user).filter((t) => !(t.key in (start.tags ?? {}))), ...given];
    const run = await client.createRun({
      experiment_id: experimentId,
      start_time: start.startTime ?? Date.now(),
      tags,
      ...(start.runName !== undefined ? { run_name: start.runName } : {}),
      ...(user ? { user_id: user } : {}),
    });
    return new ActiveRun(client, run, runOptions);
  }

  return {
    client,
    registry,
    trackingUri: client.trackingUri,
    setExperiment,
    startRun,
    async withRun<T>(start: StartRunOptions, fn: (run: ActiveRun) => Promise<T>): Promise<T> {
      const run = await startRun(start);
      let result: T;
      try {
        result = await fn(run);
      } catch (error) {
        await run.end("FAILED").catch((endError: unknown) => {
          // The callback's error is the one to throw; the lost flush must still not pass unnoticed.
          process.emitWarning(`run ${run.runId}: could not flush its last items: ${(endError as Error).message}`, { code: "KEEL_FLUSH_FAILED" });
        });
        throw error;
      }
      await run.end("FINISHED");
      return result;
    },
    loadModelInfo: (uri) => loadModelInfo({ tracking: client, registry }, uri),
    downloadModel: (uri, destDir) => downloadModel({ tracking: client, registry }, uri, destDir),
  };
}
