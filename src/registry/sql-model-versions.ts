import type { Kysely } from "kysely";
import { invalidParameter, notFound } from "../core/errors.js";
import type { KeelDatabase } from "../store/schema.js";
import { parseModelVersionSource } from "./model-version-source.js";
import type { Caller, CreateModelVersionInput } from "./registry-store.js";
import {
  canonicalStage,
  dedupeRegistryTags,
  parseVersion,
  validateDescription,
  validateModelName,
  validateRegistryTag,
  validateRegistryTagKey,
} from "./registry-validation.js";
import { recordAudit } from "./sql-registry-audit.js";
import type { RegistryContext } from "./sql-registry-context.js";
import { inTransaction, touchModel } from "./sql-registry-context.js";
import { loadVersions, modelRow, versionRow } from "./sql-registry-rows.js";
import type { AuditEntry, ModelVersion, ModelVersionStage, RegistryTag } from "./types.js";

/** Stages that hold at most one version when a transition archives the others. */
const EXCLUSIVE_STAGES: readonly ModelVersionStage[] = ["Staging", "Production"];

export async function getModelVersion(ctx: RegistryContext, name: string, version: string): Promise<ModelVersion> {
  const row = await versionRow(ctx.db, validateModelName(name), parseVersion(version));
  const [loaded] = await loadVersions(ctx.db, [row]);
  return loaded;
}

/**
 * Where a new version's files are, and which run it came from. Runs are looked up through the tracking store
 * before the registry's transaction opens: SQLite has one connection, so a lookup inside it would wait forever.
 */
async function resolveSource(ctx: RegistryContext, input: CreateModelVersionInput): Promise<{ storage?: string; model?: { name: string; version: number }; runId?: string }> {
  const parsed = parseModelVersionSource(input.source);
  const runId = input.runId || undefined;
  if (runId !== undefined && (await ctx.runs.runArtifactUri(runId)) === undefined) {
    throw notFound(`Run with id=${runId} not found; the run_id of a model version must name an existing run`);
  }
  switch (parsed.kind) {
    case "run": {
      if (runId !== undefined && runId !== parsed.runId) {
        throw invalidParameter(`run_id '${runId}' does not match the run of source '${input.source}'; leave run_id out or make them agree`);
      }
      const root = await ctx.runs.runArtifactUri(parsed.runId);
      if (root === undefined) throw notFound(`Run with id=${parsed.runId} not found; cannot register ${input.source}`);
      return { storage: parsed.path === "" ? root : `${root.replace(/\/+$/, "")}/${parsed.path}`, runId: parsed.runId };
    }
    case "model":
      return { model: { name: parsed.name, version: parseVersion(parsed.version) }, runId };
    case "location":
      return { storage: parsed.uri, runId };
  }
}

export async function createModelVersion(ctx: RegistryContext, input: CreateModelVersionInput, caller: Caller): Promise<ModelVersion> {
  const name = validateModelName(input.name);
  const description = input.description ? validateDescription(input.description) : null;
  const tags = dedupeRegistryTags(input.tags ?? []);
  const now = ctx.now();
  const resolved = await resolveSource(ctx, input);
  const version = await inTransaction(ctx, async (trx) => {
    const model = await modelRow(trx, name, true, ctx);
    // A models:/ source copies the storage location (and run) of the version it names.
    const copied = resolved.model ? await versionRow(trx, resolved.model.name, resolved.model.version) : undefined;
    const storage = copied ? copied.storage_location : (resolved.storage as string);
    const runId = resolved.runId ?? copied?.run_id ?? undefined;
    const number = model.next_version;
    await trx.updateTable("registered_models").set({ next_version: number + 1, last_updated_time: now }).where("name", "=", name).execute();
    await trx
      .insertInto("model_versions")
      .values({
        name,
        version: number,
        creation_time: now,
        last_updated_time: now,
        description,
        user_id: null,
        current_stage: "None",
        source: input.source,
        storage_location: storage,
        run_id: runId ?? null,
        run_link: input.runLink || null,
        status: "READY",
      })
      .execute();
    if (tags.length > 0) {
      await trx.insertInto("model_version_tags").values(tags.map((t) => ({ name, version: number, key: t.key, value: t.value }))).execute();
    }
    await recordAudit(trx, caller, now, { action: "create_model_version", name, version: number, target: "source", to: input.source });
    return number;
  });
  return getModelVersion(ctx, name, String(version));
}

export async function updateModelVersion(ctx: RegistryContext, name: string, version: string, description: string, caller: Caller): Promise<ModelVersion> {
  validateModelName(name);
  const number = parseVersion(version);
  const text = validateDescription(description);
  const now = ctx.now();
  await inTransaction(ctx, async (trx) => {
    const row = await versionRow(trx, name, number);
    await trx.updateTable("model_versions").set({ description: text || null, last_updated_time: now }).where("name", "=", name).where("version", "=", number).execute();
    await recordAudit(trx, caller, now, { action: "update_model_version", name, version: number, target: "description", from: row.description ?? undefined, to: text });
  });
  return getModelVersion(ctx, name, version);
}

