/**
 * Where a monitor's reference comes from when the monitors file names none: the registered model version that
 * answered most predictions in the window → its source run → the dataset logged as the run's training input
 * (`keel train` logs it with `mlflow.data.context = training` and a local source `{"uri": "/abs/path.csv"}`),
 * and the run's held-out metrics as the reference for performance.
 */
import { KeelError } from "../../core/errors.js";
import type { RegistryStore } from "../../registry/registry-store.js";
import type { TrackingStore } from "../../tracking/tracking-store.js";
import type { Run } from "../../tracking/types.js";

export interface ModelReference {
  /** The training table's path, when the run logged a local dataset. */
  readonly table?: string;
  /** The run's latest metric values. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly runId: string;
  readonly version: string;
}

/** The version that answered most rows (ties to the newer version number). */
export function dominantVersion(versions: Readonly<Record<string, number>>): string | undefined {
  let best: string | undefined;
  for (const [version, rows] of Object.entries(versions)) {
    if (best === undefined || rows > versions[best] || (rows === versions[best] && Number(version) > Number(best))) best = version;
  }
  return best;
}

function trainingTable(run: Run): string | undefined {
  const inputs = run.inputs.datasetInputs;
  const training = inputs.find((i) => i.tags.some((t) => t.key === "mlflow.data.context" && t.value === "training")) ?? inputs[0];
  if (!training || training.dataset.sourceType !== "local") return undefined;
  try {
    const source = JSON.parse(training.dataset.source) as { uri?: unknown };
    if (typeof source.uri !== "string") return undefined;
    return source.uri.startsWith("file://") ? new URL(source.uri).pathname : source.uri;
  } catch {
    return undefined;
  }
}

/**
 * The reference of `registeredModel` version `version`, read from the registry and the tracking store.
 * @throws RESOURCE_DOES_NOT_EXIST when the model version or its run does not exist, or the version has no run.
 */
export async function modelReference(
  stores: { readonly registry: RegistryStore; readonly tracking: TrackingStore },
  registeredModel: string,
  version: string,
): Promise<ModelReference> {
  const modelVersion = await stores.registry.getModelVersion(registeredModel, version);
  if (!modelVersion.runId) {
    throw new KeelError(
      "RESOURCE_DOES_NOT_EXIST",
      `model version ${registeredModel}/${version} has no source run, so it has no training data to compare with; set \`reference\` in the monitor`,
    );
  }
  const run = await stores.tracking.getRun(modelVersion.runId);
  const metrics: Record<string, number> = {};
  for (const m of run.data.metrics) metrics[m.key] = m.value;
  const table = trainingTable(run);
  return { ...(table ? { table } : {}), metrics, runId: modelVersion.runId, version };
}
