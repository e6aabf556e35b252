/**
 * The models one `keel serve` process serves: per configured model its variants (each one loaded version
 * with its batcher), the router that splits traffic between them, the shadow, and hot reload. A moved alias
 * or stage loads and warms the new version beside the old one, swaps it in for new requests, and only then
 * drains and releases the old one, so no request fails or is dropped across a swap.
 */
import { KeelError } from "../core/errors.js";
import { DynamicBatcher } from "./dynamic-batcher.js";
import { ModelWatcher } from "./model-watcher.js";
import type { LoadedModel } from "./onnx-model.js";
import { loadOnnxModel } from "./onnx-model.js";
import type { RuntimeConfig, ServeConfig, StickyKey } from "./serve-config.js";
import type { ServingMetrics } from "./serving-metrics.js";
import { createTrafficRouter } from "./traffic-router.js";
import type { TrafficRouter } from "./traffic-router.js";
import type { OutputBatch, RowBatch } from "./types.js";
import { rowSize } from "./types.js";

/** Where served models come from. */
export interface ModelSource {
  /** The version `uri` points at now: a registry version number, a run id, or "local" for a directory. */
  resolveVersion(uri: string): Promise<string>;
  /** A local directory holding the model of `uri` at `version`, downloaded first when it is remote. */
  fetch(uri: string, version: string): Promise<string>;
}

/** One loaded version and the way requests reach it (through its batcher, or straight to the session). */
export interface Deployment {
  readonly model: LoadedModel;
  score(batch: RowBatch): Promise<OutputBatch>;
  /** Rows waiting in its batcher. */
  queueDepth(): number;
  /** Stops taking requests, finishes those taken, releases the session. */
  close(): Promise<void>;
}

export interface VariantSlot {
  readonly name: string;
  readonly uri: string;
  /** The deployment serving now; it changes when a reload swaps a new version in. */
  current: Deployment;
}

export interface ServedEndpoint {
  readonly name: string;
  readonly variants: readonly VariantSlot[];
  readonly shadow?: VariantSlot;
  readonly stickyKey?: StickyKey;
  /** The variant for a request, by weight, or by `stickyKey`'s hash when the request carries one. */
  pick(stickyKey?: string): VariantSlot;
}

export interface ModelFleet {
  /** Served models by name, in configuration order. */
  readonly endpoints: ReadonlyMap<string, ServedEndpoint>;
  /**
   * Asks the registry now whether an alias or stage moved (POST /keel/reload), and swaps what did; resolves
   * with the URIs whose new version could not be loaded (their old version keeps serving).
   */
  reload(): Promise<readonly { readonly uri: string; readonly message: string }[]>;
  close(): Promise<void>;
}

export interface ModelFleetOptions {
  readonly config: ServeConfig;
  readonly source: ModelSource;
  readonly metrics: ServingMetrics;
  /** Told of reload failures (the old version keeps serving). */
  readonly onError?: (message: string, error: unknown) => void;
  /** Told of each swap. */
  readonly onSwap?: (uri: string, from: string, to: string) => void;
}

function deploy(model: LoadedModel, config: ServeConfig, name: string, metrics: ServingMetrics): Deployment {
  const batching = config.batching;
  if (batching === false) {
    return { model, score: (batch) => model.run(batch), queueDepth: () => 0, close: () => model.release() };
  }
  const rowSizes: Record<string, number> = {};
  for (const t of [...model.inputs, ...model.outputs]) if (!t.rowShape.includes(-1)) rowSizes[t.name] = rowSize(t.rowShape);
  const batcher = new DynamicBatcher({
    maxBatchSize: batching.maxBatchSize,
    maxQueueDelayMs: batching.maxQueueDelayMs,
    maxQueueRows: batching.maxQueueRows,
    maxInFlight: batching.maxInFlight,
    rowSizes,
    run: (batch) => model.run(batch),
    onBatch: (rows) => metrics.observeBatch(name, rows),
  });
  return {
    model,
    score: (batch) => batcher.submit(batch),
    queueDepth: () => batcher.queueDepth,
    close: async () => {
      await batcher.close();
      await model.release();
    },
  };
}

async function load(source: ModelSource, uri: string, version: string, runtime: RuntimeConfig): Promise<LoadedModel> {
  const dir = await source.fetch(uri, version);
  return loadOnnxModel(dir, version, runtime);
}