export async function deleteModelVersion(ctx: RegistryContext, name: string, version: string, caller: Caller): Promise<void> {
  validateModelName(name);
  const number = parseVersion(version);
  const now = ctx.now();
  await inTransaction(ctx, async (trx) => {
    await modelRow(trx, name, true, ctx);
    const row = await versionRow(trx, name, number);
    const aliases = await trx.selectFrom("model_aliases").select("alias").where("name", "=", name).where("version", "=", number).execute();
    await trx.deleteFrom("model_aliases").where("name", "=", name).where("version", "=", number).execute();
    await trx.deleteFrom("model_version_tags").where("name", "=", name).where("version", "=", number).execute();
    await trx.deleteFrom("model_versions").where("name", "=", name).where("version", "=", number).execute();
    await touchModel(trx, name, now);
    for (const { alias } of aliases) {
      await recordAudit(trx, caller, now, { action: "delete_alias", name, target: `alias:${alias}`, from: String(number) });
    }
    await recordAudit(trx, caller, now, { action: "delete_model_version", name, version: number, target: "stage", from: row.current_stage });
  });
}

/**
 * Moves version `number` to `stage` inside `trx`, archiving the other holders of Staging or Production when
 * asked; records one audit entry per version moved. `action` is "rollback" when a rollback does the move.
 */
export async function moveToStage(
  trx: Kysely<KeelDatabase>,
  caller: Caller,
  now: number,
  move: { name: string; version: number; stage: ModelVersionStage; archiveExisting: boolean; reverts?: number },
): Promise<AuditEntry> {
  const { name, version, stage } = move;
  const row = await versionRow(trx, name, version);
  if (move.archiveExisting && EXCLUSIVE_STAGES.includes(stage)) {
    const others = await trx.selectFrom("model_versions").select("version").where("name", "=", name).where("current_stage", "=", stage).where("version", "!=", version).execute();
    for (const other of others) {
      await trx.updateTable("model_versions").set({ current_stage: "Archived", last_updated_time: now }).where("name", "=", name).where("version", "=", other.version).execute();
      await recordAudit(trx, caller, now, { action: "transition_stage", name, version: other.version, target: "stage", from: stage, to: "Archived" });
    }
  }
  await trx.updateTable("model_versions").set({ current_stage: stage, last_updated_time: now }).where("name", "=", name).where("version", "=", version).execute();
  await touchModel(trx, name, now);
  return recordAudit(trx, caller, now, {
    action: move.reverts === undefined ? "transition_stage" : "rollback",
    name,
    version,
    target: "stage",
    from: row.current_stage,
    to: stage,
    reverts: move.reverts,
  });
}

export async function transitionStage(
  ctx: RegistryContext,
  name: string,
  version: string,
  stage: string,
  archiveExisting: boolean,
  caller: Caller,
): Promise<ModelVersion> {
  validateModelName(name);
  const number = parseVersion(version);
  const target = canonicalStage(stage);
  const now = ctx.now();
  await inTransaction(ctx, async (trx) => {
    await modelRow(trx, name, true, ctx);
    await moveToStage(trx, caller, now, { name, version: number, stage: target, archiveExisting });
  });
  return getModelVersion(ctx, name, version);
}

export async function setModelVersionTag(ctx: RegistryContext, name: string, version: string, tag: RegistryTag, caller: Caller): Promise<void> {
  validateModelName(name);
  const number = parseVersion(version);
  const { key, value } = validateRegistryTag(tag);
  const now = ctx.now();
  await inTransaction(ctx, async (trx) => {
    await versionRow(trx, name, number);
    const where = { name, version: number, key };
    const old = await trx.selectFrom("model_version_tags").select("value").where("name", "=", name).where("version", "=", number).where("key", "=", key).executeTakeFirst();
    if (old) await trx.updateTable("model_version_tags").set({ value }).where("name", "=", name).where("version", "=", number).where("key", "=", key).execute();
    else await trx.insertInto("model_version_tags").values({ ...where, value }).execute();
    await recordAudit(trx, caller, now, { action: "set_model_version_tag", name, version: number, target: `tag:${key}`, from: old?.value, to: value });
  });
}

export async function deleteModelVersionTag(ctx: RegistryContext, name: string, version: string, key: string, caller: Caller): Promise<void> {
  validateModelName(name);
  const number = parseVersion(version);
  validateRegistryTagKey(key);
  const now = ctx.now();
  await inTransaction(ctx, async (trx) => {
    await versionRow(trx, name, number);
    const old = await trx.selectFrom("model_version_tags").select("value").where("name", "=", name).where("version", "=", number).where("key", "=", key).executeTakeFirst();
    if (!old) return;
    await trx.deleteFrom("model_version_tags").where("name", "=", name).where("version", "=", number).where("key", "=", key).execute();
    await recordAudit(trx, caller, now, { action: "delete_model_version_tag", name, version: number, target: `tag:${key}`, from: old.value });
  });
}

export async function getModelVersionDownloadUri(ctx: RegistryContext, name: string, version: string): Promise<string> {
  const row = await versionRow(ctx.db, validateModelName(name), parseVersion(version));
  return row.storage_location;
}
