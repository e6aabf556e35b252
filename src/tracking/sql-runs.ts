import { invalidParameter, notFound } from "../core/errors.js";
import { newRunId } from "../core/ids.js";
import type { RunsTable } from "../store/schema.js";
import { groupByRun, toMetric, toRunInfo } from "./row-mappers.js";
import { randomRunName } from "./run-names.js";
import type { SqlContext } from "./sql-context.js";
import { RUN_NAME_TAG, USER_TAG } from "./sql-context.js";
import { dedupeTags, getActiveExperiment } from "./sql-experiments.js";
import { searchRunIds } from "./search-runs-query.js";
import type { CreateRunInput, SearchRunsInput, UpdateRunInput } from "./tracking-store.js";
import type { DatasetInput, Page, Run, RunInfo } from "./types.js";
import { RUN_STATUSES } from "./types.js";
import { validateRunId, validateRunName, validateTag } from "./validation.js";

export async function runRow(ctx: SqlContext, runId: string): Promise<RunsTable> {
  validateRunId(runId);
  const row = await ctx.db.selectFrom("runs").selectAll().where("run_id", "=", runId).executeTakeFirst();
  if (!row) throw notFound(`run '${runId}' does not exist; list runs with \`keel runs list\``);
  return row;
}

export async function activeRunRow(ctx: SqlContext, runId: string): Promise<RunsTable> {
  const row = await runRow(ctx, runId);
  if (row.lifecycle_stage !== "active") {
    throw invalidParameter(`run '${runId}' is deleted; it must be active to change it (restore it with runs/restore)`);
  }
  return row;
}

export async function createRun(ctx: SqlContext, input: CreateRunInput): Promise<Run> {
  const experiment = await getActiveExperiment(ctx, input.experimentId);
  const tags = dedupeTags((input.tags ?? []).map((t) => validateTag(t)));
  const taggedName = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
  if (input.runName && taggedName !== undefined && input.runName !== taggedName) {
    throw invalidParameter(`run_name '${input.runName}' and tag ${RUN_NAME_TAG} '${taggedName}' disagree; give one of them`);
  }
  const name = validateRunName(input.runName || taggedName || randomRunName());
  const userId = input.userId ?? tags.find((t) => t.key === USER_TAG)?.value ?? "";
  const runId = newRunId();
  const startTime = input.startTime ?? ctx.now();
  const allTags = dedupeTags([...tags, { key: RUN_NAME_TAG, value: name }]);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("runs")
      .values({
        run_id: runId,
        experiment_id: Number(experiment.experimentId),
        name,
        user_id: userId,
        status: "RUNNING",
        start_time: startTime,
        end_time: null,
        lifecycle_stage: "active",
        artifact_uri: `${experiment.artifactLocation}/${runId}/artifacts`,
        deleted_time: null,
      })
      .execute();
    await trx.insertInto("tags").values(allTags.map((t) => ({ run_id: runId, key: t.key, value: t.value }))).execute();
  });
  return getRun(ctx, runId);
}

const LOAD_CHUNK = 5000;

/** Loads whole runs for the given ids, in the given order; ids with no run are left out. */
export async function loadRuns(ctx: SqlContext, runIds: readonly string[]): Promise<Run[]> {
  if (runIds.length === 0) return [];
  // A page may hold 50,000 runs; keep each IN list well under SQLite's bound-parameter limit.
  if (runIds.length > LOAD_CHUNK) {
    const runs: Run[] = [];
    for (let i = 0; i < runIds.length; i += LOAD_CHUNK) runs.push(...(await loadRuns(ctx, runIds.slice(i, i + LOAD_CHUNK))));
    return runs;
  }
  const ids = [...runIds];
  const [runRows, metricRows, paramRows, tagRows, inputs] = await Promise.all([
    ctx.db.selectFrom("runs").selectAll().where("run_id", "in", ids).execute(),
    ctx.db.selectFrom("latest_metrics").selectAll().where("run_id", "in", ids).orderBy("key").execute(),
    ctx.db.selectFrom("params").selectAll().where("run_id", "in", ids).orderBy("key").execute(),
    ctx.db.selectFrom("tags").selectAll().where("run_id", "in", ids).orderBy("key").execute(),
    loadDatasetInputs(ctx, ids),
  ]);
  const metrics = groupByRun(metricRows);
  const params = groupByRun(paramRows);
  const tags = groupByRun(tagRows);
  const byId = new Map(runRows.map((r) => [r.run_id, r]));
  const runs: Run[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) continue;
    runs.push({
      info: toRunInfo(row),
      data: {
        metrics: (metrics.get(id) ?? []).map(toMetric),
        params: (params.get(id) ?? []).map((p) => ({ key: p.key, value: p.value })),
        tags: (tags.get(id) ?? []).map((t) => ({ key: t.key, value: t.value })),
      },
      inputs: { datasetInputs: inputs.get(id) ?? [] },
    });
  }
  return runs;
}

