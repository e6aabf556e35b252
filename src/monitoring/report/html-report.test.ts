import { describe, expect, it } from "vitest";
import type { ColumnDriftResult, DriftResult } from "../drift/index.js";
import type { ColumnChart } from "./drift-charts.js";
import { formatStatistic, jsonForScript } from "./html-escape.js";
import { RESULT_ELEMENT_ID, renderDriftReport } from "./html-report.js";

const EVIL = `a<b & "c" 'd' </script><!--`;

function column(name: string, drifted: boolean, extra: Partial<ColumnDriftResult> = {}): ColumnDriftResult {
  return {
    column: name, kind: "numerical", stattest: "wasserstein", threshold: 0.1, statistic: drifted ? 0.6 : 0.02, drifted,
    referenceRows: 100, currentRows: 90, missing: { reference: 0, current: 10 }, ...extra,
  };
}

const result: DriftResult = {
  columns: [column("age", true), column(EVIL, false, { kind: "categorical", stattest: "chisquare", threshold: 0.05, statistic: Infinity, pValue: 1e-12 })],
  driftedColumns: 1,
  share: 0.5,
  driftShare: 0.5,
  datasetDrift: true,
};

const charts: ColumnChart[] = [
  { type: "histogram", column: "age", edges: [0, 1, 2], reference: [0.5, 0.5], current: [0, 1] },
  { type: "bars", column: EVIL, labels: [EVIL, "other"], reference: [1, 0], current: [0.25, 0.75], otherCategories: 3 },
];

const render = (): string =>
  renderDriftReport({ result, charts, referenceName: "train.parquet", currentName: "today<1>.parquet", generatedAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) });

describe("renderDriftReport", () => {
  it("renders a summary and one row per column with its test, numbers, verdict and chart", () => {
    const html = render();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<title>Keel drift report</title>");
    expect(html).toContain("Dataset drift detected");
    expect(html).toContain("1 of 2 columns drifted (50.0%)");
    expect(html).toContain("Generated 2025-01-02T03:04:05.000Z");
    const rows = html.match(/<tr class="(drifted|ok)"/g) ?? [];
    expect(rows).toEqual(['<tr class="drifted"', '<tr class="ok"']);
    expect(html).toMatch(/<td class="num">0\.6<\/td><td class="num">—<\/td><td class="num">0\.1<\/td><td class="verdict">DRIFT<\/td>/);
    expect(html).toMatch(/<td class="num">∞<\/td><td class="num">1\.00e-12<\/td><td class="num">0\.05<\/td><td class="verdict">ok<\/td>/);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(2);
    expect(html).toContain("other (3 categories)");
  });

  it("escapes every piece of user text, and the embedded JSON cannot close its script element", () => {
    const html = render();
    expect(html).not.toContain(EVIL);
    expect(html).toContain("a&lt;b &amp; &quot;c&quot; &#39;d&#39; &lt;/script&gt;&lt;!--");
    expect(html).toContain("today&lt;1&gt;.parquet");
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    const json = html.slice(html.indexOf(`id="${RESULT_ELEMENT_ID}">`) + RESULT_ELEMENT_ID.length + 6, html.lastIndexOf("</script>"));
    const parsed = JSON.parse(json) as { columns: { column: string; statistic: unknown }[] };
    expect(parsed.columns[1].column).toBe(EVIL);
    expect(parsed.columns[1].statistic).toBe("Infinity");
  });

  it("loads nothing from anywhere: no URL, font or script source, and a policy that forbids fetches", () => {
    const html = render();
    expect(html).not.toMatch(/https?:|\/\/[a-z]|@import|@font-face|\bsrc=|\bhref=/i);
    expect(html).toContain(`content="default-src 'none'`);
  });

  it("gives the same bytes for the same input, and names the no-drift verdict", () => {
    expect(render()).toBe(render());
    const calm = renderDriftReport({
      result: { ...result, columns: [column("age", false)], driftedColumns: 0, share: 0, datasetDrift: false },
      charts: [],
      title: "Nightly <check>",
      referenceName: "a",
      currentName: "b",
      generatedAt: new Date(0),
    });
    expect(calm).toContain("No dataset drift");
    expect(calm).toContain("<title>Nightly &lt;check&gt;</title>");
  });
});

describe("formatStatistic and jsonForScript", () => {
  it("writes numbers for people and JSON safe inside a script element", () => {
    expect([0, 0.123456, 1e-9, 2.5e7, -Infinity, NaN].map(formatStatistic)).toEqual(["0", "0.1235", "1.00e-9", "2.50e+7", "−∞", "NaN"]);
    expect(jsonForScript({ a: "</script>&\u2028" })).toBe('{\n  "a": "\\u003c/script\\u003e\\u0026\\u2028"\n}');
  });
});
