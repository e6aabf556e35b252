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
