import type { Kysely } from "kysely";
import type { KeelDatabase } from "../store/schema.js";
import type { SqlContext } from "../store/sql-context.js";

/** What the registry needs to know about a run: where its artifacts are. */
export interface RunLookup {
  /** The run's artifact URI, or undefined when no such run exists. */
  runArtifactUri(runId: string): Promise<string | undefined>;
}

export interface RegistryContext extends SqlContext {
  readonly runs: RunLookup;
}

/** Runs `work` in one transaction; the registry's reads-then-writes all go through here. */
export function inTransaction<T>(ctx: RegistryContext, work: (trx: Kysely<KeelDatabase>) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute(work);
}

/** Marks a model as changed now. */
export async function touchModel(db: Kysely<KeelDatabase>, name: string, now: number): Promise<void> {
  await db.updateTable("registered_models").set({ last_updated_time: now }).where("name", "=", name).execute();
}
