/**
 * MLflow's JSON shapes, snake_case as its protobuf messages serialise, as the tracking server sends and
 * receives them. Metric values are numbers here: the client turns the protobuf strings "NaN", "Infinity"
 * and "-Infinity" into numbers on read and back on write.
 */

export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";
export type LifecycleStage = "active" | "deleted";
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}
export type ExperimentTag = KeyValue;
export type RunTag = KeyValue;
export type Param = KeyValue;
export type InputTag = KeyValue;

export interface Experiment {
  readonly experiment_id: string;
  readonly name: string;
  readonly artifact_location: string;
  readonly lifecycle_stage: LifecycleStage;
  /** UTC epoch milliseconds. */
  readonly last_update_time?: number;
  /** UTC epoch milliseconds. */
  readonly creation_time?: number;
  readonly tags?: readonly ExperimentTag[];
}

export interface Metric {
  readonly key: string;
  /** May be NaN or ±Infinity. */
  readonly value: number;
  /** UTC epoch milliseconds. */
  readonly timestamp: number;
  readonly step: number;
}

export interface RunInfo {
  readonly run_id: string;
  /** Legacy alias of run_id. */
  readonly run_uuid?: string;
  readonly run_name?: string;
  readonly experiment_id: string;
  readonly user_id?: string;
  readonly status: RunStatus;
  /** UTC epoch milliseconds. */
  readonly start_time?: number;
  /** UTC epoch milliseconds; absent while the run is running. */
  readonly end_time?: number;
  /** `mlflow-artifacts:/<experiment>/<run>/artifacts` when the server proxies artifacts. */
  readonly artifact_uri: string;
  readonly lifecycle_stage: LifecycleStage;
}

export interface RunData {
  /** The latest value of each metric. */
  readonly metrics?: readonly Metric[];
  readonly params?: readonly Param[];
  readonly tags?: readonly RunTag[];
}

export interface Dataset {
  readonly name: string;
  readonly digest: string;
  readonly source_type: string;
  readonly source: string;
  readonly schema?: string;
  readonly profile?: string;
}

export interface DatasetInput {
  readonly tags?: readonly InputTag[];
  readonly dataset: Dataset;
}

export interface RunInputs {
  readonly dataset_inputs?: readonly DatasetInput[];
}

export interface Run {
  readonly info: RunInfo;
  readonly data: RunData;
  readonly inputs?: RunInputs;
}

export interface FileInfo {
  /** Relative to the run's artifact root. */
  readonly path: string;
  readonly is_dir: boolean;
  /** Bytes; absent for directories. */
  readonly file_size?: number;
}

/** A page of results; `next_page_token` is absent on the last page. */
export interface Paged {
  readonly next_page_token?: string;
}

export interface CreateExperimentRequest {
  readonly name: string;
  readonly artifact_location?: string;
  readonly tags?: readonly ExperimentTag[];
}

export interface SearchExperimentsRequest {
  readonly max_results?: number;
  readonly page_token?: string;
  readonly filter?: string;
  readonly order_by?: readonly string[];
  readonly view_type?: ViewType;
}

export interface SearchExperimentsResponse extends Paged {
  readonly experiments: readonly Experiment[];
}

export interface UpdateExperimentRequest {
  readonly experiment_id: string;
  readonly new_name: string;
}

export interface SetExperimentTagRequest {
  readonly experiment_id: string;
  readonly key: string;
  readonly value: string;
}

export interface DeleteExperimentTagRequest {
  readonly experiment_id: string;
  readonly key: string;
}

export interface CreateRunRequest {
  readonly experiment_id: string;
  readonly user_id?: string;
  readonly run_name?: string;
  /** UTC epoch milliseconds. */
  readonly start_time?: number;
  readonly tags?: readonly RunTag[];
}

export interface UpdateRunRequest {
  readonly run_id: string;
  readonly status?: RunStatus;
  /** UTC epoch milliseconds. */
  readonly end_time?: number;
  readonly run_name?: string;
}

export interface SearchRunsRequest {
  readonly experiment_ids: readonly string[];
  readonly filter?: string;
  readonly run_view_type?: ViewType;
  /** Default 1000, at most 50,000. */
  readonly max_results?: number;
  readonly order_by?: readonly string[];
  readonly page_token?: string;
}

export interface SearchRunsResponse extends Paged {
  readonly runs: readonly Run[];
}

export interface LogMetricRequest {
  readonly run_id: string;
  readonly key: string;
  readonly value: number;
  /** UTC epoch milliseconds. */
  readonly timestamp: number;
  readonly step?: number;
}

export interface LogParamRequest {
  readonly run_id: string;
  readonly key: string;
  readonly value: string;
}

export interface SetTagRequest {
  readonly run_id: string;
  readonly key: string;
  readonly value: string;
}

export interface DeleteTagRequest {
  readonly run_id: string;
  readonly key: string;
}

/** At most 1000 metrics, 100 params, 100 tags, 1000 items in all, and a body under 1 MB. */
export interface LogBatchRequest {
  readonly run_id: string;
  readonly metrics?: readonly Metric[];
  readonly params?: readonly Param[];
  readonly tags?: readonly RunTag[];
}

export interface LogInputsRequest {
  readonly run_id: string;
  readonly datasets: readonly DatasetInput[];
}

export interface GetMetricHistoryRequest {
  readonly run_id: string;
  readonly metric_key: string;
  /** Points per page; the server caps it at 25,000. */
  readonly max_results?: number;
  readonly page_token?: string;
}

export interface GetMetricHistoryResponse extends Paged {
  /** Ordered by step, then timestamp. */
  readonly metrics: readonly Metric[];
}

export interface ListArtifactsRequest {
  readonly run_id: string;
  /** A directory relative to the run's artifact root; the root when absent. */
  readonly path?: string;
  readonly page_token?: string;
}

export interface ListArtifactsResponse extends Paged {
  readonly root_uri: string;
  readonly files: readonly FileInfo[];
}

/** Where a run keeps its artifacts (its `info.artifact_uri`) and a file path relative to it. */
export interface ArtifactLocation {
  readonly artifact_uri: string;
  readonly path: string;
}
