/**
 * Reading registry rows back as entities: a page of models with their tags, aliases and latest version per
 * stage, or a page of versions with their tags and aliases, each in a fixed number of queries.
 */
import type { Kysely, Selectable } from "kysely";
import { notFound } from "../core/errors.js";
import type { KeelDatabase, ModelVersionsTable, RegisteredModelsTable } from "../store/schema.js";
import type { SqlContext } from "../store/sql-context.js";
import type { ModelVersion, ModelVersionStage, RegisteredModel } from "./types.js";

export type ModelRow = Selectable<RegisteredModelsTable>;
export type VersionRow = Selectable<ModelVersionsTable>;

export function missingModel(name: string): Error {
  return notFound(`Registered Model with name=${name} not found; list models with \`keel models list\``);
}

export function missingVersion(name: string, version: number | string): Error {
  return notFound(`Model Version (name=${name}, version=${version}) not found; list versions with \`keel models versions ${name}\``);
}

export async function modelRow(db: Kysely<KeelDatabase>, name: string, forUpdate = false, ctx?: SqlContext): Promise<ModelRow> {
  let query = db.selectFrom("registered_models").selectAll().where("name", "=", name);
  if (forUpdate && ctx?.dialect.supportsForUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw missingModel(name);
  return row;
}

export async function versionRow(db: Kysely<KeelDatabase>, name: string, version: number): Promise<VersionRow> {
  const row = await db.selectFrom("model_versions").selectAll().where("name", "=", name).where("version", "=", version).executeTakeFirst();
  if (!row) throw missingVersion(name, version);
  return row;
}

function group<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Rows per batch of tag and alias lookups: two IN lists of this size stay far below SQLite's 32,000 parameters. */
const LOAD_BATCH = 5000;

/** Versions as entities, in the order given, with tags (by key) and aliases (by name). */
export async function loadVersions(db: Kysely<KeelDatabase>, rows: readonly VersionRow[]): Promise<ModelVersion[]> {
  if (rows.length <= LOAD_BATCH) return loadVersionBatch(db, rows);
  const loaded: ModelVersion[] = [];
  for (let i = 0; i < rows.length; i += LOAD_BATCH) loaded.push(...(await loadVersionBatch(db, rows.slice(i, i + LOAD_BATCH))));
  return loaded;
}

async function loadVersionBatch(db: Kysely<KeelDatabase>, rows: readonly VersionRow[]): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const names = [...new Set(rows.map((r) => r.name))];
  // Names and version numbers bound the rows read; the exact (name, version) pairs are matched below.
  const versions = [...new Set(rows.map((r) => r.version))];
  const [tags, aliases] = await Promise.all([
    db.selectFrom("model_version_tags").selectAll().where("name", "in", names).where("version", "in", versions).orderBy("key").execute(),
    db.selectFrom("model_aliases").selectAll().where("name", "in", names).where("version", "in", versions).orderBy("alias").execute(),
  ]);
  const tagsOf = group(tags, (t) => `${t.name}\u0000${t.version}`);
  const aliasesOf = group(aliases, (a) => `${a.name}\u0000${a.version}`);
  return rows.map((row) => {
    const id = `${row.name}\u0000${row.version}`;
    return {
      name: row.name,
      version: String(row.version),
      creationTimestamp: Number(row.creation_time),
      lastUpdatedTimestamp: Number(row.last_updated_time),
      userId: row.user_id ?? undefined,
      currentStage: row.current_stage as ModelVersionStage,
      description: row.description ?? undefined,
      source: row.source,
      storageLocation: row.storage_location,
      runId: row.run_id ?? undefined,
      runLink: row.run_link ?? undefined,
      status: "READY",
      tags: (tagsOf.get(id) ?? []).map((t) => ({ key: t.key, value: t.value })),
      aliases: (aliasesOf.get(id) ?? []).map((a) => a.alias),
    };
  });
}

/** The newest version in each stage of each model, optionally only in `stages`. */
export async function latestVersionRows(db: Kysely<KeelDatabase>, names: readonly string[], stages?: readonly string[]): Promise<VersionRow[]> {
  if (names.length === 0) return [];
  let newest = db
    .selectFrom("model_versions")
    .select(["name", "current_stage"])
    .select((eb) => eb.fn.max("version").as("version"))
    .where("name", "in", names)
    .groupBy(["name", "current_stage"]);
  if (stages) newest = newest.where("current_stage", "in", stages);
  const keys = await newest.execute();
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom("model_versions")
    .selectAll()
    .where("name", "in", names)
    .where("version", "in", [...new Set(keys.map((k) => Number(k.version)))])
    .execute();
  const wanted = new Set(keys.map((k) => `${k.name}\u0000${Number(k.version)}`));
  return rows.filter((r) => wanted.has(`${r.name}\u0000${r.version}`)).sort((a, b) => a.version - b.version);
}

/** Models as entities, in the order given. */
export async function loadModels(db: Kysely<KeelDatabase>, rows: readonly ModelRow[]): Promise<RegisteredModel[]> {
  if (rows.length === 0) return [];
  const names = rows.map((r) => r.name);
  const [tags, aliases, latestRows] = await Promise.all([
    db.selectFrom("registered_model_tags").selectAll().where("name", "in", names).orderBy("key").execute(),
    db.selectFrom("model_aliases").selectAll().where("name", "in", names).orderBy("alias").execute(),
    latestVersionRows(db, names),
  ]);
  const latest = group(await loadVersions(db, latestRows), (v) => v.name);
  const tagsOf = group(tags, (t) => t.name);
  const aliasesOf = group(aliases, (a) => a.name);
  return rows.map((row) => ({
    name: row.name,
    creationTimestamp: Number(row.creation_time),
    lastUpdatedTimestamp: Number(row.last_updated_time),
    userId: row.user_id ?? undefined,
    description: row.description ?? undefined,
    latestVersions: latest.get(row.name) ?? [],
    tags: (tagsOf.get(row.name) ?? []).map((t) => ({ key: t.key, value: t.value })),
    aliases: (aliasesOf.get(row.name) ?? []).map((a) => ({ alias: a.alias, version: String(a.version) })),
  }));
}