async function loadDatasetInputs(ctx: SqlContext, runIds: string[]): Promise<Map<string, DatasetInput[]>> {
  const rows = await ctx.db
    .selectFrom("inputs")
    .innerJoin("datasets", "datasets.dataset_uuid", "inputs.source_id")
    .select([
      "inputs.destination_id as run_id",
      "inputs.input_uuid",
      "datasets.name",
      "datasets.digest",
      "datasets.source_type",
      "datasets.source",
      "datasets.schema",
      "datasets.profile",
    ])
    .where("inputs.destination_type", "=", "RUN")
    .where("inputs.destination_id", "in", runIds)
    .orderBy("datasets.name")
    .execute();
  const result = new Map<string, DatasetInput[]>();
  if (rows.length === 0) return result;
  const tagRows = await ctx.db
    .selectFrom("input_tags")
    .selectAll()
    .where("input_uuid", "in", rows.map((r) => r.input_uuid))
    .orderBy("key")
    .execute();
  for (const row of rows) {
    const input: DatasetInput = {
      tags: tagRows.filter((t) => t.input_uuid === row.input_uuid).map((t) => ({ key: t.key, value: t.value })),
      dataset: {
        name: row.name,
        digest: row.digest,
        sourceType: row.source_type,
        source: row.source,
        ...(row.schema !== null ? { schema: row.schema } : {}),
        ...(row.profile !== null ? { profile: row.profile } : {}),
      },
    };
    const list = result.get(row.run_id);
    if (list) list.push(input);
    else result.set(row.run_id, [input]);
  }
  return result;
}

export async function getRun(ctx: SqlContext, runId: string): Promise<Run> {
  const [run] = await loadRuns(ctx, [validateRunId(runId)]);
  if (!run) throw notFound(`run '${runId}' does not exist; list runs with \`keel runs list\``);
  return run;
}

export async function updateRun(ctx: SqlContext, input: UpdateRunInput): Promise<RunInfo> {
  const row = await activeRunRow(ctx, input.runId);
  if (input.status !== undefined && !RUN_STATUSES.includes(input.status)) {
    throw invalidParameter(`invalid run status '${String(input.status)}'; use one of ${RUN_STATUSES.join(", ")}`);
  }
  if (input.endTime !== undefined && (!Number.isSafeInteger(input.endTime) || input.endTime < 0)) {
    throw invalidParameter(`end_time must be a non-negative integer of milliseconds, got ${String(input.endTime)}`);
  }
  const name = input.runName ? validateRunName(input.runName) : undefined;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("runs")
      .set({
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.endTime !== undefined ? { end_time: input.endTime } : {}),
        ...(name !== undefined ? { name } : {}),
      })
      .where("run_id", "=", row.run_id)
      .execute();
    if (name !== undefined) {
      await trx
        .insertInto("tags")
        .values({ run_id: row.run_id, key: RUN_NAME_TAG, value: name })
        .onConflict((oc) => oc.columns(["run_id", "key"]).doUpdateSet({ value: name }))
        .execute();
    }
  });
  return toRunInfo(await runRow(ctx, row.run_id));
}

export async function deleteRun(ctx: SqlContext, runId: string): Promise<void> {
  await runRow(ctx, runId);
  await ctx.db.updateTable("runs").set({ lifecycle_stage: "deleted", deleted_time: ctx.now() }).where("run_id", "=", runId).execute();
}

export async function restoreRun(ctx: SqlContext, runId: string): Promise<void> {
  const row = await runRow(ctx, runId);
  const experiment = await ctx.db.selectFrom("experiments").select("lifecycle_stage").where("experiment_id", "=", row.experiment_id).executeTakeFirst();
  if (experiment?.lifecycle_stage === "deleted") {
    throw invalidParameter(`run '${runId}' belongs to deleted experiment ${row.experiment_id}; restore the experiment first`);
  }
  await ctx.db.updateTable("runs").set({ lifecycle_stage: "active", deleted_time: null }).where("run_id", "=", runId).execute();
}

export async function deleteTag(ctx: SqlContext, runId: string, key: string): Promise<void> {
  await activeRunRow(ctx, runId);
  const result = await ctx.db.deleteFrom("tags").where("run_id", "=", runId).where("key", "=", key).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound(`no tag '${key}' on run '${runId}'`);
}

export async function searchRuns(ctx: SqlContext, input: SearchRunsInput): Promise<Page<Run>> {
  const { runIds, nextPageToken } = await searchRunIds(ctx.db, ctx.dialect, input);
  return { items: await loadRuns(ctx, runIds), nextPageToken };
}