/**
 * Loads every configured model (all variants and shadows), then watches the movable URIs. Rejects, having
 * released what it loaded, when any model cannot be loaded.
 */
export async function createModelFleet(options: ModelFleetOptions): Promise<ModelFleet> {
  const { config, source, metrics } = options;
  const slots: VariantSlot[] = [];
  const endpoints = new Map<string, ServedEndpoint>();
  const untrack: (() => void)[] = [];
  const loadSlot = async (modelName: string, name: string, uri: string): Promise<VariantSlot> => {
    const version = await source.resolveVersion(uri);
    const model = await load(source, uri, version, config.runtime);
    metrics.setModelLoadSeconds(modelName, version, model.loadSeconds);
    const slot: VariantSlot = { name, uri, current: deploy(model, config, modelName, metrics) };
    slots.push(slot);
    return slot;
  };
  try {
    for (const served of config.models) {
      const variants: VariantSlot[] = [];
      for (const variant of served.variants) variants.push(await loadSlot(served.name, variant.name, variant.uri));
      const shadow = served.shadow ? await loadSlot(served.name, "shadow", served.shadow.uri) : undefined;
      const router: TrafficRouter = createTrafficRouter({ variants: served.variants, sticky: served.stickyKey !== undefined });
      const byName = new Map(variants.map((v) => [v.name, v]));
      endpoints.set(served.name, {
        name: served.name,
        variants,
        ...(shadow ? { shadow } : {}),
        ...(served.stickyKey ? { stickyKey: served.stickyKey } : {}),
        pick: (key) => byName.get(router.pick(key)) ?? variants[0],
      });
      untrack.push(metrics.trackQueueDepth(served.name, () => variants.reduce((sum, v) => sum + v.current.queueDepth(), 0)));
    }
  } catch (error) {
    await Promise.allSettled(slots.map((slot) => slot.current.close()));
    throw error;
  }

  const swap = async (uri: string, from: string, to: string): Promise<void> => {
    const targets = slots.filter((slot) => slot.uri === uri);
    const model = await load(source, uri, to, config.runtime);
    const old: Deployment[] = [];
    for (const slot of targets) {
      const owner = [...endpoints.values()].find((e) => e.variants.includes(slot) || e.shadow === slot)?.name ?? "";
      metrics.setModelLoadSeconds(owner, to, model.loadSeconds);
      old.push(slot.current);
      slot.current = deploy(model, config, owner, metrics);
    }
    options.onSwap?.(uri, from, to);
    // The old deployments finish what they took; a session shared by several slots is released once.
    const released = new Set<LoadedModel>();
    for (const deployment of old) {
      if (released.has(deployment.model)) continue;
      released.add(deployment.model);
      await deployment.close();
    }
  };
  let failures: { uri: string; message: string }[] = [];
  const watcher = new ModelWatcher({
    intervalMs: config.reload.pollIntervalS * 1000,
    resolve: (uri) => source.resolveVersion(uri),
    onChange: swap,
    onError: (uri, error) => {
      failures.push({ uri, message: error instanceof Error ? error.message : String(error) });
      options.onError?.(`reloading ${uri} failed; the loaded version keeps serving`, error);
    },
  });
  for (const slot of slots) watcher.watch(slot.uri, slot.current.model.version);

  return {
    endpoints,
    reload: async () => {
      failures = [];
      await watcher.checkNow();
      return failures;
    },
    close: async () => {
      await watcher.close();
      for (const stop of untrack) stop();
      await Promise.allSettled(slots.map((slot) => slot.current.close()));
    },
  };
}

/** The endpoint for a request naming `name` (or the first model when none is named); NOT_FOUND otherwise. */
export function endpointOf(fleet: ModelFleet, name: string | undefined): ServedEndpoint {
  if (name === undefined || name === "") {
    const first = fleet.endpoints.values().next();
    if (first.done) throw new KeelError("RESOURCE_DOES_NOT_EXIST", "no model is being served");
    return first.value;
  }
  const endpoint = fleet.endpoints.get(name);
  if (!endpoint) {
    throw new KeelError("RESOURCE_DOES_NOT_EXIST", `model '${name}' is not served here; served: ${[...fleet.endpoints.keys()].join(", ")}`);
  }
  return endpoint;
}
