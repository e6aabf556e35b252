/** Entities of experiment tracking. Times are UTC epoch milliseconds. */

export type LifecycleStage = "active" | "deleted";
export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";
export const RUN_STATUSES: readonly RunStatus[] = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

/** Which lifecycle stages a search returns (MLflow's ViewType). */
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";
export const VIEW_TYPES: readonly ViewType[] = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"];

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface Experiment {
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly lifecycleStage: LifecycleStage;
  readonly creationTime: number;
  readonly lastUpdateTime: number;
  readonly tags: readonly Tag[];
}

export interface RunInfo {
  readonly runId: string;
  readonly experimentId: string;
  readonly runName: string;
  readonly userId: string;
  readonly status: RunStatus;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly artifactUri: string;
  readonly lifecycleStage: LifecycleStage;
}

/** One metric point. `value` may be NaN or ±Infinity. */
export interface Metric {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
}

/** One metric point and the run it belongs to (MLflow's MetricWithRunId). */
export interface MetricWithRunId extends Metric {
  readonly runId: string;
}

export interface Param {
  readonly key: string;
  readonly value: string;
}

export interface Dataset {
  readonly name: string;
  readonly digest: string;
  readonly sourceType: string;
  readonly source: string;
  readonly schema?: string;
  readonly profile?: string;
}

export interface DatasetInput {
  readonly tags: readonly Tag[];
  readonly dataset: Dataset;
}

export interface Run {
  readonly info: RunInfo;
  readonly data: {
    /** The latest value per key (highest step, then timestamp, then value). */
    readonly metrics: readonly Metric[];
    readonly params: readonly Param[];
    readonly tags: readonly Tag[];
  };
  readonly inputs: { readonly datasetInputs: readonly DatasetInput[] };
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque token for the next page; absent on the last page. */
  readonly nextPageToken?: string;
}
