import type { AuditEntry, ModelVersion, RegisteredModel } from "../registry/types.js";

/** MLflow's JSON for registry entities: optional fields are left out when unset, as protobuf JSON does. */

function optional<T>(key: string, value: T | undefined): Record<string, T> {
  return value === undefined ? {} : { [key]: value };
}

export function modelVersionToWire(v: ModelVersion): Record<string, unknown> {
  return {
    name: v.name,
    version: v.version,
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    ...optional("user_id", v.userId),
    current_stage: v.currentStage,
    ...optional("description", v.description),
    source: v.source,
    ...optional("run_id", v.runId),
    status: v.status,
    ...optional("run_link", v.runLink),
    tags: v.tags.map((t) => ({ key: t.key, value: t.value })),
    aliases: [...v.aliases],
  };
}

export function registeredModelToWire(m: RegisteredModel): Record<string, unknown> {
  return {
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
    ...optional("user_id", m.userId),
    ...optional("description", m.description),
    latest_versions: m.latestVersions.map(modelVersionToWire),
    tags: m.tags.map((t) => ({ key: t.key, value: t.value })),
    aliases: m.aliases.map((a) => ({ alias: a.alias, version: a.version })),
  };
}

export function auditEntryToWire(e: AuditEntry): Record<string, unknown> {
  return {
    id: e.id,
    timestamp: e.timestamp,
    actor: e.actor,
    action: e.action,
    name: e.name,
    ...optional("version", e.version),
    ...optional("target", e.target),
    ...optional("from", e.from),
    ...optional("to", e.to),
    ...optional("reverts", e.reverts),
  };
}
