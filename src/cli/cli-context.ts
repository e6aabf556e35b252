import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { createRegistryClient } from "../client/registry-client.js";
import type { ModelClients } from "../client/resolve-model-uri.js";
import type { TrackingClient } from "../client/tracking-client.js";
import { createTrackingClient } from "../client/tracking-client.js";
import { resolveTrackingUri } from "../client/tracking-uri.js";
import type { Experiment, ViewType } from "../client/wire-types.js";
import { KeelError } from "../core/errors.js";
import { MODEL_STAGES, normaliseStage } from "../core/model-uri.js";
import { toJson } from "./format-values.js";

/** What the CLI touches outside itself, so that tests can run it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM), with the signal's name. */
  readonly waitForShutdown: () => Promise<string>;
}

/**
 * Ends a command with a chosen exit code after it has printed what it had to say; `keel models promote`
 * uses it for its documented codes (0 approved, 1 rejected, 2 error).
 */
export class CliExit extends Error {
  readonly exitCode: number;

  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = "CliExit";
    this.exitCode = exitCode;
  }
}

export interface CliContext {
  readonly io: CliIo;
  /** A client for the tracking server named by --tracking-uri, KEEL_TRACKING_URI or MLFLOW_TRACKING_URI. */
  client(command: Command): TrackingClient;
  /** The registry client and tracking client of the same server, as model URIs need both. */
  models(command: Command): ModelClients;
  print(text: string): void;
  printJson(value: unknown): void;
}

export function createCliContext(io: CliIo): CliContext {
  return {
    io,
    client(command) {
      const { trackingUri } = command.optsWithGlobals<{ trackingUri?: string }>();
      return createTrackingClient({ trackingUri: resolveTrackingUri(trackingUri, io.env) });
    },
    models(command) {
      const { trackingUri } = command.optsWithGlobals<{ trackingUri?: string }>();
      const uri = resolveTrackingUri(trackingUri, io.env);
      return { tracking: createTrackingClient({ trackingUri: uri }), registry: createRegistryClient({ trackingUri: uri }) };
    },
    print(text) {
      io.stdout(text.endsWith("\n") ? text : `${text}\n`);
    },
    printJson(value) {
      io.stdout(`${toJson(value)}\n`);
    },
  };
}

export const VIEW_CHOICES = ["active", "deleted", "all"] as const;
export type ViewChoice = (typeof VIEW_CHOICES)[number];

export function viewType(choice: ViewChoice): ViewType {
  return choice === "active" ? "ACTIVE_ONLY" : choice === "deleted" ? "DELETED_ONLY" : "ALL";
}

/** commander parser for a stage name in any case. */
export function stageArgument(value: string): string {
  const stage = normaliseStage(value);
  if (!stage) throw new InvalidArgumentError(`expected one of ${MODEL_STAGES.join(", ")}.`);
  return stage;
}

/** One `KEY=VALUE` argument split at its first `=`; `example` shows the form in the error. */
export function keyValuePair(value: string, example = "KEY=VALUE"): { key: string; value: string } {
  const at = value.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError(`expected ${example}.`);
  return { key: value.slice(0, at), value: value.slice(at + 1) };
}

/** commander argument parser for a positive integer option. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer.");
  return n;
}

/** commander argument parser for an option that may be repeated and may hold comma-separated lists. */
export function collectList(value: string, previous: readonly string[] = []): string[] {
  return [...previous, ...value.split(",").map((v) => v.trim()).filter((v) => v !== "")];
}

/** commander argument parser for a repeatable option whose values may contain commas (order-by clauses). */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

function isMissing(error: unknown): boolean {
  return error instanceof KeelError && (error.code === "RESOURCE_DOES_NOT_EXIST" || error.code === "NOT_FOUND");
}

/**
 * An experiment named by id or by name. A number is tried as an id first and then as a name, since
 * names may be numeric too.
 */
export async function resolveExperiment(client: TrackingClient, ref: string): Promise<Experiment> {
  if (/^\d+$/.test(ref)) {
    try {
      return await client.getExperiment({ experiment_id: ref });
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  try {
    return await client.getExperimentByName({ experiment_name: ref });
  } catch (error) {
    if (!isMissing(error)) throw error;
    throw new KeelError("RESOURCE_DOES_NOT_EXIST", `no experiment with id or name '${ref}'; list experiments with \`keel experiments list --view all\``);
  }
}
