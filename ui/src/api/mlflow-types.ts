/** The MLflow wire shapes the runs pages read (snake_case, as the tracking server sends them). */

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** A metric's value is a number, or "NaN" / "Infinity" / "-Infinity" as MLflow's protobuf JSON writes them. */
export interface WireMetric {
  readonly key: string;
  readonly value: number | string;
  readonly timestamp: number;
  readonly step: number;
}

export interface RunInfo {
  readonly run_id: string;
  readonly run_name?: string;
  readonly experiment_id: string;
  readonly user_id?: string;
  readonly status: string;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly artifact_uri: string;
  readonly lifecycle_stage: string;
}

export interface DatasetInput {
  readonly tags?: readonly KeyValue[];
  readonly dataset: { readonly name: string; readonly digest: string; readonly source_type: string; readonly source: string; readonly schema?: string };
}

export interface Run {
  readonly info: RunInfo;
  readonly data: { readonly metrics?: readonly WireMetric[]; readonly params?: readonly KeyValue[]; readonly tags?: readonly KeyValue[] };
  readonly inputs?: { readonly dataset_inputs?: readonly DatasetInput[] };
}

export interface SearchRunsResponse {
  readonly runs?: readonly Run[];
  readonly next_page_token?: string;
}

export interface FileInfo {
  readonly path: string;
  readonly is_dir: boolean;
  readonly file_size?: number;
}

/** GET /keel/metrics/downsampled: per-bucket min/max points of each run's series, columnar. */
export interface DownsampledResponse {
  readonly metric_key: string;
  readonly x_axis: "step" | "wall" | "relative";
  readonly buckets: number;
  readonly x_min: number | null;
  readonly x_max: number | null;
  readonly series: readonly { readonly run_id: string; readonly range_points: number; readonly x: number[]; readonly y: (number | null)[]; readonly step: number[] }[];
}

/** The number a wire metric value stands for. */
export function metricNumber(value: number | string): number {
  return typeof value === "number" ? value : Number(value);
}
