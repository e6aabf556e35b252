import { fileURLToPath } from "node:url";
import type { LabelRecord } from "../monitoring/log/labels.js";
import { writeLabels } from "../monitoring/log/labels.js";
import { createArtifactStore } from "../artifacts/create-artifact-store.js";
import type { Logger } from "../core/log.js";
import type { ModelFleet, ModelSource } from "../serving/model-fleet.js";
import { createModelFleet } from "../serving/model-fleet.js";
import { createPredictionLog } from "../serving/prediction-log.js";
import type { PredictionSink } from "../serving/prediction-sink.js";
import { inlinePredictionSink, startWorkerPredictionSink } from "../serving/prediction-sink.js";
import type { ServeConfig } from "../serving/serve-config.js";
import { createServingMetrics } from "../serving/serving-metrics.js";
import { buildServingApp } from "./serving-app.js";

export interface StartServingOptions {
  readonly config: ServeConfig;
  readonly source: ModelSource;
  readonly logger: Logger;
  /** One JSON line per request; null for no access log. */
  readonly accessLog: ((line: string) => void) | null;
}

export interface RunningServing {
  /** `http://host:port`. */
  readonly url: string;
  readonly fleet: ModelFleet;
  /**
   * Graceful stop: readiness turns 503 and no new connection is taken, requests in flight finish (their
   * batches included), then the prediction log is flushed and the sessions released.
   */
  close(): Promise<void>;
}

/** A destination's local directory (a path or file:// URI); undefined for object storage, which labels do not go to. */
function localDirectory(destination: string): string | undefined {
  if (destination.startsWith("file://")) return fileURLToPath(destination);
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(destination) ? undefined : destination;
}

/** Loads and warms every configured model, then listens; rejects (having released everything) if a model fails to load. */
export async function startServing(options: StartServingOptions): Promise<RunningServing> {
  const { config, logger } = options;
  const metrics = createServingMetrics();
  let predictions: PredictionSink | null = null;
  if (config.predictionLog !== false) {
    const settings = config.predictionLog;
    const onDropped = (n: number): void => metrics.countDropped(n);
    const onError = (error: unknown): void => {
      metrics.countLogError();
      logger.warn("prediction log write failed; the rows are kept and retried", { error: error instanceof Error ? error.message : String(error) });
    };
    // The store is opened here first, so that a bad destination fails the start rather than every write.
    const store = createArtifactStore(settings.destination);
    predictions =
      (await startWorkerPredictionSink({ ...settings, onDropped, onError })) ??
      inlinePredictionSink(createPredictionLog({ store, ...settings, onDropped, onError }));
  }
  const fleet = await createModelFleet({
    config,
    source: options.source,
    metrics,
    onError: (message, error) => logger.warn(message, { error: error instanceof Error ? error.message : String(error) }),
    onSwap: (uri, from, to) => logger.info("model version swapped in", { uri, from, to }),
  }).catch(async (error: unknown) => {
    await predictions?.close();
    throw error;
  });
  const labelsRoot = config.predictionLog === false ? undefined : localDirectory(config.predictionLog.destination);
  const app = buildServingApp({
    fleet,
    metrics,
    predictions,
    maxBodyBytes: config.limits.maxBodyBytes,
    maxRows: config.limits.maxRows,
    accessLog: options.accessLog,
    ...(labelsRoot !== undefined ? { labels: (records: readonly LabelRecord[]) => writeLabels(labelsRoot, records) } : {}),
    onInternalError: (error) => logger.error("request failed inside the server", { error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await fleet.close();
    await predictions?.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    fleet,
    async close() {
      await app.close();
      await fleet.close();
      await predictions?.close();
    },
  };
}
