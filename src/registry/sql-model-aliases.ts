import type { Kysely } from "kysely";
import { invalidParameter, notFound } from "../core/errors.js";
import { validateAlias } from "../core/model-uri.js";
import type { KeelDatabase } from "../store/schema.js";
import type { Caller, RollbackTarget } from "./registry-store.js";
import { canonicalStage, parseVersion, validateModelName } from "./registry-validation.js";
import { previousHolder, recordAudit } from "./sql-registry-audit.js";
import type { RegistryContext } from "./sql-registry-context.js";
import { inTransaction, touchModel } from "./sql-registry-context.js";
import { getModelVersion, moveToStage } from "./sql-model-versions.js";
import { modelRow, versionRow } from "./sql-registry-rows.js";
import type { AuditEntry, ModelVersion } from "./types.js";

async function aliasVersion(db: Kysely<KeelDatabase>, name: string, alias: string): Promise<number | undefined> {
  const row = await db.selectFrom("model_aliases").select("version").where("name", "=", name).where("alias", "=", alias).executeTakeFirst();
  return row?.version;
}

/** Points the alias at `version` inside `trx` and records the move (as a rollback when `reverts` is given). */
async function moveAlias(
  trx: Kysely<KeelDatabase>,
  caller: Caller,
  now: number,
  move: { name: string; alias: string; version: number; reverts?: number },
): Promise<AuditEntry | undefined> {
  const { name, alias, version } = move;
  const old = await aliasVersion(trx, name, alias);
  if (old === version && move.reverts === undefined) return undefined;
  if (old === undefined) await trx.insertInto("model_aliases").values({ name, alias, version }).execute();
  else await trx.updateTable("model_aliases").set({ version }).where("name", "=", name).where("alias", "=", alias).execute();
  await touchModel(trx, name, now);
  return recordAudit(trx, caller, now, {
    action: move.reverts === undefined ? "set_alias" : "rollback",
    name,
    version,
    target: `alias:${alias}`,
    from: old === undefined ? undefined : String(old),
    to: String(version),
    reverts: move.reverts,
  });
}

export async function setAlias(ctx: RegistryContext, name: string, alias: string, version: string, caller: Caller): Promise<void> {
  validateModelName(name);
  validateAlias(alias);
  const number = parseVersion(version);
  const now = ctx.now();
  await inTransaction(ctx, async (trx) => {
    await modelRow(trx, name, true, ctx);
    await versionRow(trx, name, number);
    await moveAlias(trx, caller, now, { name, alias, version: number });
  });
}

export async function deleteAlias(ctx: RegistryContext, name: string, alias: string, caller: Caller): Promise<void> {
  validateModelName(name);
  validateAlias(alias);
  const now = ctx.now();
  await inTransaction(ctx, async (trx) => {
    await modelRow(trx, name, true, ctx);
    const old = await aliasVersion(trx, name, alias);
    if (old === undefined) return;
    await trx.deleteFrom("model_aliases").where("name", "=", name).where("alias", "=", alias).execute();
    await touchModel(trx, name, now);
    await recordAudit(trx, caller, now, { action: "delete_alias", name, target: `alias:${alias}`, from: String(old) });
  });
}

export async function getModelVersionByAlias(ctx: RegistryContext, name: string, alias: string): Promise<ModelVersion> {
  validateModelName(name);
  await modelRow(ctx.db, name);
  const version = await aliasVersion(ctx.db, name, alias);
  if (version === undefined) {
    throw notFound(`Registered model alias ${alias} not found on model ${name}; set it with \`keel models alias set ${name} ${alias} <version>\``);
  }
  return getModelVersion(ctx, name, String(version));
}

async function currentStageHolder(db: Kysely<KeelDatabase>, name: string, stage: string): Promise<number | undefined> {
  const row = await db
    .selectFrom("model_versions")
    .select((eb) => eb.fn.max("version").as("version"))
    .where("name", "=", name)
    .where("current_stage", "=", stage)
    .executeTakeFirst();
  return row?.version === null || row?.version === undefined ? undefined : Number(row.version);
}

export async function rollback(
  ctx: RegistryContext,
  name: string,
  target: RollbackTarget,
  caller: Caller,
): Promise<{ modelVersion: ModelVersion; entry: AuditEntry }> {
  validateModelName(name);
  const now = ctx.now();
  const { version, entry } = await inTransaction(ctx, async (trx) => {
    await modelRow(trx, name, true, ctx);
    if ("alias" in target) {
      validateAlias(target.alias);
      const holder = await aliasVersion(trx, name, target.alias);
      if (holder === undefined) throw invalidParameter(`No version of ${name} holds alias ${target.alias}; there is nothing to roll back`);
      const found = await previousHolder(trx, name, { target: `alias:${target.alias}` }, holder);
      if (!found) throw invalidParameter(`No earlier version of ${name} held alias ${target.alias} before version ${holder}; there is nothing to roll back to`);
      const moved = await moveAlias(trx, caller, now, { name, alias: target.alias, version: found.previous, reverts: found.undo.id });
      if (!moved) throw new Error("a rollback always records its move");
      return { version: found.previous, entry: moved };
    }
    const stage = canonicalStage(target.stage);
    const holder = await currentStageHolder(trx, name, stage);
    if (holder === undefined) throw invalidParameter(`No version of ${name} is in stage ${stage}; there is nothing to roll back`);
    const found = await previousHolder(trx, name, { target: "stage", to: stage }, holder);
    if (!found) throw invalidParameter(`No earlier version of ${name} was in stage ${stage} before version ${holder}; there is nothing to roll back to`);
    const entry = await moveToStage(trx, caller, now, { name, version: found.previous, stage, archiveExisting: true, reverts: found.undo.id });
    return { version: found.previous, entry };
  });
  const modelVersion = await getModelVersion(ctx, name, String(version));
  return { modelVersion, entry };
}
