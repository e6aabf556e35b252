import { KeelError } from "../core/errors.js";
import type { RunLookup } from "./sql-registry-context.js";

/** The part of the tracking store the registry uses; kept structural so the registry does not import tracking. */
export interface RunSource {
  getRun(runId: string): Promise<{ readonly info: { readonly artifactUri: string } }>;
}

/** Finds runs through the tracking store; a run that does not exist (or an invalid id) is undefined. */
export function trackingRunLookup(tracking: RunSource): RunLookup {
  return {
    async runArtifactUri(runId) {
      try {
        return (await tracking.getRun(runId)).info.artifactUri;
      } catch (error) {
        if (error instanceof KeelError && (error.code === "RESOURCE_DOES_NOT_EXIST" || error.code === "INVALID_PARAMETER_VALUE")) return undefined;
        throw error;
      }
    },
  };
}
