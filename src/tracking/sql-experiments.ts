import { KeelError, invalidParameter, notFound } from "../core/errors.js";
import { validateArtifactLocation } from "../artifacts/artifact-location.js";
import type { Selectable } from "kysely";
import type { ExperimentsTable } from "../store/schema.js";
import { toExperiment } from "./row-mappers.js";
import type { SqlContext } from "./sql-context.js";
import type { CreateExperimentInput, SearchExperimentsInput } from "./tracking-store.js";
import { searchExperimentIds } from "./search-experiments-query.js";
import type { Experiment, Page, Tag } from "./types.js";
import { LIMITS, validateExperimentId, validateExperimentName, validateTag } from "./validation.js";

type ExperimentRow = Selectable<ExperimentsTable>;

export const DEFAULT_EXPERIMENT_ID = "0";

/** Where an experiment's runs keep artifacts when it was created without a location: the proxied store. */
export function defaultArtifactLocation(experimentId: string): string {
  return `mlflow-artifacts:/${experimentId}`;
}

export async function createExperiment(ctx: SqlContext, input: CreateExperimentInput): Promise<string> {
  const name = validateExperimentName(input.name);
  const tags = (input.tags ?? []).map((t) => validateTag(t, LIMITS.maxExperimentTagValueLength));
  if (input.artifactLocation) validateArtifactLocation(input.artifactLocation);
  const now = ctx.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("experiments")
        .values({ name, artifact_location: input.artifactLocation ?? "", lifecycle_stage: "active", creation_time: now, last_update_time: now })
        .returning("experiment_id")
        .executeTakeFirstOrThrow();
      const id = String(row.experiment_id);
      if (!input.artifactLocation) {
        await trx.updateTable("experiments").set({ artifact_location: defaultArtifactLocation(id) }).where("experiment_id", "=", row.experiment_id).execute();
      }
      if (tags.length > 0) {
        await trx.insertInto("experiment_tags").values(dedupeTags(tags).map((t) => ({ experiment_id: row.experiment_id, key: t.key, value: t.value }))).execute();
      }
      return id;
    });
  } catch (error) {
    if (ctx.dialect.isUniqueViolation(error)) {
      throw new KeelError("RESOURCE_ALREADY_EXISTS", `experiment '${name}' already exists (a deleted experiment keeps its name until it is purged)`);
    }
    throw error;
  }
}

/** Last value wins for a key repeated in one request, as MLflow's tag semantics say. */
export function dedupeTags(tags: readonly Tag[]): Tag[] {
  return [...new Map(tags.map((t) => [t.key, t])).values()];
}

async function experimentRow(ctx: SqlContext, experimentId: string): Promise<ExperimentRow> {
  validateExperimentId(experimentId);
  const row = await ctx.db.selectFrom("experiments").selectAll().where("experiment_id", "=", Number(experimentId)).executeTakeFirst();
  if (!row) throw notFound(`experiment with id '${experimentId}' does not exist; list experiments with \`keel experiments list\``);
  return row;
}

async function activeExperimentRow(ctx: SqlContext, experimentId: string): Promise<ExperimentRow> {
  const row = await experimentRow(ctx, experimentId);
  if (row.lifecycle_stage !== "active") {
    throw invalidParameter(`experiment '${row.name}' (id ${experimentId}) is deleted; restore it with \`keel experiments restore ${experimentId}\``);
  }
  return row;
}

export async function loadExperiments(ctx: SqlContext, rows: readonly ExperimentRow[]): Promise<Experiment[]> {
  if (rows.length === 0) return [];
  const tags = await ctx.db
    .selectFrom("experiment_tags")
    .select(["experiment_id", "key", "value"])
    .where("experiment_id", "in", rows.map((r) => r.experiment_id))
    .orderBy("key")
    .execute();
  return rows.map((row) =>
    toExperiment(row, tags.filter((t) => t.experiment_id === row.experiment_id).map((t) => ({ key: t.key, value: t.value }))),
  );
}

export async function getExperiment(ctx: SqlContext, experimentId: string): Promise<Experiment> {
  const [experiment] = await loadExperiments(ctx, [await experimentRow(ctx, experimentId)]);
  return experiment;
}

export async function getActiveExperiment(ctx: SqlContext, experimentId: string): Promise<Experiment> {
  const [experiment] = await loadExperiments(ctx, [await activeExperimentRow(ctx, experimentId)]);
  return experiment;
}

