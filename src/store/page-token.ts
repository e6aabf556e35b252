/**
 * Opaque page tokens for keyset (seek) pagination. A token carries the sort-key values of the last row of
 * the page it ends, so the next page starts strictly after that row whatever was created or deleted in
 * between; an offset, as MLflow's `{"offset": N}` token holds, skips or repeats rows when earlier ones change.
 */
import { createHash } from "node:crypto";
import type { Expression, RawBuilder, SqlBool } from "kysely";
import { sql } from "kysely";
import { invalidParameter } from "../core/errors.js";

export type CursorValue = string | number;
export type CursorKind = "string" | "number";

const VERSION = 1;
/** Tag and param values may be 8,000 characters each; a few of them base64-encoded stay far below this. */
const MAX_TOKEN_LENGTH = 200_000;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

interface TokenBody {
  readonly v: number;
  readonly s: string;
  readonly k: readonly CursorValue[];
}

/**
 * A short fingerprint of the ordering a token was issued for, so that a token is refused rather than
 * misread when it comes back with a different order_by.
 */
export function orderSignature(parts: readonly string[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 12);
}

/** Encodes the last row's sort-key values as base64url JSON. */
export function encodePageToken(signature: string, values: readonly CursorValue[]): string {
  const body: TokenBody = { v: VERSION, s: signature, k: values };
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

function refuse(detail: string): never {
  throw invalidParameter(`Invalid page_token: ${detail}. Pass the next_page_token of the previous response unchanged, or omit it to start over`);
}

function isTokenBody(value: unknown): value is TokenBody {
  return typeof value === "object" && value !== null && "v" in value && "s" in value && "k" in value && Array.isArray(value.k);
}

/**
 * Decodes a token made by `encodePageToken` for the same `signature`, checking that it holds one value of
 * each of `kinds`. Anything else is INVALID_PARAMETER_VALUE.
 */
export function decodePageToken(token: string, signature: string, kinds: readonly CursorKind[]): CursorValue[] {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH || !BASE64.test(token)) refuse("not a base64 string");
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    refuse("it does not decode to a page position");
  }
  if (!isTokenBody(body) || body.v !== VERSION) refuse("it does not decode to a page position");
  if (body.s !== signature) refuse("it was issued for a search with a different order_by");
  const values = body.k;
  if (values.length !== kinds.length) refuse("it does not match this search's ordering");
  values.forEach((value, i) => {
    const ok = kinds[i] === "number" ? typeof value === "number" && Number.isFinite(value) : typeof value === "string";
    if (!ok) refuse("it does not match this search's ordering");
  });
  return [...values];
}

/** One ORDER BY term of a keyset-paged query; the list of them must end in a unique column. */
export interface SortKey {
  readonly expression: Expression<unknown>;
  readonly descending: boolean;
  readonly kind: CursorKind;
}

/**
 * Rows strictly after `after` in the order of `keys`: the lexicographic "greater than" over mixed directions,
 * written as `k0 >= v0 AND (k0 > v0 OR (k1 ... ))` so that an index on the first key can bound the scan.
 */
export function seekPredicate(keys: readonly SortKey[], after: readonly CursorValue[]): Expression<SqlBool> {
  const build = (i: number): RawBuilder<SqlBool> => {
    const { expression, descending } = keys[i];
    const strict = descending ? sql.raw("<") : sql.raw(">");
    if (i === keys.length - 1) return sql<SqlBool>`${expression} ${strict} ${after[i]}`;
    const loose = descending ? sql.raw("<=") : sql.raw(">=");
    return sql<SqlBool>`(${expression} ${loose} ${after[i]} and (${expression} ${strict} ${after[i]} or ${build(i + 1)}))`;
  };
  return build(0);
}

/** The `k0, k1, ...` names under which a paged query selects its sort keys. */
export function sortKeyAlias(index: number): string {
  return `k${index}`;
}

/** Reads the sort-key values of a row selected with `sortKeyAlias` names. */
export function cursorOf(row: Readonly<Record<string, unknown>>, keys: readonly SortKey[]): CursorValue[] {
  return keys.map((key, i) => {
    const value = row[sortKeyAlias(i)];
    return key.kind === "number" ? Number(value) : String(value);
  });
}

/** How many results one page holds when max_results is absent, and at most. */
export interface PageLimits {
  readonly defaultSize: number;
  readonly maxSize: number;
}

/** max_results as MLflow checks it: absent → the default, otherwise an integer from 1 to the maximum. */
export function pageSize(maxResults: number | undefined, limits: PageLimits): number {
  if (maxResults === undefined) return limits.defaultSize;
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw invalidParameter(`Invalid value for request parameter max_results. It must be a positive integer, but got ${String(maxResults)}`);
  }
  if (maxResults > limits.maxSize) {
    throw invalidParameter(
      `Invalid value for request parameter max_results. It must be at most ${limits.maxSize}, but got ${maxResults}; page through larger results with page_token`,
    );
  }
  return maxResults;
}
