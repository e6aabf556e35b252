/**
 * Runs monitors on their cron schedules inside `keel server`. A run still going when its next time comes is
 * not started twice (croner's `protect`), and `stop` waits for runs in flight so their results are stored.
 */
import { Cron } from "croner";
import type { Logger } from "../../core/log.js";
import type { MonitorRun, MonitorSpec } from "./types.js";

export interface MonitorScheduler {
  /** Names of the monitors that have a schedule, with their next run time (UTC milliseconds). */
  scheduled(): { readonly monitor: string; readonly next: number | null }[];
  stop(): Promise<void>;
}

export function scheduleMonitors(monitors: readonly MonitorSpec[], run: (spec: MonitorSpec) => Promise<MonitorRun>, logger: Logger): MonitorScheduler {
  const inFlight = new Set<Promise<unknown>>();
  const jobs = monitors
    .filter((m) => m.schedule)
    .map((spec) => ({
      spec,
      job: new Cron(spec.schedule as string, { protect: true, timezone: "UTC" }, async () => {
        const task = run(spec).catch((error: unknown) =>
          logger.error("scheduled monitor run could not be stored", { monitor: spec.name, error: error instanceof Error ? error.message : String(error) }),
        );
        inFlight.add(task);
        try {
          await task;
        } finally {
          inFlight.delete(task);
        }
      }),
    }));
  return {
    scheduled: () => jobs.map(({ spec, job }) => ({ monitor: spec.name, next: job.nextRun()?.getTime() ?? null })),
    async stop() {
      for (const { job } of jobs) job.stop();
      await Promise.all(inFlight);
    },
  };
}
