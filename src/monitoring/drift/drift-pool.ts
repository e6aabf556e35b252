/**
 * A small pool of drift worker threads: jobs queue up and go to whichever worker is free (columns differ in
 * size, so a fixed split would leave one thread idle), and each result comes back to the job's own promise.
 */
import type { Worker } from "node:worker_threads";
import { KeelError } from "../../core/errors.js";
import { startModuleWorker } from "../../core/module-worker.js";
import { outcomeError } from "./drift-job.js";
import type { DriftJob, DriftJobOutcome, DriftJobValue } from "./drift-job.js";
import type { DriftWorkerRequest } from "./drift-worker.js";

export interface DriftPool {
  readonly threads: number;
  /** Runs one job on the next free worker; rejects with the job's KeelError, or INTERNAL_ERROR if a worker dies. */
  run<J extends DriftJob>(job: J): Promise<DriftJobValue<J>>;
  /** Terminates the workers; jobs still queued or running reject. */
  close(): Promise<void>;
}

interface Pending {
  readonly request: DriftWorkerRequest;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Starts `threads` workers (from dist, or from source under vitest/tsx). The caller owns the pool and must
 * close() it, or the workers keep the process alive.
 * @example
 * const pool = createDriftPool(2);
 * try { await Promise.all(jobs.map((job) => pool.run(job))); } finally { await pool.close(); }
 */
export function createDriftPool(threads: number): DriftPool {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `a drift pool needs a whole number of threads >= 1, got ${threads}`);
  }
  const queue: Pending[] = [];
  const running = new Map<Worker, Pending>();
  const idle: Worker[] = [];
  let nextId = 0;
  let failure: Error | undefined;

  const dispatch = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop() as Worker;
      const pending = queue.shift() as Pending;
      running.set(worker, pending);
      worker.postMessage(pending.request);
    }
  };
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const pending of [...queue, ...running.values()]) pending.reject(error);
    queue.length = 0;
    running.clear();
  };

  const workers = Array.from({ length: threads }, () => {
    const worker = startModuleWorker("drift-worker", import.meta.url, null);
    worker.on("message", ({ outcome }: { id: number; outcome: DriftJobOutcome }) => {
      const pending = running.get(worker);
      running.delete(worker);
      idle.push(worker);
      if (pending) {
        if (outcome.ok) pending.resolve(outcome.value);
        else pending.reject(outcomeError(outcome));
      }
      dispatch();
    });
    worker.on("error", (error) => failAll(new KeelError("INTERNAL_ERROR", `a drift worker failed: ${error.message}`, { cause: error })));
    worker.on("exit", (code) => {
      if (failure === undefined) failAll(new KeelError("INTERNAL_ERROR", `a drift worker exited with code ${code} while the pool was open`));
    });
    idle.push(worker);
    return worker;
  });

  return {
    threads,
    run<J extends DriftJob>(job: J): Promise<DriftJobValue<J>> {
      if (failure) return Promise.reject(failure);
      return new Promise<DriftJobValue<J>>((resolve, reject) => {
        queue.push({ request: { id: nextId++, job }, resolve: resolve as (value: unknown) => void, reject });
        dispatch();
      });
    },
    async close() {
      failAll(new KeelError("INVALID_STATE", "the drift pool was closed before this job finished"));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
