/**
 * The registry as the UI reads it: MLflow's Model Registry JSON, Keel's audit entries, and the gate-report
 * summaries `keel models promote` keeps as version tags (`keel.gates.alias.<alias>`, `keel.gates.stage.<stage>`).
 */
import { ApiError } from "../api/client";

export interface RegistryTag {
  readonly key: string;
  readonly value: string;
}

export interface ModelVersion {
  readonly name: string;
  readonly version: string;
  readonly creation_timestamp: number;
  readonly last_updated_timestamp: number;
  readonly current_stage: string;
  readonly description?: string;
  readonly source: string;
  readonly run_id?: string;
  readonly status: string;
  readonly tags?: readonly RegistryTag[];
  readonly aliases?: readonly string[];
}

export interface RegisteredModel {
  readonly name: string;
  readonly creation_timestamp: number;
  readonly last_updated_timestamp: number;
  readonly description?: string;
  readonly latest_versions?: readonly ModelVersion[];
  readonly aliases?: readonly { readonly alias: string; readonly version: string }[];
}

export interface AuditEntry {
  readonly id: number;
  readonly timestamp: number;
  readonly actor: string;
  readonly action: string;
  readonly name: string;
  readonly version?: string;
  readonly target?: string;
  readonly from?: string;
  readonly to?: string;
  readonly reverts?: number;
}

export const STAGES = ["None", "Staging", "Production", "Archived"] as const;

export interface GateCheck {
  readonly check: string;
  readonly status: "PASS" | "WARN" | "FAIL";
  readonly actual: number | string | null;
  readonly message: string;
}

export interface GateSummary {
  readonly version: string;
  /** "alias champion" or "stage Production", as the report names its target. */
  readonly target: string;
  readonly verdict: string;
  readonly checks: readonly GateCheck[];
  /** Checks left out of the tag to keep it under the tag-length limit. */
  readonly omitted: number;
}

const GATE_TAG = /^keel\.gates\.(alias|stage)\.(.+)$/;

/** The gate reports stored on a version's tags; a tag that is not a report's summary is skipped. */
export function gateSummaries(version: ModelVersion): GateSummary[] {
  const summaries: GateSummary[] = [];
  for (const tag of version.tags ?? []) {
    const match = GATE_TAG.exec(tag.key);
    if (!match) continue;
    try {
      const parsed = JSON.parse(tag.value) as { verdict?: string; checks?: GateCheck[]; omitted?: number };
      summaries.push({ version: version.version, target: `${match[1]} ${match[2]}`, verdict: parsed.verdict ?? "?", checks: parsed.checks ?? [], omitted: parsed.omitted ?? 0 });
    } catch {
      // A hand-set tag under the same prefix: not a report, so not shown as one.
    }
  }
  return summaries;
}

/** DELETE with a JSON body under /ajax-api/2.0, as MLflow's alias deletion takes one; errors as ApiError. */
export async function apiDelete(path: string, body: unknown): Promise<void> {
  const response = await fetch(`/ajax-api/2.0${path}`, { method: "DELETE", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (response.ok) return;
  const error = (await response.json().catch(() => ({}))) as { error_code?: string; message?: string };
  throw new ApiError(error.error_code ?? "INTERNAL_ERROR", error.message ?? `HTTP ${response.status}`, response.status);
}

export function formatTime(ms: number | undefined): string {
  return ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) : "";
}

export function quoted(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}
