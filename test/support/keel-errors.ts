import { KeelError } from "../../src/core/errors.js";

/** The KeelError `run` throws; fails the test if it throws something else or nothing. */
export function refusal(run: () => unknown): KeelError {
  try {
    run();
  } catch (error) {
    if (error instanceof KeelError) return error;
    throw error;
  }
  throw new Error("expected a KeelError, but the call succeeded");
}

/** The KeelError `promise` rejects with; fails the test if it rejects with something else or resolves. */
export async function rejection(promise: Promise<unknown>): Promise<KeelError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeelError) return error;
    throw error;
  }
  throw new Error("expected a KeelError, but the call succeeded");
}