export async function getExperimentByName(ctx: SqlContext, name: string): Promise<Experiment> {
  if (typeof name !== "string" || name === "") throw invalidParameter("experiment_name must be a non-empty string");
  const row = await ctx.db.selectFrom("experiments").selectAll().where("name", "=", name).executeTakeFirst();
  if (!row) throw notFound(`experiment '${name}' does not exist; create it with \`keel experiments create ${JSON.stringify(name)}\``);
  const [experiment] = await loadExperiments(ctx, [row]);
  return experiment;
}

export async function searchExperiments(ctx: SqlContext, input: SearchExperimentsInput): Promise<Page<Experiment>> {
  const { experimentIds, nextPageToken } = await searchExperimentIds(ctx.db, ctx.dialect, input);
  if (experimentIds.length === 0) return { items: [], nextPageToken };
  const rows = await ctx.db.selectFrom("experiments").selectAll().where("experiment_id", "in", experimentIds.map(Number)).execute();
  const byId = new Map(rows.map((r) => [String(r.experiment_id), r]));
  const ordered = experimentIds.map((id) => byId.get(id)).filter((r): r is ExperimentRow => r !== undefined);
  return { items: await loadExperiments(ctx, ordered), nextPageToken };
}

export async function renameExperiment(ctx: SqlContext, experimentId: string, newName: string): Promise<void> {
  const name = validateExperimentName(newName);
  await activeExperimentRow(ctx, experimentId);
  try {
    await ctx.db.updateTable("experiments").set({ name, last_update_time: ctx.now() }).where("experiment_id", "=", Number(experimentId)).execute();
  } catch (error) {
    if (ctx.dialect.isUniqueViolation(error)) throw new KeelError("RESOURCE_ALREADY_EXISTS", `experiment '${name}' already exists`);
    throw error;
  }
}

/** Moves the experiment and all its runs to the given lifecycle stage, in one transaction. */
async function setExperimentLifecycle(ctx: SqlContext, experimentId: string, stage: "active" | "deleted"): Promise<void> {
  const now = ctx.now();
  const id = Number(experimentId);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("experiments").set({ lifecycle_stage: stage, last_update_time: now }).where("experiment_id", "=", id).execute();
    await trx
      .updateTable("runs")
      .set({ lifecycle_stage: stage, deleted_time: stage === "deleted" ? now : null })
      .where("experiment_id", "=", id)
      .where("lifecycle_stage", "!=", stage)
      .execute();
  });
}

export async function deleteExperiment(ctx: SqlContext, experimentId: string): Promise<void> {
  const row = await experimentRow(ctx, experimentId);
  if (experimentId === DEFAULT_EXPERIMENT_ID) throw invalidParameter("the Default experiment (id 0) cannot be deleted");
  if (row.lifecycle_stage === "deleted") throw invalidParameter(`experiment '${row.name}' (id ${experimentId}) is already deleted`);
  await setExperimentLifecycle(ctx, experimentId, "deleted");
}

export async function restoreExperiment(ctx: SqlContext, experimentId: string): Promise<void> {
  const row = await experimentRow(ctx, experimentId);
  if (row.lifecycle_stage !== "deleted") throw invalidParameter(`experiment '${row.name}' (id ${experimentId}) is not deleted`);
  await setExperimentLifecycle(ctx, experimentId, "active");
}

export async function setExperimentTag(ctx: SqlContext, experimentId: string, tag: Tag): Promise<void> {
  validateTag(tag, LIMITS.maxExperimentTagValueLength);
  await activeExperimentRow(ctx, experimentId);
  await ctx.db
    .insertInto("experiment_tags")
    .values({ experiment_id: Number(experimentId), key: tag.key, value: tag.value })
    .onConflict((oc) => oc.columns(["experiment_id", "key"]).doUpdateSet({ value: tag.value }))
    .execute();
}

export async function deleteExperimentTag(ctx: SqlContext, experimentId: string, key: string): Promise<void> {
  await activeExperimentRow(ctx, experimentId);
  const result = await ctx.db
    .deleteFrom("experiment_tags")
    .where("experiment_id", "=", Number(experimentId))
    .where("key", "=", key)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound(`no tag '${key}' on experiment ${experimentId}`);
}
