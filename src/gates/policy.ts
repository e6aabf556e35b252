import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import { invalidParameter, notFound } from "../core/errors.js";
import { closestName } from "./check-spec.js";
import type { GateCheck, GateCheckFactory } from "./gate-check.js";
import { createLatencyCheck } from "./latency-check.js";
import { createMetricThresholdCheck } from "./metric-threshold-check.js";
import { createRegressionCheck } from "./regression-check.js";
import { createSignatureCheck } from "./signature-check.js";

/** A parsed gate policy: its checks, in the order they run and are reported. */
export interface GatePolicy {
  readonly checks: readonly GateCheck[];
}

/** The built-in check types by policy `type`; pass a bigger map to parseGatePolicy to add types. */
export const DEFAULT_CHECK_FACTORIES: ReadonlyMap<string, GateCheckFactory> = new Map<string, GateCheckFactory>([
  ["metric", createMetricThresholdCheck],
  ["regression", createRegressionCheck],
  ["latency", createLatencyCheck],
  ["signature", createSignatureCheck],
]);

const EXAMPLE = "checks:\n  - type: metric\n    metric: accuracy\n    min: 0.85";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses a gate policy (YAML with a `checks` list); every refusal names `source` and the entry
 * (`gates.yaml checks[2]`) and says what to write instead.
 * @example parseGatePolicy("checks:\n  - type: signature\n", "gates.yaml").checks[0].name // "signature"
 */
export function parseGatePolicy(
  text: string,
  source: string,
  factories: ReadonlyMap<string, GateCheckFactory> = DEFAULT_CHECK_FACTORIES,
): GatePolicy {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw invalidParameter(`${source} is not valid YAML: ${document.errors[0].message}`);
  }
  const root: unknown = document.toJS();
  if (!isRecord(root)) {
    throw invalidParameter(`${source} must be a mapping with a \`checks\` list, for example:\n${EXAMPLE}`);
  }
  for (const key of Object.keys(root)) {
    if (key !== "checks") throw invalidParameter(`${source}: unknown top-level key '${key}'; a policy has only \`checks\``);
  }
  const entries = root.checks;
  if (!Array.isArray(entries)) {
    const got = entries === undefined || entries === null ? "no `checks`" : "`checks` that is not a list";
    throw invalidParameter(`${source} has ${got}; write a list of checks, for example:\n${EXAMPLE}`);
  }
  if (entries.length === 0) {
    throw invalidParameter(`${source} has an empty \`checks\` list; a policy needs at least one check, for example:\n${EXAMPLE}`);
  }
  const types = [...factories.keys()];
  const checks = entries.map((entry: unknown, i) => {
    const where = `${source} checks[${i}]`;
    if (!isRecord(entry)) {
      throw invalidParameter(`${where} must be a mapping with a \`type\` (one of ${types.join(", ")}), for example:\n${EXAMPLE}`);
    }
    const type = entry.type;
    if (typeof type !== "string") {
      throw invalidParameter(`${where} needs \`type:\`, one of ${types.join(", ")}`);
    }
    const factory = factories.get(type);
    if (!factory) {
      const guess = closestName(type, types);
      const suggestion = guess ? `did you mean '${guess}'? ` : "";
      throw invalidParameter(`${where}: unknown check type '${type}'; ${suggestion}use one of ${types.join(", ")}`);
    }
    return factory(entry, where);
  });
  return { checks };
}

/**
 * Reads and parses a gate policy file. Relative `dataset:` paths in it are resolved by the checks against
 * `GateContext.baseDir`, which callers should set to the file's directory.
 */
export async function loadGatePolicy(
  path: string,
  factories: ReadonlyMap<string, GateCheckFactory> = DEFAULT_CHECK_FACTORIES,
): Promise<GatePolicy> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw notFound(`gate policy ${path} does not exist; write one with a \`checks\` list, for example:\n${EXAMPLE}`);
    }
    throw invalidParameter(`cannot read gate policy ${path}: ${(error as Error).message}`);
  }
  return parseGatePolicy(text, path, factories);
}
