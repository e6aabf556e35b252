import { randomUUID } from "node:crypto";

/** A run id as MLflow makes them: a uuid4 as 32 lowercase hex characters. */
export function newRunId(): string {
  return randomUUID().replaceAll("-", "");
}
