/**
 * Table shapes of Keel's SQL metadata store, as kysely sees them. Times are UTC epoch milliseconds (bigint,
 * read back as JS numbers); booleans are 0/1 integers so both dialects store them alike.
 */
import type { Generated } from "kysely";

export interface ExperimentsTable {
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
}

export interface ExperimentTagsTable {
  experiment_id: number;
  key: string;
  value: string;
}

export interface RunsTable {
  run_id: string;
  experiment_id: number;
  name: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
  deleted_time: number | null;
}

export interface ParamsTable {
  run_id: string;
  key: string;
  value: string;
}

export interface TagsTable {
  run_id: string;
  key: string;
  value: string;
}

/** Up to 1024 points of one metric, packed as float64 triples (see tracking/metric-chunks.ts). */
export interface MetricChunksTable {
  chunk_id: Generated<number>;
  run_id: string;
  key: string;
  points: number;
  /** Smallest and largest step in the chunk, so a page of history reads only the chunks it needs. */
  min_step: number;
  max_step: number;
  data: Uint8Array;
}

export interface LatestMetricsTable {
  run_id: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

export interface DatasetsTable {
  dataset_uuid: string;
  experiment_id: number;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
}

export interface InputsTable {
  input_uuid: string;
  source_type: string;
  source_id: string;
  destination_type: string;
  destination_id: string;
}

export interface InputTagsTable {
  input_uuid: string;
  key: string;
  value: string;
}

export interface RegisteredModelsTable {
  name: string;
  creation_time: number;
  last_updated_time: number;
  description: string | null;
  user_id: string | null;
  /** The number the next version gets; versions are never renumbered or reused after a delete. */
  next_version: number;
}

export interface RegisteredModelTagsTable {
  name: string;
  key: string;
  value: string;
}

export interface ModelVersionsTable {
  name: string;
  version: number;
  creation_time: number;
  last_updated_time: number;
  description: string | null;
  user_id: string | null;
  current_stage: string;
  source: string;
  storage_location: string;
  run_id: string | null;
  run_link: string | null;
  status: string;
}

export interface ModelVersionTagsTable {
  name: string;
  version: number;
  key: string;
  value: string;
}

export interface ModelAliasesTable {
  name: string;
  alias: string;
  version: number;
}

/** One registry mutation (see registry/types.ts AuditEntry). Rows are never updated or deleted. */
export interface RegistryAuditTable {
  audit_id: Generated<number>;
  timestamp: number;
  actor: string;
  action: string;
  name: string;
  version: number | null;
  target: string | null;
  from_value: string | null;
  to_value: string | null;
  reverts: number | null;
}

/** One monitor run (see monitoring/monitors/types.ts MonitorRun); JSON fields are stored as text. */
export interface MonitorRunsTable {
  run_id: Generated<number>;
  monitor: string;
  model: string;
  started_at: number;
  finished_at: number;
  window_start: number;
  window_end: number;
  status: string;
  reasons: string;
  rows: number;
  drift_share: number | null;
  dataset_drift: number | null;
  result: string;
  actions: string;
}

export interface KeelDatabase {
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  runs: RunsTable;
  params: ParamsTable;
  tags: TagsTable;
  metric_chunks: MetricChunksTable;
  latest_metrics: LatestMetricsTable;
  datasets: DatasetsTable;
  inputs: InputsTable;
  input_tags: InputTagsTable;
  registered_models: RegisteredModelsTable;
  registered_model_tags: RegisteredModelTagsTable;
  model_versions: ModelVersionsTable;
  model_version_tags: ModelVersionTagsTable;
  model_aliases: ModelAliasesTable;
  registry_audit: RegistryAuditTable;
  monitor_runs: MonitorRunsTable;
}
