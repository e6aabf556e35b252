/** Drift reports: chart data for each compared column and a self-contained HTML document of the result. */
export { MAX_CATEGORIES, MAX_HISTOGRAM_BINS, barChart, driftCharts, histogramChart } from "./drift-charts.js";
export type { BarChart, ColumnChart, DriftChartsOptions, HistogramChart } from "./drift-charts.js";
export { DEFAULT_REPORT_TITLE, RESULT_ELEMENT_ID, renderDriftReport } from "./html-report.js";
export type { DriftReportInput } from "./html-report.js";
export { escapeHtml, formatStatistic, jsonForScript } from "./html-escape.js";
export { CURRENT_COLOUR, REFERENCE_COLOUR, renderChartSvg } from "./svg-chart.js";
