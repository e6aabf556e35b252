import { invalidParameter } from "../core/errors.js";

/**
 * The server's rules for what a buffered run may log, checked when the item is logged: a batch is all or
 * nothing, so one bad item found only at flush time would hold back everything logged with it.
 */
export const ENTITY_LIMITS = {
  maxKeyLength: 250,
  maxParamValueLength: 6000,
  maxTagValueLength: 8000,
} as const;

const KEY_PATTERN = /^[/\w.\- :]*$/;

export function checkKey(kind: "metric" | "param" | "tag", key: unknown): string {
  if (typeof key !== "string" || key === "") throw invalidParameter(`${kind} key must be a non-empty string, got ${JSON.stringify(key)}`);
  if (key.length > ENTITY_LIMITS.maxKeyLength) {
    throw invalidParameter(`${kind} key '${key.slice(0, 40)}...' has ${key.length} characters; the limit is ${ENTITY_LIMITS.maxKeyLength}`);
  }
  if (!KEY_PATTERN.test(key)) {
    throw invalidParameter(
      `invalid ${kind} name '${key}': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/)`,
    );
  }
  if (key.startsWith("/") || key.split("/").some((s) => s === "" || s === "." || s === "..")) {
    throw invalidParameter(`invalid ${kind} name '${key}': names may not contain '..', '.', '//' segments or start with '/'`);
  }
  return key;
}

/** Params and tags are strings on the wire; numbers and booleans are written as MLflow's client writes them. */
export function stringValue(kind: "param" | "tag", key: string, value: unknown, maxLength: number): string {
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean" && typeof value !== "bigint") {
    throw invalidParameter(`${kind} '${key}' must be a string, number or boolean, got ${value === null ? "null" : typeof value}`);
  }
  const text = String(value);
  if (text.length > maxLength) throw invalidParameter(`${kind} '${key}' has a value of ${text.length} characters; the limit is ${maxLength}`);
  return text;
}

export function checkMetricValue(key: string, value: unknown): number {
  if (typeof value !== "number") throw invalidParameter(`metric '${key}' must be a number, got ${JSON.stringify(value)}`);
  return value;
}

export function checkInteger(what: string, value: unknown, min = -Infinity): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw invalidParameter(`${what} must be an integer${min === 0 ? " >= 0" : ""}, got ${JSON.stringify(value)}`);
  }
  return value;
}
