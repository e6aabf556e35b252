import type { ActionOutcome, MonitorRun, NewMonitorRun } from "./types.js";

/**
 * Stored monitor runs. Runs are numbered in the order they are recorded; results are kept as given.
 */
export interface MonitorStore {
  /** Records a finished run (its actions come later, through `setActions`) and returns it with its id. */
  recordRun(run: NewMonitorRun): Promise<MonitorRun>;
  /** Replaces the outcomes of the run's alerts and retraining. @throws RESOURCE_DOES_NOT_EXIST for an unknown id. */
  setActions(id: number, actions: readonly ActionOutcome[]): Promise<void>;
  /** A monitor's runs, newest first, at most `limit` (default 20). An unknown monitor has none. */
  history(monitor: string, limit?: number): Promise<MonitorRun[]>;
  /** The newest run of each monitor that has run, by monitor name. */
  latestRuns(): Promise<MonitorRun[]>;
}
