/**
 * What training logs to: the SDK's ActiveRun fits this shape, but the learn domain does not import the SDK
 * (domains do not depend on the client), so the run is described here structurally.
 */
import type { ModelSignature } from "../core/model-signature.js";

export type LoggedValue = string | number | boolean;

/** MLflow's dataset input as log-inputs carries it. */
export interface TrainingDatasetInput {
  readonly dataset: {
    readonly name: string;
    readonly digest: string;
    readonly source_type: string;
    readonly source: string;
    readonly schema?: string;
    readonly profile?: string;
  };
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

export interface TrainingSink {
  readonly runId: string;
  logParams(params: Readonly<Record<string, LoggedValue>>): void;
  logMetrics(metrics: Readonly<Record<string, number>>, options?: { readonly step?: number }): void;
  setTag(key: string, value: LoggedValue): void;
  logDict(value: unknown, artifactFile: string): Promise<void>;
  logInputs(datasets: readonly TrainingDatasetInput[]): Promise<void>;
  logModel(
    model: Uint8Array,
    options: { readonly artifactPath: string; readonly signature?: ModelSignature; readonly inputExample?: unknown; readonly registeredModelName?: string },
  ): Promise<{ readonly modelUri: string; readonly modelVersion?: { readonly version: string } }>;
}
