import { KeelError } from "../core/errors.js";
import type { Caller, CreateRegisteredModelInput } from "./registry-store.js";
import { canonicalStage, dedupeRegistryTags, validateDescription, validateModelName, validateRegistryTag, validateRegistryTagKey } from "./registry-validation.js";
import type { RegistryContext } from "./sql-registry-context.js";
import { inTransaction } from "./sql-registry-context.js";
import { recordAudit } from "./sql-registry-audit.js";
import { latestVersionRows, loadModels, loadVersions, modelRow } from "./sql-registry-rows.js";
import type { ModelVersion, RegisteredModel, RegistryTag } from "./types.js";

/** Tables keyed by model name, which a rename rewrites and a delete clears. */
const NAMED_TABLES = ["registered_model_tags", "model_versions", "model_version_tags", "model_aliases"] as const;

export async function getRegisteredModel(ctx: RegistryContext, name: string): Promise<RegisteredModel> {
  const row = await modelRow(ctx.db, validateModelName(name));
  const [model] = await loadModels(ctx.db, [row]);
  return model;
}

export async function createRegisteredModel(ctx: RegistryContext, input: CreateRegisteredModelInput, caller: Caller): Promise<RegisteredModel> {
  const name = validateModelName(input.name);
  const description = input.description === undefined ? null : validateDescription(input.description);
  const tags = dedupeRegistryTags(input.tags ?? []);
  const now = ctx.now();
  try {
    await inTransaction(ctx, async (trx) => {
      await trx
        .insertInto("registered_models")
        .values({ name, creation_time: now, last_updated_time: now, description: description || null, user_id: null, next_version: 1 })
        .execute();
      if (tags.length > 0) await trx.insertInto("registered_model_tags").values(tags.map((t) => ({ name, key: t.key, value: t.value }))).execute();
      await recordAudit(trx, caller, now, { action: "create_registered_model", name, target: "name", to: name });
    });
  } catch (error) {
    if (ctx.dialect.isUniqueViolation(error)) {
      throw new KeelError("RESOURCE_ALREADY_EXISTS", `Registered Model (name=${name}) already exists.`);
    }
    throw error;
  }
  return getRegisteredModel(ctx, name);
}

export async function renameRegisteredModel(ctx: RegistryContext, name: string, newName: string, caller: Caller): Promise<RegisteredModel> {
  validateModelName(name);
  validateModelName(newName, "new_name");
  const now = ctx.now();
  try {
    await inTransaction(ctx, async (trx) => {
      await modelRow(trx, name, true, ctx);
      if (name === newName) return;
      await trx.updateTable("registered_models").set({ name: newName, last_updated_time: now }).where("name", "=", name).execute();
      for (const table of NAMED_TABLES) await trx.updateTable(table).set({ name: newName }).where("name", "=", name).execute();
      // The trail follows the model: its history stays readable under the new name, ending in the rename.
      await trx.updateTable("registry_audit").set({ name: newName }).where("name", "=", name).execute();
      await recordAudit(trx, caller, now, { action: "rename_registered_model", name: newName, target: "name", from: name, to: newName });
    });
  } catch (error) {
    if (ctx.dialect.isUniqueViolation(error)) {
      throw new KeelError("RESOURCE_ALREADY_EXISTS", `Registered Model (name=${newName}) already exists.`);
    }
    throw error;
  }
  return getRegisteredModel(ctx, newName);
}

export async function updateRegisteredModel(ctx: RegistryContext, name: string, description: string, caller: Caller): Promise<RegisteredModel> {
  validateModelName(name);
  const text = validateDescription(description);
  const now = ctx.now();
  await inTransaction(ctx, async (trx) => {
    const row = await modelRow(trx, name, true, ctx);
    await trx.updateTable("registered_models").set({ description: text || null, last_updated_time: now }).where("name", "=", name).execute();
    await recordAudit(trx, caller, now, { action: "update_registered_model", name, target: "description", from: row.description ?? undefined, to: text });
  });
  return getRegisteredModel(ctx, name);
}

export async function deleteRegisteredModel(ctx: RegistryContext, name: string, caller: Caller): Promise<void> {
  validateModelName(name);
  const now = ctx.now();
  await inTransaction(ctx, async (trx) => {
    await modelRow(trx, name, true, ctx);
    for (const table of NAMED_TABLES) await trx.deleteFrom(table).where("name", "=", name).execute();
    await trx.deleteFrom("registered_models").where("name", "=", name).execute();
    await recordAudit(trx, caller, now, { action: "delete_registered_model", name, target: "name", from: name });
  });
}

export async function setRegisteredModelTag(ctx: RegistryContext, name: string, tag: RegistryTag, caller: Caller): Promise<void> {
  validateModelName(name);
  const { key, value } = validateRegistryTag(tag);
  const now = ctx.now();
  await inTransaction(ctx, async (trx) => {
    await modelRow(trx, name, true, ctx);
    const old = await trx.selectFrom("registered_model_tags").select("value").where("name", "=", name).where("key", "=", key).executeTakeFirst();
    if (old) await trx.updateTable("registered_model_tags").set({ value }).where("name", "=", name).where("key", "=", key).execute();
    else await trx.insertInto("registered_model_tags").values({ name, key, value }).execute();
    await trx.updateTable("registered_models").set({ last_updated_time: now }).where("name", "=", name).execute();
    await recordAudit(trx, caller, now, { action: "set_registered_model_tag", name, target: `tag:${key}`, from: old?.value, to: value });
  });
}

export async function deleteRegisteredModelTag(ctx: RegistryContext, name: string, key: string, caller: Caller): Promise<void> {
  validateModelName(name);
  validateRegistryTagKey(key);
  const now = ctx.now();
  await inTransaction(ctx, async (trx) => {
    await modelRow(trx, name, true, ctx);
    const old = await trx.selectFrom("registered_model_tags").select("value").where("name", "=", name).where("key", "=", key).executeTakeFirst();
    if (!old) return;
    await trx.deleteFrom("registered_model_tags").where("name", "=", name).where("key", "=", key).execute();
    await recordAudit(trx, caller, now, { action: "delete_registered_model_tag", name, target: `tag:${key}`, from: old.value });
  });
}

export async function getLatestVersions(ctx: RegistryContext, name: string, stages?: readonly string[]): Promise<ModelVersion[]> {
  validateModelName(name);
  const wanted = stages && stages.length > 0 ? [...new Set(stages.map(canonicalStage))] : undefined;
  await modelRow(ctx.db, name);
  return loadVersions(ctx.db, await latestVersionRows(ctx.db, [name], wanted));
}
