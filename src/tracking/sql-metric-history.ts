import { sql } from "kysely";
import { invalidParameter } from "../core/errors.js";
import { toMetric } from "./row-mappers.js";
import type { SqlContext } from "./sql-context.js";
import { runRow } from "./sql-runs.js";
import type { MetricHistoryInput } from "./tracking-store.js";
import type { Metric, Page } from "./types.js";
import { LIMITS, validateKey } from "./validation.js";

interface HistoryCursor {
  readonly step: number;
  readonly timestamp: number;
  readonly value: number;
  readonly isNan: number;
}

function encodeCursor(cursor: HistoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.step, cursor.timestamp, cursor.value, cursor.isNan])).toString("base64url");
}

function decodeCursor(token: string): HistoryCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 4 && parsed.every((n) => typeof n === "number")) {
      const [step, timestamp, value, isNan] = parsed as number[];
      return { step, timestamp, value, isNan };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidParameter(`invalid page_token '${token}' for metrics/get-history; pass the next_page_token of the previous page`);
}

/**
 * Points of one metric, ordered by step, timestamp and value. Without max_results and page_token the whole
 * history comes back at once (as MLflow's server answers); otherwise pages of at most 25,000 points whose
 * token is the last point's position, so points logged between pages never shift what comes next.
 */
export async function getMetricHistory(ctx: SqlContext, input: MetricHistoryInput): Promise<Page<Metric>> {
  await runRow(ctx, input.runId);
  validateKey("metric", input.key);
  const paged = input.maxResults !== undefined || input.pageToken !== undefined;
  const maxResults = input.maxResults ?? LIMITS.maxHistoryPage;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > LIMITS.maxHistoryPage) {
    throw invalidParameter(`max_results must be between 1 and ${LIMITS.maxHistoryPage}, got ${String(input.maxResults)}`);
  }
  const cursor = input.pageToken ? decodeCursor(input.pageToken) : undefined;
  let query = ctx.db
    .selectFrom("metrics")
    .select(["key", "value", "is_nan", "timestamp", "step"])
    .where("run_id", "=", input.runId)
    .where("key", "=", input.key)
    .orderBy("step")
    .orderBy("timestamp")
    .orderBy("value")
    .orderBy("is_nan");
  if (cursor) {
    query = query.where(
      sql<boolean>`(step, timestamp, value, is_nan) > (${cursor.step}, ${cursor.timestamp}, ${cursor.value}, ${cursor.isNan})`,
    );
  }
  if (!paged) return { items: (await query.execute()).map(toMetric) };
  const rows = await query.limit(maxResults + 1).execute();
  const page = rows.slice(0, maxResults);
  const last = page[page.length - 1];
  const nextPageToken =
    rows.length > maxResults && last
      ? encodeCursor({ step: last.step, timestamp: last.timestamp, value: last.value, isNan: last.is_nan })
      : undefined;
  return { items: page.map(toMetric), nextPageToken };
}
