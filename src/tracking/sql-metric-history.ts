import { invalidParameter } from "../core/errors.js";
import type { MetricColumns } from "./metric-chunks.js";
import { decodeChunks, indexAfter } from "./metric-chunks.js";
import type { SqlContext } from "./sql-context.js";
import { runRow } from "./sql-runs.js";
import type { MetricHistoryInput } from "./tracking-store.js";
import type { Metric, Page } from "./types.js";
import { LIMITS, validateKey } from "./validation.js";

interface HistoryCursor {
  readonly step: number;
  readonly timestamp: number;
  readonly value: number;
}

/** The token names the last point returned; JSON has no NaN, so a NaN value travels as a flag. */
function encodeCursor(cursor: HistoryCursor): string {
  const nan = Number.isNaN(cursor.value);
  return Buffer.from(JSON.stringify([cursor.step, cursor.timestamp, nan ? 0 : cursor.value, nan ? 1 : 0])).toString("base64url");
}

function decodeCursor(token: string): HistoryCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 4 && parsed.every((n) => typeof n === "number")) {
      const [step, timestamp, value, isNan] = parsed as number[];
      return { step, timestamp, value: isNan ? NaN : value };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidParameter(`invalid page_token '${token}' for metrics/get-history; pass the next_page_token of the previous page`);
}

async function readAllChunks(ctx: SqlContext, runId: string, key: string): Promise<MetricColumns> {
  const chunks = await ctx.db.selectFrom("metric_chunks").select("data").where("run_id", "=", runId).where("key", "=", key).execute();
  return decodeChunks(chunks.map((c) => c.data));
}

async function chunkData(ctx: SqlContext, ids: readonly number[]): Promise<Uint8Array[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db.selectFrom("metric_chunks").select("data").where("chunk_id", "in", [...ids]).execute();
  return rows.map((r) => r.data);
}

/**
 * Reads only the chunks a page can draw from. Chunks come in min_step order until they hold more than
 * `limit` points after the cursor; the page's last step S is then known, and every other chunk that could
 * hold a point at or before S (min_step <= S) is read too. Chunks left out only hold points after S.
 */
async function readPageChunks(ctx: SqlContext, runId: string, key: string, cursor: HistoryCursor | undefined, limit: number): Promise<MetricColumns> {
  let metaQuery = ctx.db
    .selectFrom("metric_chunks")
    .select(["chunk_id", "min_step", "points"])
    .where("run_id", "=", runId)
    .where("key", "=", key);
  if (cursor) metaQuery = metaQuery.where("max_step", ">=", cursor.step);
  const meta = await metaQuery.orderBy("min_step").orderBy("chunk_id").execute();
  const data: Uint8Array[] = [];
  let next = 0;
  let columns = decodeChunks([]);
  let start = 0;
  while (next < meta.length && columns.length - start <= limit) {
    const batch: number[] = [];
    for (let wanted = limit + 1 - (columns.length - start); next < meta.length && wanted > 0; next++) {
      batch.push(meta[next].chunk_id);
      wanted -= meta[next].points;
    }
    data.push(...(await chunkData(ctx, batch)));
    columns = decodeChunks(data);
    start = cursor ? indexAfter(columns, cursor.step, cursor.timestamp, cursor.value) : 0;
  }
  if (next < meta.length && columns.length - start > limit) {
    const lastStep = columns.steps[start + limit - 1];
    const overlapping = meta.slice(next).filter((m) => m.min_step <= lastStep).map((m) => m.chunk_id);
    if (overlapping.length > 0) columns = decodeChunks([...data, ...(await chunkData(ctx, overlapping))]);
  }
  return columns;
}

/**
 * Points of one metric, ordered by step, timestamp and value. Without max_results and page_token the whole
 * history comes back at once (as MLflow's server answers); otherwise pages of at most 25,000 points whose
 * token is the last point's position, so points logged between pages never shift what comes next.
 */
export async function getMetricHistory(ctx: SqlContext, input: MetricHistoryInput): Promise<Page<Metric>> {
  await runRow(ctx, input.runId);
  const key = validateKey("metric", input.key);
  const paged = input.maxResults !== undefined || input.pageToken !== undefined;
  const maxResults = input.maxResults ?? LIMITS.maxHistoryPage;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > LIMITS.maxHistoryPage) {
    throw invalidParameter(`max_results must be between 1 and ${LIMITS.maxHistoryPage}, got ${String(input.maxResults)}`);
  }
  const cursor = input.pageToken ? decodeCursor(input.pageToken) : undefined;
  const columns = paged ? await readPageChunks(ctx, input.runId, key, cursor, maxResults) : await readAllChunks(ctx, input.runId, key);
  const start = cursor ? indexAfter(columns, cursor.step, cursor.timestamp, cursor.value) : 0;
  const end = paged ? Math.min(columns.length, start + maxResults) : columns.length;
  const items: Metric[] = new Array(Math.max(0, end - start));
  for (let i = start; i < end; i++) {
    items[i - start] = { key, value: columns.values[i], timestamp: columns.timestamps[i], step: columns.steps[i] };
  }
  const last = items[items.length - 1];
  const nextPageToken = paged && end < columns.length && last ? encodeCursor(last) : undefined;
  return { items, nextPageToken };
}
