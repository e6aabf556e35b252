import type {
  DatasetInput,
  Experiment,
  Metric,
  Page,
  Param,
  Run,
  RunInfo,
  RunStatus,
  Tag,
  ViewType,
} from "./types.js";

export interface CreateExperimentInput {
  readonly name: string;
  /** Where the experiment's runs keep artifacts; derived from the server's artifact root when absent. */
  readonly artifactLocation?: string;
  readonly tags?: readonly Tag[];
}

export interface SearchExperimentsInput {
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly maxResults?: number;
  readonly pageToken?: string;
  readonly viewType?: ViewType;
}

export interface CreateRunInput {
  readonly experimentId: string;
  readonly runName?: string;
  readonly userId?: string;
  readonly startTime?: number;
  readonly tags?: readonly Tag[];
}

export interface UpdateRunInput {
  readonly runId: string;
  readonly status?: RunStatus;
  readonly endTime?: number;
  readonly runName?: string;
}

export interface LogBatchInput {
  readonly runId: string;
  readonly metrics?: readonly Metric[];
  readonly params?: readonly Param[];
  readonly tags?: readonly Tag[];
}

export interface SearchRunsInput {
  readonly experimentIds: readonly string[];
  readonly filter?: string;
  readonly viewType?: ViewType;
  readonly maxResults?: number;
  readonly orderBy?: readonly string[];
  readonly pageToken?: string;
}

export interface MetricHistoryInput {
  readonly runId: string;
  readonly key: string;
  /** At most this many points per page (server cap 25,000 as in MLflow). */
  readonly maxResults?: number;
  readonly pageToken?: string;
}

/**
 * Experiments, runs and their data. Every method that takes an id throws RESOURCE_DOES_NOT_EXIST when it
 * names nothing, and INVALID_PARAMETER_VALUE for input MLflow would refuse. Times are UTC milliseconds.
 */
export interface TrackingStore {
  /** Creates an experiment; RESOURCE_ALREADY_EXISTS if the name is taken (deleted experiments keep theirs). */
  createExperiment(input: CreateExperimentInput): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment>;
  getExperimentByName(name: string): Promise<Experiment>;
  /** Ordered by the given keys, then experiment id; default: creation_time DESC, as MLflow orders them. */
  searchExperiments(input: SearchExperimentsInput): Promise<Page<Experiment>>;
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  /** Soft delete: the experiment and its runs move to lifecycle `deleted`. Experiment 0 cannot be deleted. */
  deleteExperiment(experimentId: string): Promise<void>;
  restoreExperiment(experimentId: string): Promise<void>;
  setExperimentTag(experimentId: string, tag: Tag): Promise<void>;
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;

  createRun(input: CreateRunInput): Promise<Run>;
  getRun(runId: string): Promise<Run>;
  updateRun(input: UpdateRunInput): Promise<RunInfo>;
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  /** Params, metrics and tags in one transaction: all are stored or none is. Logging to a deleted run fails. */
  logBatch(input: LogBatchInput): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void>;
  /** Points of one metric ordered by step, then timestamp. */
  getMetricHistory(input: MetricHistoryInput): Promise<Page<Metric>>;
  /** Filter and order compile to SQL; the page token never skips or repeats a run. */
  searchRuns(input: SearchRunsInput): Promise<Page<Run>>;
}
