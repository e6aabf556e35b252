import type { Selectable } from "kysely";
import type { ExperimentsTable, RunsTable } from "../store/schema.js";
import { fromStoredValue } from "./metric-values.js";
import type { Experiment, LifecycleStage, Metric, RunInfo, RunStatus, Tag } from "./types.js";

export function toExperiment(row: Selectable<ExperimentsTable>, tags: readonly Tag[]): Experiment {
  return {
    experimentId: String(row.experiment_id),
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    creationTime: row.creation_time,
    lastUpdateTime: row.last_update_time,
    tags,
  };
}

export function toRunInfo(row: RunsTable): RunInfo {
  return {
    runId: row.run_id,
    experimentId: String(row.experiment_id),
    runName: row.name,
    userId: row.user_id,
    status: row.status as RunStatus,
    startTime: row.start_time,
    endTime: row.end_time,
    artifactUri: row.artifact_uri,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
  };
}

export function toMetric(row: { key: string; value: number; is_nan: number; timestamp: number; step: number }): Metric {
  return { key: row.key, value: fromStoredValue(row), timestamp: row.timestamp, step: row.step };
}

/** Groups rows that carry a `run_id` by it, keeping order. */
export function groupByRun<T extends { run_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.run_id);
    if (list) list.push(row);
    else groups.set(row.run_id, [row]);
  }
  return groups;
}
