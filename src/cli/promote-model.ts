/**
 * `keel models promote`: evaluate a version against a gate policy, keep the report, and move the alias or
 * stage only when the report says APPROVED. The gates run here, in the caller's process (a CI job), against
 * data read from the tracking server, so that a latency gate measures the machine the CI runs on.
 */
import { dirname, resolve } from "node:path";
import type { RegistryClient } from "../client/registry-client.js";
import type { ModelVersion } from "../client/registry-wire-types.js";
import type { ModelClients } from "../client/resolve-model-uri.js";
import { loadModelInfo } from "../client/resolve-model-uri.js";
import { KeelError } from "../core/errors.js";
import { parseInputExample } from "../core/input-example.js";
import type { GateReport, GateSubject } from "../gates/index.js";
import { evaluateGates, gateReportJson, gateReportSummaryTag, loadGatePolicy } from "../gates/index.js";

export type PromotionTarget = { readonly alias: string } | { readonly stage: string };

export interface PromoteOptions {
  readonly name: string;
  readonly version: string;
  readonly target: PromotionTarget;
  /** A gate policy file; without one the move is unconditional (and recorded as such). */
  readonly policyPath?: string;
  /** Evaluate and record, but do not move. */
  readonly dryRun?: boolean;
}

export interface PromoteResult {
  readonly report?: GateReport;
  readonly moved: boolean;
  /** Where the report was stored among the candidate run's artifacts. */
  readonly reportArtifact?: string;
}

/** Human form of a target, used in reports and messages: "alias production" / "stage Production". */
export function describeTarget(target: PromotionTarget): string {
  return "alias" in target ? `alias ${target.alias}` : `stage ${target.stage}`;
}

/** The tag under which a version keeps the summary of its latest gate report for a target. */
export function gateTagKey(target: PromotionTarget): string {
  return "alias" in target ? `keel.gates.alias.${target.alias}` : `keel.gates.stage.${target.stage}`;
}

async function currentHolder(registry: RegistryClient, name: string, target: PromotionTarget): Promise<ModelVersion | undefined> {
  if ("stage" in target) return (await registry.getLatestVersions({ name, stages: [target.stage] }))[0];
  try {
    return await registry.getModelVersionByAlias({ name, alias: target.alias });
  } catch (error) {
    if (error instanceof KeelError && error.code === "RESOURCE_DOES_NOT_EXIST") return undefined;
    throw error;
  }
}

/** A version as the gates see it: its run's latest metrics, its MLmodel's signature, example and ONNX file. */
async function gateSubject(clients: ModelClients, version: ModelVersion): Promise<GateSubject> {
  const metrics: Record<string, number> = {};
  if (version.run_id) {
    const run = await clients.tracking.getRun({ run_id: version.run_id });
    for (const m of run.data.metrics ?? []) metrics[m.key] = m.value;
  }
  const info = await loadModelInfo(clients, `models:/${version.name}/${version.version}`).catch(() => undefined);
  const read = async (path: string): Promise<Uint8Array> => clients.tracking.downloadArtifact({ artifact_uri: info?.artifactUri ?? "", path });
  const exampleInfo = info?.mlmodel.savedInputExampleInfo;
  const examplePath = typeof exampleInfo?.artifact_path === "string" ? exampleInfo.artifact_path : undefined;
  const inputExample = examplePath ? parseInputExample(new TextDecoder().decode(await read(examplePath))) : undefined;
  const onnxData = info?.mlmodel.flavors.onnx?.data;
  return {
    name: version.name,
    version: version.version,
    ...(version.run_id ? { runId: version.run_id } : {}),
    metrics,
    ...(info?.mlmodel.signature ? { signature: info.mlmodel.signature } : {}),
    ...(inputExample !== undefined ? { inputExample } : {}),
    loadOnnx: async () => (typeof onnxData === "string" ? read(onnxData) : undefined),
  };
}

async function storeReport(clients: ModelClients, candidate: ModelVersion, target: PromotionTarget, report: GateReport): Promise<string | undefined> {
  await clients.registry.setModelVersionTag({ name: candidate.name, version: candidate.version, key: gateTagKey(target), value: gateReportSummaryTag(report) });
  if (!candidate.run_id) return undefined;
  const run = await clients.tracking.getRun({ run_id: candidate.run_id });
  const slug = describeTarget(target).replace(/[^\w.-]+/g, "-");
  const path = `gates/${slug}-${report.evaluatedAt.replace(/[:.]/g, "-")}.json`;
  await clients.tracking.uploadArtifact({ artifact_uri: run.info.artifact_uri, path, body: gateReportJson(report) });
  return path;
}

async function move(registry: RegistryClient, name: string, version: string, target: PromotionTarget): Promise<void> {
  if ("alias" in target) await registry.setRegisteredModelAlias({ name, alias: target.alias, version });
  else await registry.transitionModelVersionStage({ name, version, stage: target.stage, archive_existing_versions: true });
}

/** Evaluates, records and (when approved and not a dry run) moves. Throws KeelError for anything that is not a verdict. */
export async function promoteModel(clients: ModelClients, options: PromoteOptions): Promise<PromoteResult> {
  const { name, version, target } = options;
  const candidate = await clients.registry.getModelVersion({ name, version });
  const policy = options.policyPath ? await loadGatePolicy(options.policyPath) : undefined;
  if (!policy) {
    if (!options.dryRun) await move(clients.registry, name, version, target);
    return { moved: !options.dryRun };
  }
  const holder = await currentHolder(clients.registry, name, target);
  const baseline = holder && holder.version !== candidate.version ? await gateSubject(clients, holder) : undefined;
  const report = await evaluateGates(
    policy,
    { candidate: await gateSubject(clients, candidate), ...(baseline ? { baseline } : {}), target: describeTarget(target), baseDir: dirname(resolve(options.policyPath as string)) },
    { model: name, version, target: describeTarget(target) },
  );
  const reportArtifact = await storeReport(clients, candidate, target, report);
  const approved = report.verdict === "APPROVED";
  if (approved && !options.dryRun) await move(clients.registry, name, version, target);
  return { report, moved: approved && !options.dryRun, ...(reportArtifact ? { reportArtifact } : {}) };
}
