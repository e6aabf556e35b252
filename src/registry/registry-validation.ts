import { invalidParameter } from "../core/errors.js";
import type { ModelVersionStage, RegistryTag } from "./types.js";
import { MODEL_VERSION_STAGES } from "./types.js";
import { normaliseStage } from "../core/model-uri.js";

/** MLflow's registry limits (mlflow/utils/validation.py). */
export const REGISTRY_LIMITS = {
  maxNameLength: 256,
  maxTagKeyLength: 250,
  maxTagValueLength: 5000,
  maxDescriptionLength: 65_535,
  maxSourceLength: 8_000,
} as const;

const CONTROL = /[\u0000-\u001f\u007f]/;

function shown(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

export function validateModelName(name: unknown, field = "name"): string {
  if (typeof name !== "string" || name === "") throw invalidParameter(`Registered model ${field} cannot be empty.`);
  if (name.length > REGISTRY_LIMITS.maxNameLength) {
    throw invalidParameter(`Registered model ${field} '${shown(name)}' is ${name.length} characters long; at most ${REGISTRY_LIMITS.maxNameLength} are allowed.`);
  }
  if (CONTROL.test(name)) throw invalidParameter(`Registered model ${field} ${JSON.stringify(shown(name))} contains a control character.`);
  return name;
}

/** A version as the API carries it ("3"), checked and turned into its number. */
export function parseVersion(version: unknown): number {
  const text = typeof version === "number" ? String(version) : version;
  if (typeof text !== "string" || !/^[1-9]\d{0,9}$/.test(text) || Number(text) > 2_147_483_647) {
    throw invalidParameter(`Model version must be a positive integer such as '3', got '${shown(version)}'.`);
  }
  return Number(text);
}

/** MLflow accepts a stage in any case ("production") and stores it capitalised ("Production"). */
export function canonicalStage(stage: unknown): ModelVersionStage {
  const found = typeof stage === "string" ? normaliseStage(stage) : undefined;
  if (!found) throw invalidParameter(`Invalid Model Version stage: ${shown(stage)}. Value must be one of ${MODEL_VERSION_STAGES.join(", ")}.`);
  return found;
}

export function validateRegistryTagKey(key: unknown): string {
  if (typeof key !== "string" || key === "") throw invalidParameter("Tag key cannot be empty.");
  if (key.length > REGISTRY_LIMITS.maxTagKeyLength) {
    throw invalidParameter(`Tag key '${shown(key)}' is ${key.length} characters long; at most ${REGISTRY_LIMITS.maxTagKeyLength} are allowed.`);
  }
  return key;
}

export function validateRegistryTag(tag: RegistryTag): RegistryTag {
  const key = validateRegistryTagKey(tag.key);
  if (typeof tag.value !== "string") throw invalidParameter(`Tag '${key}' needs a string value.`);
  if (tag.value.length > REGISTRY_LIMITS.maxTagValueLength) {
    throw invalidParameter(`Tag '${key}' value is ${tag.value.length} characters long; at most ${REGISTRY_LIMITS.maxTagValueLength} are allowed.`);
  }
  return { key, value: tag.value };
}

export function validateDescription(description: unknown): string {
  if (typeof description !== "string") throw invalidParameter("description must be a string.");
  if (description.length > REGISTRY_LIMITS.maxDescriptionLength) {
    throw invalidParameter(`description is ${description.length} characters long; at most ${REGISTRY_LIMITS.maxDescriptionLength} are allowed.`);
  }
  return description;
}

/** Last value wins for a key repeated in one request. */
export function dedupeRegistryTags(tags: readonly RegistryTag[]): RegistryTag[] {
  return [...new Map(tags.map((t) => [t.key, validateRegistryTag(t)])).values()];
}

