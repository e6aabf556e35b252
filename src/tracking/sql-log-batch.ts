import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { invalidParameter } from "../core/errors.js";
import { CHUNK_POINTS, encodePoints } from "./metric-chunks.js";
import { isNewerMetric, toStoredValue } from "./metric-values.js";
import type { SqlContext } from "./sql-context.js";
import { RUN_NAME_TAG } from "./sql-context.js";
import { dedupeTags } from "./sql-experiments.js";
import { activeRunRow } from "./sql-runs.js";
import type { LogBatchInput } from "./tracking-store.js";
import type { DatasetInput, Metric } from "./types.js";
import { validateBatchSizes, validateDatasetInputs, validateMetric, validateParam, validateTag } from "./validation.js";

function byKey(a: { readonly key: string }, b: { readonly key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Logs params, tags and metrics of one run in one transaction. A param already logged with another value
 * fails the whole batch (MLflow's rule); identical metric points are stored once.
 */
export async function logBatch(ctx: SqlContext, input: LogBatchInput): Promise<void> {
  const metrics = (input.metrics ?? []).map(validateMetric);
  // Sorted by key so that concurrent batches lock rows in the same order (see appendMetricChunks).
  const params = (input.params ?? []).map(validateParam).sort(byKey);
  const tags = dedupeTags((input.tags ?? []).map((t) => validateTag(t))).sort(byKey);
  validateBatchSizes(metrics.length, params, input.tags?.length ?? 0);
  const runId = input.runId;
  if (metrics.length + params.length + tags.length === 0) {
    await activeRunRow(ctx, runId);
    return;
  }
  await ctx.db.transaction().execute(async (trx) => {
    // Checked inside the transaction, so a run deleted meanwhile cannot receive the batch.
    await activeRunRow({ ...ctx, db: trx }, runId);
    if (params.length > 0) {
      await trx
        .insertInto("params")
        .values(params.map((p) => ({ run_id: runId, key: p.key, value: p.value })))
        .onConflict((oc) => oc.columns(["run_id", "key"]).doNothing())
        .execute();
      // Read back after inserting, so that a concurrent writer of the same key is caught as well.
      const stored = await trx.selectFrom("params").select(["key", "value"]).where("run_id", "=", runId).where("key", "in", params.map((p) => p.key)).execute();
      const storedValue = new Map(stored.map((p) => [p.key, p.value]));
      const changed = params.filter((p) => storedValue.get(p.key) !== p.value);
      if (changed.length > 0) {
        const detail = changed.map((p) => `'${p.key}': logged '${storedValue.get(p.key)}', new '${p.value}'`).join("; ");
        throw invalidParameter(`changing param values is not allowed; params were already logged for run '${runId}' with other values (${detail})`);
      }
    }
    for (const tag of tags) {
      await trx
        .insertInto("tags")
        .values({ run_id: runId, key: tag.key, value: tag.value })
        .onConflict((oc) => oc.columns(["run_id", "key"]).doUpdateSet({ value: tag.value }))
        .execute();
      if (tag.key === RUN_NAME_TAG) await trx.updateTable("runs").set({ name: tag.value }).where("run_id", "=", runId).execute();
    }
    if (metrics.length > 0) await insertMetrics({ ...ctx, db: trx }, runId, metrics);
  });
}

/**
 * Appends points to each key's last chunk until it holds CHUNK_POINTS, then starts new chunks. On
 * PostgreSQL the last chunks are locked first, so concurrent batches for the same key never overwrite each
 * other's points; on SQLite the transaction alone serialises writers.
 */
async function appendMetricChunks(ctx: SqlContext, runId: string, metrics: readonly Metric[]): Promise<void> {
  const byKey = new Map<string, Metric[]>();
  for (const m of metrics) {
    const list = byKey.get(m.key);
    if (list) list.push(m);
    else byKey.set(m.key, [m]);
  }
  let tailQuery = ctx.db
    .selectFrom("metric_chunks")
    .select(["chunk_id", "key", "points", "min_step", "max_step", "data"])
    .where("chunk_id", "in", (eb) =>
      eb
        .selectFrom("metric_chunks")
        .select((inner) => inner.fn.max("chunk_id").as("chunk_id"))
        .where("run_id", "=", runId)
        .where("key", "in", [...byKey.keys()])
        .groupBy("key"),
    );
  // Rows are locked in chunk order, and latest values upserted in key order, so that two batches touching the
  // same keys always take their locks in the same order and cannot deadlock.
  tailQuery = tailQuery.orderBy("chunk_id");
  if (ctx.dialect.supportsForUpdate) tailQuery = tailQuery.forUpdate();
  const tails = new Map((await tailQuery.execute()).map((t) => [t.key, t]));
  const newChunks: { run_id: string; key: string; points: number; min_step: number; max_step: number; data: Buffer }[] = [];
  for (const [key, points] of byKey) {
    const tail = tails.get(key);
    const fill = tail ? Math.min(CHUNK_POINTS - tail.points, points.length) : 0;
    if (tail && fill > 0) {
      const added = points.slice(0, fill);
      const [min, max] = stepRange(added);
      await ctx.db
        .updateTable("metric_chunks")
        .set({
          points: tail.points + fill,
          min_step: Math.min(tail.min_step, min),
          max_step: Math.max(tail.max_step, max),
          data: Buffer.concat([tail.data, encodePoints(added)]),
        })
        .where("chunk_id", "=", tail.chunk_id)
        .execute();
    }
    for (let i = fill; i < points.length; i += CHUNK_POINTS) {
      const part = points.slice(i, i + CHUNK_POINTS);
      const [min, max] = stepRange(part);
      newChunks.push({ run_id: runId, key, points: part.length, min_step: min, max_step: max, data: encodePoints(part) });
    }
  }
  if (newChunks.length > 0) await ctx.db.insertInto("metric_chunks").values(newChunks).execute();
}

function stepRange(points: readonly Metric[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    if (p.step < min) min = p.step;
    if (p.step > max) max = p.step;
  }
  return [min, max];
}

async function insertMetrics(ctx: SqlContext, runId: string, metrics: readonly Metric[]): Promise<void> {
  await appendMetricChunks(ctx, runId, metrics);
  // One candidate per key: PostgreSQL refuses an upsert that touches the same row twice in one statement.
  const latest = new Map<string, Metric>();
  for (const m of metrics) {
    const current = latest.get(m.key);
    if (!current || isNewerMetric(m, current)) latest.set(m.key, m);
  }
  const latestRows = [...latest.values()].sort(byKey).map((m) => ({ run_id: runId, key: m.key, step: m.step, timestamp: m.timestamp, ...toStoredValue(m.value) }));
  await ctx.db
    .insertInto("latest_metrics")
    .values(latestRows)
    .onConflict((oc) =>
      oc
        .columns(["run_id", "key"])
        .doUpdateSet((eb) => ({
          step: eb.ref("excluded.step"),
          timestamp: eb.ref("excluded.timestamp"),
          value: eb.ref("excluded.value"),
          is_nan: eb.ref("excluded.is_nan"),
        }))
        .where(
          sql<boolean>`(excluded.step, excluded.timestamp, excluded.is_nan, excluded.value) >= (latest_metrics.step, latest_metrics.timestamp, latest_metrics.is_nan, latest_metrics.value)`,
        ),
    )
    .execute();
}

/** Records dataset inputs of a run; a dataset is stored once per experiment (by name and digest). */
export async function logInputs(ctx: SqlContext, runId: string, datasets: readonly DatasetInput[]): Promise<void> {
  validateDatasetInputs(datasets);
  const run = await activeRunRow(ctx, runId);
  await ctx.db.transaction().execute(async (trx) => {
    for (const input of datasets) {
      const d = input.dataset;
      await trx
        .insertInto("datasets")
        .values({
          dataset_uuid: randomUUID(),
          experiment_id: run.experiment_id,
          name: d.name,
          digest: d.digest,
          source_type: d.sourceType,
          source: d.source,
          schema: d.schema ?? null,
          profile: d.profile ?? null,
        })
        .onConflict((oc) => oc.columns(["experiment_id", "name", "digest"]).doNothing())
        .execute();
      const dataset = await trx
        .selectFrom("datasets")
        .select("dataset_uuid")
        .where("experiment_id", "=", run.experiment_id)
        .where("name", "=", d.name)
        .where("digest", "=", d.digest)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("inputs")
        .values({ input_uuid: randomUUID(), source_type: "DATASET", source_id: dataset.dataset_uuid, destination_type: "RUN", destination_id: runId })
        .onConflict((oc) => oc.columns(["source_type", "source_id", "destination_type", "destination_id"]).doNothing())
        .execute();
      const link = await trx
        .selectFrom("inputs")
        .select("input_uuid")
        .where("source_type", "=", "DATASET")
        .where("source_id", "=", dataset.dataset_uuid)
        .where("destination_type", "=", "RUN")
        .where("destination_id", "=", runId)
        .executeTakeFirstOrThrow();
      for (const tag of dedupeTags(input.tags)) {
        await trx
          .insertInto("input_tags")
          .values({ input_uuid: link.input_uuid, key: tag.key, value: tag.value })
          .onConflict((oc) => oc.columns(["input_uuid", "key"]).doUpdateSet({ value: tag.value }))
          .execute();
      }
    }
  });
}
