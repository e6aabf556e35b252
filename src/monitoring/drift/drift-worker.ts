/**
 * Worker thread entry of the drift pool: runs each job it is sent and posts its outcome back with the job's id.
 * Column data arrives in SharedArrayBuffers, so a job message costs no copy of the values.
 */
import { parentPort } from "node:worker_threads";
import { runDriftJobSafely } from "./drift-job.js";
import type { DriftJob } from "./drift-job.js";

export interface DriftWorkerRequest {
  readonly id: number;
  readonly job: DriftJob;
}

const port = parentPort;
if (port) {
  port.on("message", ({ id, job }: DriftWorkerRequest) => {
    port.postMessage({ id, outcome: runDriftJobSafely(job) });
  });
}
