/**
 * The `models` list of a `keel serve` config: each served model's name, its one URI or weighted variants,
 * the key that keeps a caller on one variant, and the shadow model.
 */
import { KeelError } from "../core/errors.js";
import { parseModelUri } from "../core/model-uri.js";
import { openMapping, refuse } from "./serve-config-reader.js";
import type { ConfigContext } from "./serve-config-reader.js";

export interface ModelVariant {
  readonly name: string;
  readonly uri: string;
  /** Relative share of the traffic; 0 keeps the variant loaded but sends it nothing. */
  readonly weight: number;
}

/** Where the key that keeps a caller on one variant comes from: a request header (lower-cased) or a JSON field. */
export interface StickyKey {
  readonly from: "header" | "field";
  readonly name: string;
}

export interface ServedModel {
  /** The name clients use: /v2/models/<name>, /invocations?model=<name>. */
  readonly name: string;
  /** A model given by one `uri` has one variant, named SINGLE_VARIANT_NAME, of weight 1. */
  readonly variants: readonly ModelVariant[];
  readonly stickyKey?: StickyKey;
  /** Scored on every request; its answers are logged, never returned. */
  readonly shadow?: { readonly uri: string };
}

export const SINGLE_VARIANT_NAME = "default";

// Names go into URL paths and query strings unescaped, and into metric labels.
const NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const NAME_RULE = "1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const MODEL_URI_EXAMPLE = "models:/churn-classifier@production";
const MODEL_KEYS = ["name", "uri", "variants", "sticky_key", "shadow"];

/** The `models` list: at least one model, names unique. */
export function readServedModels(context: ConfigContext, value: unknown): ServedModel[] {
  const example = `[{ name: churn, uri: "${MODEL_URI_EXAMPLE}" }]`;
  if (!Array.isArray(value) || value.length === 0) {
    refuse(context, "models", "must be a list of at least one model to serve", example);
  }
  const models = value.map((entry: unknown, i) => readModel(context, `models[${i}]`, entry));
  models.forEach((model, i) => {
    const first = models.findIndex((m) => m.name === model.name);
    if (first < i) {
      const problem = `'${model.name}' is already the name of models[${first}]; names must be unique`;
      refuse(context, `models[${i}].name`, problem, `${model.name}-2`);
    }
  });
  return models;
}

function readModel(context: ConfigContext, path: string, value: unknown): ServedModel {
  const raw = openMapping(context, path, value, MODEL_KEYS);
  const name = readName(context, `${path}.name`, raw.name, "churn");
  if ((raw.uri === undefined) === (raw.variants === undefined)) {
    const which = raw.uri === undefined ? "needs either" : "has both `uri` and `variants`; keep one:";
    refuse(context, path, `${which} \`uri: ${MODEL_URI_EXAMPLE}\` (one model) or \`variants:\` (weighted versions)`);
  }
  const variants = raw.variants === undefined
    ? [{ name: SINGLE_VARIANT_NAME, uri: readModelUri(context, `${path}.uri`, raw.uri), weight: 1 }]
    : readVariants(context, `${path}.variants`, raw.variants);
  let stickyKey: StickyKey | undefined;
  if (raw.sticky_key !== undefined) {
    if (raw.variants === undefined) {
      refuse(context, `${path}.sticky_key`, "only applies to a model with `variants`; remove it or list variants");
    }
    stickyKey = readStickyKey(context, `${path}.sticky_key`, raw.sticky_key);
  }
  let shadow: { uri: string } | undefined;
  if (raw.shadow !== undefined) {
    const spec = openMapping(context, `${path}.shadow`, raw.shadow, ["uri"]);
    shadow = { uri: readModelUri(context, `${path}.shadow.uri`, spec.uri) };
  }
  return { name, variants, ...(stickyKey && { stickyKey }), ...(shadow && { shadow }) };
}

function readVariants(context: ConfigContext, path: string, value: unknown): ModelVariant[] {
  const example = `{ name: production, uri: "${MODEL_URI_EXAMPLE}", weight: 90 }`;
  if (!Array.isArray(value) || value.length === 0) refuse(context, path, "must be a list of at least one variant", `[${example}]`);
  const variants = value.map((entry: unknown, i): ModelVariant => {
    const raw = openMapping(context, `${path}[${i}]`, entry, ["name", "uri", "weight"]);
    const weight = raw.weight;
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0) {
      refuse(context, `${path}[${i}].weight`, "must be a number >= 0 (its share of the traffic)", "10");
    }
    const name = readName(context, `${path}[${i}].name`, raw.name, "candidate");
    return { name, uri: readModelUri(context, `${path}[${i}].uri`, raw.uri), weight };
  });
  variants.forEach((variant, i) => {
    if (variants.findIndex((v) => v.name === variant.name) < i) {
      refuse(context, `${path}[${i}].name`, `'${variant.name}' names two variants; variant names must be unique`, "candidate");
    }
  });
  if (variants.every((v) => v.weight === 0)) refuse(context, path, "has only weights of 0; give at least one variant a `weight` above 0");
  return variants;
}

function readName(context: ConfigContext, path: string, value: unknown, example: string): string {
  if (typeof value !== "string" || !NAME_PATTERN.test(value)) {
    const got = typeof value === "string" ? `'${value}'` : value === undefined ? "missing" : `not a name (${String(value)})`;
    refuse(context, path, `is ${got}; a name is ${NAME_RULE}, as it appears in URLs`, example);
  }
  return value;
}

/** A model URI parseModelUri accepts, or a local path; refused at `path` otherwise. */
export function readModelUri(context: ConfigContext, path: string, value: unknown): string {
  if (typeof value !== "string") refuse(context, path, "must be a model URI or a local model directory", MODEL_URI_EXAMPLE);
  try {
    parseModelUri(value);
  } catch (error) {
    if (!(error instanceof KeelError)) throw error;
    refuse(context, path, `is not a model Keel can serve: ${error.message.replace(/\.$/, "")}`, MODEL_URI_EXAMPLE);
  }
  return value;
}

function readStickyKey(context: ConfigContext, path: string, value: unknown): StickyKey {
  const match = typeof value === "string" ? /^(header|field):(.+)$/.exec(value.trim()) : null;
  if (!match || (match[1] === "header" && !HEADER_TOKEN.test(match[2]))) {
    refuse(context, path, "must be 'header:<header name>' or 'field:<JSON field>'", "header:x-user-id");
  }
  const from = match[1] === "header" ? "header" : "field";
  return { from, name: from === "header" ? match[2].toLowerCase() : match[2] };
}