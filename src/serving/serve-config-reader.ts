/**
 * Typed reading of the raw mappings of a `keel serve` config, shared by the YAML file and the command-line
 * form. Whether a key path is spelled `serve.yaml: batching.max_batch_size` or `--max-batch-size` is up to the
 * caller's ConfigContext, so each form's refusals speak its own language.
 */
import { invalidParameter } from "../core/errors.js";

export type Raw = Readonly<Record<string, unknown>>;

export interface ConfigContext {
  /** How a key path (`models[1].variants[0].weight`, "" for the whole config) is named in a message. */
  readonly where: (path: string) => string;
  /** How to write `value` at that path (`weight: 10` in YAML, `--port 8080` on the command line). */
  readonly example: (path: string, value: string) => string;
}

export interface NumberKey {
  /** The snake_case key in the config. */
  readonly key: string;
  readonly min: number;
  readonly max?: number;
  readonly integer: boolean;
}

/** Throws the refusal for `path`: what is wrong with it and, given an example value, what to write instead. */
export function refuse(context: ConfigContext, path: string, problem: string, example?: string): never {
  const instead = example === undefined ? "" : `; write for example \`${context.example(path, example)}\``;
  throw invalidParameter(`${context.where(path)} ${problem}${instead}`);
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "an empty value";
  if (typeof value === "string") return `the text ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

function isRecord(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function child(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

// camelCase, kebab-case or SHOUTING spellings of a known key are the likeliest slips.
const squash = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The mapping at `path`, refusing anything else and any key not in `known` (listing the known ones). */
export function openMapping(context: ConfigContext, path: string, value: unknown, known: readonly string[]): Raw {
  if (!isRecord(value)) {
    refuse(context, path, `must be a mapping with the keys ${known.join(", ")}, not ${describeValue(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = known.find((k) => squash(k) === squash(key));
    const hint = guess === undefined ? "" : ` (did you mean '${guess}'?)`;
    refuse(context, child(path, key), `is not a known key${hint}; the known keys here are ${known.join(", ")}`);
  }
  return value;
}

/**
 * A section that `false` or `enabled: false` turns off. Absent, empty or `true`, it takes its defaults;
 * otherwise it is a mapping of `enabled` and `known`.
 */
export function switchable(context: ConfigContext, path: string, value: unknown, known: readonly string[]): Raw | false {
  if (value === false) return false;
  if (value === undefined || value === null || value === true) return {};
  if (!isRecord(value)) {
    refuse(context, path, `must be false or a mapping with the keys enabled, ${known.join(", ")}, not ${describeValue(value)}`);
  }
  const raw = openMapping(context, path, value, ["enabled", ...known]);
  if (raw.enabled !== undefined && typeof raw.enabled !== "boolean") {
    refuse(context, child(path, "enabled"), `must be true or false, not ${describeValue(raw.enabled)}`, "false");
  }
  return raw.enabled === false ? false : raw;
}

function rule(spec: NumberKey): string {
  const kind = spec.integer ? "a whole number" : "a number";
  return spec.max === undefined ? `${kind} >= ${spec.min}` : `${kind} from ${spec.min} to ${spec.max}`;
}

/**
 * Reads the numeric keys of `raw` (at `path`) named in `table`, each checked against its rule and taken from
 * `defaults` when absent.
 */
export function readNumbers<K extends string>(
  context: ConfigContext,
  path: string,
  raw: Raw,
  table: Readonly<Record<K, NumberKey>>,
  defaults: Readonly<Record<NoInfer<K>, number>>,
): Record<K, number> {
  const entries = (Object.keys(table) as K[]).map((field): [K, number] => {
    const spec = table[field];
    const value = raw[spec.key];
    if (value === undefined) return [field, defaults[field]];
    const ok =
      typeof value === "number" &&
      Number.isFinite(value) &&
      (!spec.integer || Number.isInteger(value)) &&
      value >= spec.min &&
      (spec.max === undefined || value <= spec.max);
    if (!ok) refuse(context, child(path, spec.key), `must be ${rule(spec)}, not ${describeValue(value)}`, String(defaults[field]));
    return [field, value];
  });
  return Object.fromEntries(entries) as Record<K, number>;
}
