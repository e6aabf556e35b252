import { invalidParameter } from "../core/errors.js";

/** The keys a check type accepts besides `type`, each with an example value for error messages. */
export type SpecKeys = Readonly<Record<string, string>>;

export interface NumberRule {
  /** Smallest allowed value; with `exclusive`, the value must be greater. */
  readonly min?: number;
  readonly exclusive?: boolean;
  readonly integer?: boolean;
}

/** Typed, validated access to one policy entry; every refusal names the entry and shows what to write. */
export interface CheckSpec {
  readonly where: string;
  number(key: string, rule?: NumberRule): number | undefined;
  string(key: string): string | undefined;
  boolean(key: string): boolean | undefined;
  /** Throws the standard "needs `key: example`" refusal. */
  missing(key: string, hint?: string): never;
  /** Throws a refusal about this entry. */
  refuse(message: string): never;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "an empty value";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest known name to a mistyped one, if it is close enough to be a likely typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const [a, b] = [name.toLowerCase(), candidate.toLowerCase()];
    // A spelled-out or shortened key ("minimum" for "min") is as likely a slip as a typo.
    const distance = a.startsWith(b) || b.startsWith(a) ? 1 : editDistance(a, b);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * Checks that `spec` has only `type` and the given keys, and returns typed getters for them.
 * @example const s = readCheckSpec(spec, "gates.yaml checks[0]", "metric", { metric: "accuracy", min: "0.85" });
 */
export function readCheckSpec(
  spec: Readonly<Record<string, unknown>>,
  where: string,
  type: string,
  keys: SpecKeys,
): CheckSpec {
  const allowed = Object.keys(keys);
  for (const key of Object.keys(spec)) {
    if (key === "type" || Object.hasOwn(keys, key)) continue;
    const guess = closestName(key, allowed);
    const suggestion = guess ? `did you mean '${guess}'? ` : "";
    throw invalidParameter(
      `${where}: unknown key '${key}' in a ${type} check; ${suggestion}` +
        `allowed keys: type, ${allowed.join(", ")}`,
    );
  }

  const refuse = (message: string): never => {
    throw invalidParameter(`${where}: ${message}`);
  };
  const wrongType = (key: string, kind: string, value: unknown): never =>
    refuse(`'${key}' must be ${kind} (e.g. \`${key}: ${keys[key]}\`), not ${describeValue(value)}`);

  return {
    where,
    refuse,
    missing(key, hint) {
      return refuse(`a ${type} check needs \`${key}: ${keys[key]}\`${hint ? `; ${hint}` : ""}`);
    },
    number(key, rule = {}) {
      const value = spec[key];
      if (value === undefined) return undefined;
      if (typeof value !== "number" || Number.isNaN(value)) return wrongType(key, "a number", value);
      if (!Number.isFinite(value)) return refuse(`'${key}' must be a finite number, not ${value}`);
      if (rule.integer && !Number.isInteger(value)) return wrongType(key, "a whole number", value);
      if (rule.min !== undefined) {
        const ok = rule.exclusive ? value > rule.min : value >= rule.min;
        if (!ok) return refuse(`'${key}' must be ${rule.exclusive ? ">" : ">="} ${rule.min}, not ${value}`);
      }
      return value;
    },
    string(key) {
      const value = spec[key];
      if (value === undefined) return undefined;
      if (typeof value !== "string" || value.trim() === "") return wrongType(key, "a non-empty text", value);
      return value;
    },
    boolean(key) {
      const value = spec[key];
      if (value === undefined) return undefined;
      if (typeof value !== "boolean") return wrongType(key, "true or false", value);
      return value;
    },
  };
}
