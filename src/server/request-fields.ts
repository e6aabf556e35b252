import type { RequestFields } from "./server-context.js";
import { int64FromWire } from "./wire.js";

/** Readers of request fields that fastify's schema has already checked for type. */

export function str(fields: RequestFields, name: string): string {
  return fields[name] as string;
}

export function optionalStr(fields: RequestFields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function tagsOf(value: unknown): { key: string; value: string }[] {
  return ((value as { key: string; value: string }[] | undefined) ?? []).map((t) => ({ key: t.key, value: t.value }));
}

/** The range is checked by the store's search, the one place that knows MLflow's limits. */
export function maxResultsOf(fields: RequestFields): number | undefined {
  return int64FromWire(fields.max_results, "max_results");
}

/** order_by arrives as one string (a query string with one value) or a list. */
export function orderByOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? [value] : (value as string[]);
}

/** A repeated query parameter: one string when given once, a list when given more often. */
export function stringsOf(value: unknown): string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : (value as string[]);
}
