import type {
  DatasetInput,
  Experiment,
  Metric,
  MetricWithRunId,
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

export interface MetricHistoryIntervalInput {
  /** 1 to 100 runs; answers come in this order. */
  readonly runIds: readonly string[];
  readonly key: string;
  /** Inclusive step bounds; give both or neither (then 0 to the largest logged step, as MLflow does). */
  readonly startStep?: number;
  readonly endStep?: number;
  /** Steps to sample, 1 to 2500 (default 2500). */
  readonly maxResults?: number;
}

/** What a downsampled series' x values are: the step, the wall clock (UTC ms) or ms since the run started. */
export type DownsampleAxis = "step" | "wall" | "relative";

export interface DownsampleInput {
  /** 1 to 100 runs; one series each, in this order. */
  readonly runIds: readonly string[];
  readonly key: string;
  /** Pixel buckets across the x range, 1 to 10,000 (default 1000). */
  readonly buckets?: number;
  readonly axis?: DownsampleAxis;
  /** Inclusive step bounds of the points considered; either may be omitted. */
  readonly startStep?: number;
  readonly endStep?: number;
}

/** One run's downsampled points, in ascending x, as columns. */
export interface DownsampledSeries {
  readonly runId: string;
  /** Points of the key within the step range, before downsampling. */
  readonly rangePoints: number;
  readonly x: Float64Array;
  /** Values; NaN where the kept first or last point's value is NaN. */
  readonly y: Float64Array;
  readonly steps: Float64Array;
}

export interface DownsampledHistory {
  readonly key: string;
  readonly axis: DownsampleAxis;
  readonly buckets: number;
  /** The x range all series were bucketed over (shared, so one chart's pixels line up); NaN when no point. */
  readonly xMin: number;
  readonly xMax: number;
  readonly series: readonly DownsampledSeries[];
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
  /**
   * MLflow's GetMetricHistoryBulkInterval: the union of the runs' steps in range is sampled evenly down to
   * `maxResults` steps (the last step, and each run's first and last step, always kept); every point at a
   * sampled step comes back, grouped by run in input order, then by step, timestamp and value.
   */
  getMetricHistoryBulkInterval(input: MetricHistoryIntervalInput): Promise<readonly MetricWithRunId[]>;
  /** Per-pixel-bucket min/max downsampling for charts; see metric-downsample.ts for what is kept. */
  downsampleMetricHistory(input: DownsampleInput): Promise<DownsampledHistory>;
  /** Filter and order compile to SQL; the page token never skips or repeats a run. */
  searchRuns(input: SearchRunsInput): Promise<Page<Run>>;
}
