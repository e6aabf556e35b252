/** What `keel drift` does once its flags are parsed; loaded only when the command runs (DuckDB, workers, the report). */
import { writeFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Command } from "commander";
import { KeelError, invalidParameter } from "../core/errors.js";
import type { Frame } from "../core/frame.js";
import { readTable } from "../learn/data/index.js";
import type { ColumnDriftOverride, DriftResult, StatTestName } from "../monitoring/drift/index.js";
import { checkStatTestName, detectDriftParallel } from "../monitoring/drift/index.js";
import { driftCharts, renderDriftReport } from "../monitoring/report/index.js";
import type { CliContext } from "./cli-context.js";
import { CliExit, keyValuePair } from "./cli-context.js";
import { formatTable } from "./format-table.js";
import { formatNumber, toJson } from "./format-values.js";

export interface DriftFlags {
  readonly reference: string;
  readonly current: string;
  readonly test?: string;
  readonly threshold?: number;
  readonly columnTest: readonly string[];
  readonly columns?: string;
  readonly driftShare?: number;
  readonly failOnDrift?: boolean;
  readonly json?: boolean;
  readonly html?: string;
  readonly logToRun?: string;
}

/** Where `--log-to-run` puts the report among the run's artifacts. */
export const DRIFT_ARTIFACT_DIR = "drift";

/** The test names of issue-style flags: `ztest` is Evidently's `z`. */
function testName(value: string, where: string): StatTestName {
  return checkStatTestName(value === "ztest" ? "z" : value, where);
}

/** `--column-test COL=TEST[:THRESHOLD]` as per-column overrides. */
function perColumn(values: readonly string[]): Record<string, ColumnDriftOverride> {
  const result: Record<string, ColumnDriftOverride> = {};
  for (const raw of values) {
    const { key, value } = keyValuePair(raw, "COLUMN=TEST or COLUMN=TEST:THRESHOLD, e.g. --column-test tenure=psi:0.2");
    const [test, threshold] = value.split(":");
    const parsed = threshold === undefined ? undefined : Number(threshold);
    if (parsed !== undefined && !Number.isFinite(parsed)) throw invalidParameter(`--column-test ${raw}: the threshold '${threshold}' is not a number`);
    result[key] = { stattest: testName(test, `--column-test ${raw}`), ...(parsed !== undefined ? { threshold: parsed } : {}) };
  }
  return result;
}

function summary(result: DriftResult): string {
  const verdict = result.datasetDrift ? "DRIFT" : "no drift";
  return `${verdict}: ${result.driftedColumns} of ${result.columns.length} columns drifted (${(result.share * 100).toFixed(1)}%; dataset drift from ${(result.driftShare * 100).toFixed(1)}%)`;
}

interface DriftTables {
  readonly reference: Frame;
  readonly current: Frame;
  readonly result: DriftResult;
}

function renderReport(flags: DriftFlags, tables: DriftTables): string {
  return renderDriftReport({
    result: tables.result,
    charts: driftCharts(tables.reference, tables.current, tables.result),
    referenceName: basename(flags.reference),
    currentName: basename(flags.current),
    generatedAt: new Date(),
  });
}

async function writeReport(path: string, html: string): Promise<void> {
  await writeFile(path, html).catch((error: unknown) => {
    throw new KeelError("INVALID_PARAMETER_VALUE", `cannot write the report to '${path}': ${(error as Error).message}; check that its directory exists`, { cause: error });
  });
}

/** Uploads the report and the JSON result through the tracking server's artifact proxy, as `log_artifact` would. */
async function logToRun(ctx: CliContext, command: Command, runId: string, html: string, result: DriftResult): Promise<string> {
  const client = ctx.client(command);
  const run = await client.getRun({ run_id: runId });
  const artifactUri = run.info.artifact_uri;
  await client.uploadArtifact({ artifact_uri: artifactUri, path: `${DRIFT_ARTIFACT_DIR}/report.html`, body: html });
  await client.uploadArtifact({ artifact_uri: artifactUri, path: `${DRIFT_ARTIFACT_DIR}/result.json`, body: `${toJson(result)}\n` });
  return `${artifactUri.replace(/\/+$/, "")}/${DRIFT_ARTIFACT_DIR}`;
}

/** Runs `keel drift` with its parsed flags. */
export async function runDrift(flags: DriftFlags, command: Command, ctx: CliContext): Promise<void> {
  const options = {
    ...(flags.test !== undefined ? { stattest: testName(flags.test, "--test") } : {}),
    ...(flags.threshold !== undefined ? { stattestThreshold: flags.threshold } : {}),
    ...(flags.columnTest.length > 0 ? { perColumn: perColumn(flags.columnTest) } : {}),
    ...(flags.columns !== undefined ? { columns: flags.columns.split(",").map((c) => c.trim()).filter(Boolean) } : {}),
    ...(flags.driftShare !== undefined ? { driftShare: flags.driftShare } : {}),
  };
  const [reference, current] = [await readTable(flags.reference), await readTable(flags.current)];
  const result = await detectDriftParallel(reference, current, options);
  if (flags.json) ctx.printJson(result);
  else {
    const rows = result.columns.map((c) => [
      c.column,
      c.kind,
      c.stattest,
      Number.isFinite(c.statistic) ? formatNumber(c.statistic) : String(c.statistic),
      c.pValue === undefined ? "" : formatNumber(c.pValue),
      formatNumber(c.threshold),
      c.drifted ? "DRIFT" : "ok",
    ]);
    ctx.print(formatTable(rows, { header: ["COLUMN", "KIND", "TEST", "STATISTIC", "P-VALUE", "THRESHOLD", "VERDICT"] }));
    ctx.print(summary(result));
  }
  // With --json, stdout holds only the JSON document; notes about files go to stderr.
  const note = (text: string): void => (flags.json ? ctx.io.stderr(`${text}\n`) : ctx.print(text));
  if (flags.html !== undefined || flags.logToRun !== undefined) {
    const html = renderReport(flags, { reference, current, result });
    if (flags.html !== undefined) {
      await writeReport(flags.html, html);
      note(`Wrote the HTML report to ${flags.html}`);
    }
    if (flags.logToRun !== undefined) {
      const where = await logToRun(ctx, command, flags.logToRun, html, result);
      note(`Logged ${DRIFT_ARTIFACT_DIR}/report.html and ${DRIFT_ARTIFACT_DIR}/result.json to run ${flags.logToRun} (${where})`);
    }
  }
  if (flags.failOnDrift && result.datasetDrift) throw new CliExit(1);
}
