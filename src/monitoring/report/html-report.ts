/**
 * The drift report as one self-contained HTML file: styles, charts and the JSON result inline, so it can be
 * mailed, attached to a run or opened from disk with no network at all (its Content-Security-Policy forbids
 * any fetch, so a later edit that adds one fails loudly in the browser test instead of leaking quietly).
 */
import type { ColumnDriftResult, DriftResult } from "../drift/index.js";
import type { ColumnChart } from "./drift-charts.js";
import { escapeHtml, formatStatistic, jsonForScript } from "./html-escape.js";
import { CURRENT_COLOUR, REFERENCE_COLOUR, renderChartSvg } from "./svg-chart.js";

export const DEFAULT_REPORT_TITLE = "Keel drift report";

/** The id of the `<script type="application/json">` element holding the result, for tools that scrape it. */
export const RESULT_ELEMENT_ID = "keel-drift-result";

export interface DriftReportInput {
  readonly result: DriftResult;
  /** One chart per column of `result`, matched by column name; a column without one shows no chart. */
  readonly charts: readonly ColumnChart[];
  readonly title?: string;
  /** How the report names the two tables, e.g. their file names. */
  readonly referenceName: string;
  readonly currentName: string;
  /** Passed in rather than read from the clock so the same input renders the same bytes. */
  readonly generatedAt: Date;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232a;margin:24px;background:#fff}
h1{font-size:22px;margin:0 0 4px}
.meta{color:#5a6470;margin:0 0 16px}
.summary{border:1px solid #d5dae0;border-left-width:6px;border-radius:4px;padding:10px 14px;margin-bottom:20px;max-width:760px}
.summary.drift{border-left-color:#c62828;background:#fdf2f2}
.summary.ok{border-left-color:#2e7d32;background:#f2f9f2}
.summary .verdict{font-size:18px;font-weight:600;margin:0 0 4px}
.summary p{margin:2px 0}
table{border-collapse:collapse}
th,td{border-bottom:1px solid #e3e7eb;padding:6px 10px;text-align:left;vertical-align:top}
th{background:#f4f6f8;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.drifted td:first-child{border-left:4px solid #c62828}
td.verdict{font-weight:600}
tr.drifted td.verdict{color:#c62828}
tr.ok td.verdict{color:#2e7d32}
.chart text{font-size:11px;fill:#444}
.chart .axis-title{font-size:11px;fill:#777}
.swatch{display:inline-block;width:10px;height:10px;opacity:.6;margin:0 4px 0 10px;vertical-align:baseline}
`;

/** No fetches of any kind; inline styles are the only thing the page loads besides itself. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function summary(input: DriftReportInput): string {
  const { result } = input;
  const verdict = result.datasetDrift ? "Dataset drift detected" : "No dataset drift";
  return (
    `<section id="summary" class="summary ${result.datasetDrift ? "drift" : "ok"}">` +
    `<p class="verdict">${verdict}</p>` +
    `<p class="drifted-columns">${result.driftedColumns} of ${result.columns.length} columns drifted (${pct(result.share)}); ` +
    `the dataset drifts when at least ${pct(result.driftShare)} of columns drift.</p>` +
    `<p class="legend">Charts show each sample's share of non-missing values:` +
    `<span class="swatch" style="background:${REFERENCE_COLOUR}"></span>reference (${escapeHtml(input.referenceName)})` +
    `<span class="swatch" style="background:${CURRENT_COLOUR}"></span>current (${escapeHtml(input.currentName)})</p>` +
    `</section>`
  );
}

function row(column: ColumnDriftResult, chart: ColumnChart | undefined): string {
  const verdict = column.drifted ? "DRIFT" : "ok";
  const cells = [
    `<td class="column">${escapeHtml(column.column)}</td>`,
    `<td>${column.kind}</td>`,
    `<td>${column.stattest}</td>`,
    `<td class="num">${formatStatistic(column.statistic)}</td>`,
    `<td class="num">${column.pValue === undefined ? "—" : formatStatistic(column.pValue)}</td>`,
    `<td class="num">${formatStatistic(column.threshold)}</td>`,
    `<td class="verdict">${verdict}</td>`,
    `<td class="num">${column.referenceRows} / ${column.currentRows}</td>`,
    `<td class="chart-cell">${chart ? renderChartSvg(chart) : ""}</td>`,
  ];
  return `<tr class="${column.drifted ? "drifted" : "ok"}" data-column="${escapeHtml(column.column)}">${cells.join("")}</tr>`;
}

function table(input: DriftReportInput): string {
  const charts = new Map(input.charts.map((c) => [c.column, c] as const));
  const header = ["Column", "Kind", "Test", "Statistic", "P-value", "Threshold", "Verdict", "Rows (ref / cur)", "Reference vs current"];
  return (
    `<table id="columns"><thead><tr>${header.map((h) => `<th>${h}</th>`).join("")}</tr></thead>` +
    `<tbody>${input.result.columns.map((c) => row(c, charts.get(c.column))).join("")}</tbody></table>`
  );
}

/**
 * A complete HTML document for a drift result: a summary (dataset verdict, drifted columns, share against the
 * threshold), then one table row per column with its test, statistic, p-value, threshold, verdict and chart.
 * The result itself is embedded as JSON in `<script type="application/json" id="keel-drift-result">`.
 * @example
 * const html = renderDriftReport({ result, charts: driftCharts(train, today, result), referenceName: "train.parquet",
 *   currentName: "today.parquet", generatedAt: new Date() });
 */
export function renderDriftReport(input: DriftReportInput): string {
  const title = input.title ?? DEFAULT_REPORT_TITLE;
  const meta =
    `Reference: ${escapeHtml(input.referenceName)} · Current: ${escapeHtml(input.currentName)} · ` +
    `Generated ${escapeHtml(input.generatedAt.toISOString())}`;
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style></head>`,
    `<body><header><h1>${escapeHtml(title)}</h1><p class="meta">${meta}</p></header>`,
    summary(input),
    table(input),
    `<script type="application/json" id="${RESULT_ELEMENT_ID}">${jsonForScript(input.result)}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}
