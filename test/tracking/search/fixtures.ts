import type { Kysely } from "kysely";
import { expect } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import type { KeelDatabase } from "../../../src/store/schema.js";
import { toStoredValue } from "../../../src/tracking/metric-values.js";

/** A run described literally; rows go straight into the tables, as the SQL store would write them. */
export interface RunFixture {
  readonly id: string;
  readonly experimentId?: number;
  readonly name?: string;
  readonly user?: string;
  readonly status?: string;
  readonly start: number;
  readonly end?: number | null;
  readonly deleted?: boolean;
  readonly metrics?: Readonly<Record<string, number>>;
  readonly params?: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly datasets?: readonly { readonly name: string; readonly digest: string; readonly context?: string }[];
}

export async function insertExperiment(db: Kysely<KeelDatabase>, id: number, name: string, options: { created?: number; updated?: number; deleted?: boolean; tags?: Record<string, string> } = {}): Promise<void> {
  await db
    .insertInto("experiments")
    .values({
      experiment_id: id,
      name,
      artifact_location: `mlflow-artifacts:/${id}`,
      lifecycle_stage: options.deleted ? "deleted" : "active",
      creation_time: options.created ?? 1000 + id,
      last_update_time: options.updated ?? options.created ?? 1000 + id,
    })
    .execute();
  for (const [key, value] of Object.entries(options.tags ?? {})) {
    await db.insertInto("experiment_tags").values({ experiment_id: id, key, value }).execute();
  }
}

/** Inserts the runs and their data, a few statements per call whatever the number of runs. */
export async function insertRuns(db: Kysely<KeelDatabase>, runs: readonly RunFixture[]): Promise<void> {
  const rows = runs.map((run) => {
    const experimentId = run.experimentId ?? 1;
    return {
      run_id: run.id,
      experiment_id: experimentId,
      name: run.name ?? run.id,
      user_id: run.user ?? "ann",
      status: run.status ?? "FINISHED",
      start_time: run.start,
      end_time: run.end ?? null,
      lifecycle_stage: run.deleted ? "deleted" : "active",
      artifact_uri: `mlflow-artifacts:/${experimentId}/${run.id}/artifacts`,
      deleted_time: run.deleted ? run.start : null,
    };
  });
  // Search reads only the latest value of each metric, so the history is left out.
  const metrics = runs.flatMap((run) =>
    Object.entries(run.metrics ?? {}).map(([key, value]) => ({ run_id: run.id, key, step: 0, timestamp: run.start, ...toStoredValue(value) })),
  );
  const params = runs.flatMap((run) => Object.entries(run.params ?? {}).map(([key, value]) => ({ run_id: run.id, key, value })));
  const tags = runs.flatMap((run) => Object.entries(run.tags ?? {}).map(([key, value]) => ({ run_id: run.id, key, value })));
  if (rows.length > 0) await db.insertInto("runs").values(rows).execute();
  if (metrics.length > 0) await db.insertInto("latest_metrics").values(metrics).execute();
  if (params.length > 0) await db.insertInto("params").values(params).execute();
  if (tags.length > 0) await db.insertInto("tags").values(tags).execute();
  for (const run of runs) {
    for (const dataset of run.datasets ?? []) {
      const uuid = `ds-${dataset.name}-${dataset.digest}`;
      const existing = await db.selectFrom("datasets").select("dataset_uuid").where("dataset_uuid", "=", uuid).executeTakeFirst();
      if (!existing) {
        await db
          .insertInto("datasets")
          .values({ dataset_uuid: uuid, experiment_id: run.experimentId ?? 1, name: dataset.name, digest: dataset.digest, source_type: "local", source: "/data", schema: null, profile: null })
          .execute();
      }
      const input = `in-${run.id}-${uuid}`.slice(0, 36);
      await db.insertInto("inputs").values({ input_uuid: input, source_type: "DATASET", source_id: uuid, destination_type: "RUN", destination_id: run.id }).execute();
      if (dataset.context) await db.insertInto("input_tags").values({ input_uuid: input, key: "mlflow.data.context", value: dataset.context }).execute();
    }
  }
}

export async function expectInvalid(promise: Promise<unknown>, message?: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected INVALID_PARAMETER_VALUE").toBeInstanceOf(KeelError);
  expect((error as KeelError).code).toBe("INVALID_PARAMETER_VALUE");
  if (message) expect((error as KeelError).message).toMatch(message);
}

/** A seeded generator, so that randomised fixtures are the same on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}
