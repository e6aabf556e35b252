/**
 * The main thread's side of a compute worker that takes jobs through a shared Int32Array: the job counter,
 * the last job done, an exit flag and a failed flag, each in a slot the worker knows. Both sides spin
 * briefly before sleeping, as OpenMP threads do: jobs follow each other within a fraction of a
 * millisecond, and waking a sleeping thread can take longer than the job.
 */
import { Worker } from "node:worker_threads";
import { KeelError } from "./errors.js";

/** How long either side spins before it sleeps. */
export const SPIN_MS = 2;
const WAIT_LIMIT_MS = 120_000;

export interface ControlSlots {
  readonly job: number;
  readonly done: number;
  readonly exit: number;
  readonly failed: number;
}

export interface SpinHandoff {
  /** Hands the worker the next job (its inputs must be in shared memory already). */
  start(): void;
  /** Blocks until the job started last is done; throws if the worker failed or stopped answering. */
  wait(): void;
  /** Tells the worker to leave its loop and terminates it. */
  close(): Promise<void>;
}

/**
 * Starts a worker from `source` (eval'd CommonJS that posts one message when ready), or resolves null if it
 * fails to start. The worker is unref'd: it never keeps a finished process alive.
 */
export async function startEvalWorker(source: string, workerData: unknown): Promise<Worker | null> {
  const worker = new Worker(source, { eval: true, workerData });
  const ready = await new Promise<boolean>((resolve) => {
    worker.once("message", () => resolve(true));
    worker.once("error", () => resolve(false));
    worker.once("exit", () => resolve(false));
  });
  if (!ready) {
    await worker.terminate();
    return null;
  }
  worker.unref();
  return worker;
}

/** The hand-off over `control` with `worker`; `what` names the worker in errors ("the histogram worker thread"). */
export function createSpinHandoff(worker: Worker, control: Int32Array, slots: ControlSlots, what: string): SpinHandoff {
  let job = 0;
  return {
    start() {
      job++;
      Atomics.store(control, slots.job, job);
      Atomics.notify(control, slots.job);
    },
    wait() {
      const spinUntil = performance.now() + SPIN_MS;
      while (Atomics.load(control, slots.done) !== job && performance.now() < spinUntil);
      const deadline = Date.now() + WAIT_LIMIT_MS;
      while (Atomics.load(control, slots.done) !== job) {
        Atomics.wait(control, slots.done, Atomics.load(control, slots.done), 1000);
        if (Date.now() > deadline) throw new KeelError("INTERNAL_ERROR", `${what} stopped answering; retry the fit`);
      }
      if (Atomics.load(control, slots.failed) === 1) throw new KeelError("INTERNAL_ERROR", `${what} failed; retry the fit`);
    },
    async close() {
      Atomics.store(control, slots.exit, 1);
      Atomics.store(control, slots.job, job + 1);
      Atomics.notify(control, slots.job);
      await worker.terminate();
    },
  };
}
