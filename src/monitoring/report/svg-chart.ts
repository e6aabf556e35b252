/**
 * Inline SVG of one column's reference and current distributions. Drawn as markup rather than by a charting
 * script so the report opens offline, prints, and reads the same in any browser or mail client.
 */
import type { BarChart, ColumnChart, HistogramChart } from "./drift-charts.js";
import { escapeHtml, formatStatistic } from "./html-escape.js";

export const REFERENCE_COLOUR = "#4c78a8";
export const CURRENT_COLOUR = "#f58518";

const WIDTH = 420;
const LEFT = 46;
const RIGHT = 10;
const TOP = 24;
const PLOT_HEIGHT = 120;
/** Room under the plot: tick labels and axis title; rotated category names need more. */
const BOTTOM = { histogram: 38, bars: 70 } as const;
const LABEL_CHARS = 12;

/** Coordinates to two decimals: enough for a screen, and the same text for the same input. */
function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share >= 0.1 || share === 0 ? 0 : 1)}%`;
}

function shorten(label: string): string {
  const chars = [...label];
  return chars.length <= LABEL_CHARS ? label : `${chars.slice(0, LABEL_CHARS - 1).join("")}…`;
}

interface Bar {
  readonly x: number;
  readonly width: number;
  readonly share: number;
  readonly sample: "reference" | "current";
  readonly tooltip: string;
}

function rect(bar: Bar, yMax: number): string {
  const height = (bar.share / yMax) * PLOT_HEIGHT;
  const colour = bar.sample === "reference" ? REFERENCE_COLOUR : CURRENT_COLOUR;
  return (
    `<rect class="bar ${bar.sample}" x="${px(bar.x)}" y="${px(TOP + PLOT_HEIGHT - height)}" width="${px(bar.width)}" ` +
    `height="${px(height)}" fill="${colour}" fill-opacity="0.6"><title>${escapeHtml(bar.tooltip)}</title></rect>`
  );
}

function histogramBars(chart: HistogramChart, plotWidth: number): { bars: Bar[]; ticks: string } {
  const bins = chart.reference.length;
  const width = plotWidth / bins;
  const bars: Bar[] = [];
  for (let i = 0; i < bins; i++) {
    const range = `[${formatStatistic(chart.edges[i])}, ${formatStatistic(chart.edges[i + 1])}${i === bins - 1 ? "]" : ")"}`;
    for (const sample of ["reference", "current"] as const) {
      const share = chart[sample][i];
      bars.push({ x: LEFT + i * width, width, share, sample, tooltip: `${range} ${sample}: ${percent(share)}` });
    }
  }
  const y = TOP + PLOT_HEIGHT + 14;
  const first = chart.edges[0];
  const last = chart.edges[chart.edges.length - 1];
  const ticks =
    `<text x="${LEFT}" y="${y}" text-anchor="start">${escapeHtml(formatStatistic(first))}</text>` +
    `<text x="${LEFT + plotWidth}" y="${y}" text-anchor="end">${escapeHtml(formatStatistic(last))}</text>` +
    `<text class="axis-title" x="${px(LEFT + plotWidth / 2)}" y="${y + 16}" text-anchor="middle">value</text>`;
  return { bars, ticks };
}

function categoryBars(chart: BarChart, plotWidth: number): { bars: Bar[]; ticks: string } {
  const groups = chart.labels.length;
  const group = plotWidth / Math.max(1, groups);
  const bars: Bar[] = [];
  const labels: string[] = [];
  chart.labels.forEach((raw, i) => {
    const label = chart.otherCategories > 0 && i === groups - 1 ? `other (${chart.otherCategories} categories)` : raw;
    bars.push({ x: LEFT + i * group + group * 0.1, width: group * 0.4, share: chart.reference[i], sample: "reference", tooltip: `${label} reference: ${percent(chart.reference[i])}` });
    bars.push({ x: LEFT + i * group + group * 0.5, width: group * 0.4, share: chart.current[i], sample: "current", tooltip: `${label} current: ${percent(chart.current[i])}` });
    const x = px(LEFT + (i + 0.5) * group);
    const y = TOP + PLOT_HEIGHT + 10;
    labels.push(`<text x="${x}" y="${y}" text-anchor="end" transform="rotate(-40 ${x} ${y})">${escapeHtml(shorten(label))}</text>`);
  });
  const title = `<text class="axis-title" x="${px(LEFT + plotWidth / 2)}" y="${TOP + PLOT_HEIGHT + BOTTOM.bars - 4}" text-anchor="middle">category</text>`;
  return { bars, ticks: labels.join("") + title };
}

/** Both samples on one plot with a legend, share of each sample on the y axis, bins or categories on x. */
export function renderChartSvg(chart: ColumnChart): string {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const { bars, ticks } = chart.type === "histogram" ? histogramBars(chart, plotWidth) : categoryBars(chart, plotWidth);
  const height = TOP + PLOT_HEIGHT + BOTTOM[chart.type === "histogram" ? "histogram" : "bars"];
  const yMax = Math.max(...bars.map((b) => b.share), 0) || 1;
  const plotBottom = TOP + PLOT_HEIGHT;
  const kind = chart.type === "histogram" ? "histogram" : "bar chart";
  const legendX = WIDTH - RIGHT - 150;
  return (
    `<svg class="chart" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
    `role="img" aria-label="${escapeHtml(`${kind} of ${chart.column}: reference vs current`)}">` +
    `<g class="legend"><rect x="${legendX}" y="6" width="10" height="10" fill="${REFERENCE_COLOUR}" fill-opacity="0.6"/>` +
    `<text x="${legendX + 14}" y="15">reference</text>` +
    `<rect x="${legendX + 80}" y="6" width="10" height="10" fill="${CURRENT_COLOUR}" fill-opacity="0.6"/>` +
    `<text x="${legendX + 94}" y="15">current</text></g>` +
    `<g class="bars">${bars.filter((b) => b.share > 0).map((b) => rect(b, yMax)).join("")}</g>` +
    `<g class="axes"><line x1="${LEFT}" y1="${plotBottom}" x2="${LEFT + plotWidth}" y2="${plotBottom}" stroke="#666"/>` +
    `<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${plotBottom}" stroke="#666"/>` +
    `<text x="${LEFT - 4}" y="${TOP + 4}" text-anchor="end">${percent(yMax)}</text>` +
    `<text x="${LEFT - 4}" y="${plotBottom}" text-anchor="end">0%</text>` +
    `<text class="axis-title" x="12" y="${px(TOP + PLOT_HEIGHT / 2)}" text-anchor="middle" transform="rotate(-90 12 ${px(TOP + PLOT_HEIGHT / 2)})">share</text>` +
    `${ticks}</g></svg>`
  );
}
