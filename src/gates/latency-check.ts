import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import * as ort from "onnxruntime-node";
import { KeelError } from "../core/errors.js";
import { readCheckSpec } from "./check-spec.js";
import { atMost, formatNumber } from "./format-number.js";
import type { GateCheck, GateCheckFactory, GateContext } from "./gate-check.js";
import { inputRowsFromCsv, inputRowsFromExample } from "./input-rows.js";
import type { InputRows } from "./input-rows.js";
import { describeOnnxInputs, prepareFeeds } from "./onnx-feeds.js";
import type { CheckResult, CheckStatus } from "./types.js";

const KEYS = {
  p50_ms: "5",
  p99_ms: "20",
  iterations: "200",
  warmup: "20",
  batch_size: "1",
  dataset: "sample.csv",
  warn_margin_pct: "10",
};

interface LatencyOptions {
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly iterations: number;
  readonly warmup: number;
  readonly batchSize: number;
  readonly dataset?: string;
  readonly warnMarginPct: number;
}

/** The nearest-rank percentile of ascending values: the smallest value with at least p% of values at or below. */
export function nearestRank(sorted: readonly number[], percentile: number): number {
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

const WORSE: Readonly<Record<CheckStatus, number>> = { PASS: 0, WARN: 1, FAIL: 2 };

/** A reason the model could not be timed; the check reports it as a FAIL, so the report says what to fix. */
class LatencyFailure extends Error {}

/** Milliseconds to 3 significant digits: timing noise makes more digits meaningless. */
function formatMs(ms: number): string {
  return String(Number(ms.toPrecision(3)));
}

async function sampleData(ctx: GateContext, dataset: string | undefined): Promise<InputRows> {
  if (dataset !== undefined) {
    const path = resolve(ctx.baseDir, dataset);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : "unreadable";
      throw new LatencyFailure(`dataset '${dataset}' ${reason} at ${path}`);
    }
    return inputRowsFromCsv(text, `dataset '${dataset}'`);
  }
  if (ctx.candidate.inputExample === undefined) {
    throw new LatencyFailure(
      `version ${ctx.candidate.version} has no input example; log the model with one, or set \`dataset: sample.csv\``,
    );
  }
  return inputRowsFromExample(ctx.candidate.inputExample);
}

/** Times `iterations` runs after `warmup` runs; returns each run's milliseconds, ascending. */
async function timeRuns(bytes: Uint8Array, ctx: GateContext, data: InputRows, options: LatencyOptions): Promise<number[]> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (error) {
    throw new LatencyFailure(`onnxruntime cannot load model.onnx: ${(error as Error).message}`);
  }
  try {
    const total = options.warmup + options.iterations;
    const inputs = describeOnnxInputs(session, ctx.candidate.signature);
    const feeds = prepareFeeds(inputs, data, { batchSize: options.batchSize, maxRows: total * options.batchSize });
    // Batches repeat with period rowCount / gcd(rowCount, batchSize); build each distinct one once, outside timing.
    const distinct = Math.min(total, feeds.rowCount / gcd(feeds.rowCount, options.batchSize));
    const batches = Array.from({ length: distinct }, (_, b) =>
      feeds.batch(Array.from({ length: options.batchSize }, (_, j) => (b * options.batchSize + j) % feeds.rowCount)),
    );
    const times: number[] = [];
    for (let call = 0; call < total; call++) {
      const feed = batches[call % distinct];
      const start = process.hrtime.bigint();
      try {
        await session.run(feed);
      } catch (error) {
        throw new LatencyFailure(`the model failed to run on the sample data: ${(error as Error).message}`);
      }
      if (call >= options.warmup) times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return times.sort((a, b) => a - b);
  } finally {
    await session.release();
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function judge(name: string, actual: number, limit: number | undefined, marginPct: number): [CheckStatus, string] {
  if (limit === undefined) return ["PASS", ""];
  const shown = `${name} ${formatMs(actual)} ms`;
  if (atMost(actual, limit)) return ["PASS", `${shown} <= ${formatNumber(limit)} ms`];
  if (marginPct > 0 && atMost(actual, limit * (1 + marginPct / 100))) {
    return ["WARN", `${shown} exceeds ${formatNumber(limit)} ms (within the ${formatNumber(marginPct)}% margin)`];
  }
  return ["FAIL", `${shown} exceeds ${formatNumber(limit)} ms`];
}

/**
 * Policy `type: latency`: loads the candidate's model.onnx with onnxruntime-node and times single calls
 * on its input example (or a CSV dataset), cycling rows into batches of `batch_size`.
 */
export const createLatencyCheck: GateCheckFactory = (raw, where) => {
  const spec = readCheckSpec(raw, where, "latency", KEYS);
  const options: LatencyOptions = {
    p50Ms: spec.number("p50_ms", { min: 0, exclusive: true }),
    p99Ms: spec.number("p99_ms", { min: 0, exclusive: true }),
    iterations: spec.number("iterations", { min: 1, integer: true }) ?? 200,
    warmup: spec.number("warmup", { min: 0, integer: true }) ?? 20,
    batchSize: spec.number("batch_size", { min: 1, integer: true }) ?? 1,
    dataset: spec.string("dataset"),
    warnMarginPct: spec.number("warn_margin_pct", { min: 0 }) ?? 0,
  };
  if (options.p50Ms === undefined && options.p99Ms === undefined) {
    spec.refuse("a latency check needs `p50_ms:` and/or `p99_ms:` (milliseconds, e.g. `p99_ms: 20`)");
  }
  const limits = [
    options.p50Ms === undefined ? "" : `p50 <= ${formatNumber(options.p50Ms)} ms`,
    options.p99Ms === undefined ? "" : `p99 <= ${formatNumber(options.p99Ms)} ms`,
  ];
  const threshold = limits.filter((l) => l !== "").join(", ");

  const check: GateCheck = {
    name: "latency",
    type: "latency",
    async run(ctx): Promise<CheckResult> {
      const base = { check: "latency", type: "latency", threshold };
      const fail = (message: string): CheckResult => ({ ...base, status: "FAIL", actual: null, message });
      const bytes = await ctx.candidate.loadOnnx();
      if (!bytes) return fail("the model has no onnx flavor; latency needs model.onnx");
      let times: number[];
      try {
        times = await timeRuns(bytes, ctx, await sampleData(ctx, options.dataset), options);
      } catch (error) {
        // Sample data that does not fit the model is the user's to fix, so it is a FAIL with the reason.
        if (error instanceof LatencyFailure || error instanceof KeelError) {
          return fail((error as Error).message);
        }
        throw error;
      }
      const p50 = nearestRank(times, 50);
      const p99 = nearestRank(times, 99);
      const verdicts = [
        judge("p50", p50, options.p50Ms, options.warnMarginPct),
        judge("p99", p99, options.p99Ms, options.warnMarginPct),
      ];
      const status = verdicts.reduce<CheckStatus>((worst, [s]) => (WORSE[s] > WORSE[worst] ? s : worst), "PASS");
      const details = verdicts.filter(([s, text]) => text !== "" && s === status).map(([, text]) => text);
      const runs = `${options.iterations} runs of batch ${options.batchSize}`;
      const actual = `p50 ${formatMs(p50)} ms, p99 ${formatMs(p99)} ms`;
      return { ...base, status, actual, message: `${details.join("; ")} (${runs})` };
    },
  };
  return check;
};
