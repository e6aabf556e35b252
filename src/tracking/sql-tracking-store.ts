import type { Database } from "../store/database.js";
import { nowMs } from "../core/time.js";
import type { SqlContext } from "./sql-context.js";
import * as experiments from "./sql-experiments.js";
import { logBatch, logInputs } from "./sql-log-batch.js";
import { getMetricHistoryBulkInterval } from "./metric-history-interval.js";
import { downsampleMetricHistory } from "./metric-downsample.js";
import { getMetricHistory } from "./sql-metric-history.js";
import * as runs from "./sql-runs.js";
import type { TrackingStore } from "./tracking-store.js";

export interface SqlTrackingStoreOptions {
  /** Clock in UTC milliseconds; tests inject one. */
  readonly now?: () => number;
}

/** The tracking store over Keel's SQL database: one implementation for SQLite and PostgreSQL. */
export function createSqlTrackingStore(database: Database, options: SqlTrackingStoreOptions = {}): TrackingStore {
  const ctx: SqlContext = { db: database.db, dialect: database.dialect, now: options.now ?? nowMs };
  return {
    createExperiment: (input) => experiments.createExperiment(ctx, input),
    getExperiment: (id) => experiments.getExperiment(ctx, id),
    getExperimentByName: (name) => experiments.getExperimentByName(ctx, name),
    searchExperiments: (input) => experiments.searchExperiments(ctx, input),
    renameExperiment: (id, name) => experiments.renameExperiment(ctx, id, name),
    deleteExperiment: (id) => experiments.deleteExperiment(ctx, id),
    restoreExperiment: (id) => experiments.restoreExperiment(ctx, id),
    setExperimentTag: (id, tag) => experiments.setExperimentTag(ctx, id, tag),
    deleteExperimentTag: (id, key) => experiments.deleteExperimentTag(ctx, id, key),
    createRun: (input) => runs.createRun(ctx, input),
    getRun: (id) => runs.getRun(ctx, id),
    updateRun: (input) => runs.updateRun(ctx, input),
    deleteRun: (id) => runs.deleteRun(ctx, id),
    restoreRun: (id) => runs.restoreRun(ctx, id),
    logBatch: (input) => logBatch(ctx, input),
    deleteTag: (id, key) => runs.deleteTag(ctx, id, key),
    logInputs: (id, datasets) => logInputs(ctx, id, datasets),
    getMetricHistory: (input) => getMetricHistory(ctx, input),
    getMetricHistoryBulkInterval: (input) => getMetricHistoryBulkInterval(ctx, input),
    downsampleMetricHistory: (input) => downsampleMetricHistory(ctx, input),
    searchRuns: (input) => runs.searchRuns(ctx, input),
  };
}
