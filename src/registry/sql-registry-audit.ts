/**
 * The registry's audit trail: one row per mutation, written in the mutation's own transaction so that no
 * change is ever recorded without happening or happens without being recorded. Rollback reads it back.
 */
import type { Kysely, Selectable } from "kysely";
import type { KeelDatabase, RegistryAuditTable } from "../store/schema.js";
import type { PageLimits } from "../store/page-token.js";
import { decodePageToken, encodePageToken, orderSignature, pageSize } from "../store/page-token.js";
import type { AuditQuery, Caller } from "./registry-store.js";
import type { AuditAction, AuditEntry, RegistryPage } from "./types.js";

const AUDIT_PAGE_LIMITS: PageLimits = { defaultSize: 100, maxSize: 1000 };
const AUDIT_SIGNATURE = orderSignature(["registry-audit", "audit_id:desc"]);

export interface AuditChange {
  readonly action: AuditAction;
  readonly name: string;
  readonly version?: number;
  readonly target?: string;
  readonly from?: string;
  readonly to?: string;
  readonly reverts?: number;
}

type AuditRow = Selectable<RegistryAuditTable>;

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.audit_id),
    timestamp: Number(row.timestamp),
    actor: row.actor,
    action: row.action as AuditAction,
    name: row.name,
    version: row.version === null ? undefined : String(row.version),
    target: row.target ?? undefined,
    from: row.from_value ?? undefined,
    to: row.to_value ?? undefined,
    reverts: row.reverts === null ? undefined : Number(row.reverts),
  };
}

/** Appends one entry; call it inside the transaction that makes the change. */
export async function recordAudit(db: Kysely<KeelDatabase>, caller: Caller, now: number, change: AuditChange): Promise<AuditEntry> {
  const row = await db
    .insertInto("registry_audit")
    .values({
      timestamp: now,
      actor: caller.actor,
      action: change.action,
      name: change.name,
      version: change.version ?? null,
      target: change.target ?? null,
      from_value: change.from ?? null,
      to_value: change.to ?? null,
      reverts: change.reverts ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toEntry(row);
}

/** Entries newest first, paged by id. */
export async function listAudit(db: Kysely<KeelDatabase>, query: AuditQuery): Promise<RegistryPage<AuditEntry>> {
  const size = pageSize(query.maxResults, AUDIT_PAGE_LIMITS);
  let select = db.selectFrom("registry_audit").selectAll();
  if (query.name !== undefined) select = select.where("name", "=", query.name);
  if (query.pageToken) {
    const [before] = decodePageToken(query.pageToken, AUDIT_SIGNATURE, ["number"]);
    select = select.where("audit_id", "<", Number(before));
  }
  const rows = await select.orderBy("audit_id", "desc").limit(size + 1).execute();
  const items = rows.slice(0, size).map(toEntry);
  if (rows.length <= size) return { items };
  return { items, nextPageToken: encodePageToken(AUDIT_SIGNATURE, [items[items.length - 1].id]) };
}

/** Which entries put a version into a target: `alias:<name>` entries, or `stage` entries whose new value is the stage. */
export interface TargetMoves {
  readonly target: string;
  readonly to?: string;
}

/**
 * The version that held a target before `holder` got it, and the move that gave `holder` its place. Looks
 * through rollbacks: after a rollback of move M, the holder's place comes from its own earlier move before M,
 * so a second rollback goes further back instead of undoing the first. Versions deleted since are skipped.
 */
export async function previousHolder(
  db: Kysely<KeelDatabase>,
  name: string,
  moves: TargetMoves,
  holder: number,
): Promise<{ undo: AuditEntry; previous: number } | undefined> {
  let query = db
    .selectFrom("registry_audit")
    .selectAll()
    .where("name", "=", name)
    .where("target", "=", moves.target)
    .where("version", "is not", null)
    .where("action", "in", ["set_alias", "transition_stage", "rollback"]);
  if (moves.to !== undefined) query = query.where("to_value", "=", moves.to);
  const entries = (await query.orderBy("audit_id", "desc").execute()).map(toEntry);
  const holderText = String(holder);
  let undo = entries.find((e) => e.version === holderText);
  while (undo?.action === "rollback" && undo.reverts !== undefined) {
    const reverted = undo.reverts;
    undo = entries.find((e) => e.id < reverted && e.version === holderText);
  }
  if (!undo) return undefined;
  const undoId = undo.id;
  const earlier = [...new Set(entries.filter((e) => e.id < undoId && e.version !== holderText).map((e) => Number(e.version)))];
  if (earlier.length === 0) return undefined;
  const alive = new Set(
    (await db.selectFrom("model_versions").select("version").where("name", "=", name).where("version", "in", earlier).execute()).map((r) => r.version),
  );
  const previous = earlier.find((v) => alive.has(v));
  return previous === undefined ? undefined : { undo, previous };
}
