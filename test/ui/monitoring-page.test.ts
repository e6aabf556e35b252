import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqlMonitorStore } from "../../src/monitoring/monitors/sql-monitor-store.js";
import type { NewMonitorRun } from "../../src/monitoring/monitors/types.js";
import { openDatabase } from "../../src/store/database.js";
import type { UiServer } from "./ui-harness.js";
import { HAS_CHROMIUM, SKIP_REASON, launchBrowser, openPage, screenshot, startUiServer } from "./ui-harness.js";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5, 8);

function column(name: string, statistic: number, pValue: number, drifted: boolean) {
  return { column: name, kind: "numerical", stattest: "ks", threshold: 0.05, statistic, pValue, drifted, referenceRows: 500, currentRows: 200, missing: { reference: 0, current: 0 } };
}

/** A run of the churn monitor `hour` hours after T0, with drift over `drifted` of its three columns. */
function churnRun(hour: number, drifted: number): NewMonitorRun {
  const columns = [column("tenure", 0.41, 0.00002, drifted >= 1), column("monthly_charges", 0.22, 0.003, drifted >= 2), column("age", 0.04, 0.62, false)];
  const share = drifted / columns.length;
  const alert = share >= 0.5;
  return {
    monitor: "churn-drift",
    model: "churn",
    startedAt: T0 + hour * HOUR,
    finishedAt: T0 + hour * HOUR + 1500,
    windowStart: T0 + (hour - 24) * HOUR,
    windowEnd: T0 + hour * HOUR,
    status: alert ? "alert" : "ok",
    reasons: alert ? [`input drift in ${drifted} of 3 columns (${(share * 100).toFixed(1)}% >= 50.0%)`, "accuracy degraded: 0.78 vs 0.91 (-14.3%)"] : [],
    rows: 200 + hour,
    driftShare: share,
    datasetDrift: alert,
    result: {
      reference: { table: "data/churn-train.csv", version: "3", rows: 500 },
      columns: columns.map((c) => c.column),
      drift: { columns, driftedColumns: drifted, share, driftShare: 0.5, datasetDrift: alert },
      quality: {
        passed: !alert,
        issues: alert ? [{ column: "tenure", check: "missing", message: "tenure: missing share rose from 0.0% to 18.0% (more than 10.0%)" }] : [],
      },
      predictionDrift: null,
      performance: {
        overall: { accuracy: alert ? 0.78 : 0.9 },
        rows: 120,
        windows: [],
        comparison: [{ metric: "accuracy", reference: 0.91, current: alert ? 0.78 : 0.9, change: alert ? -0.13 : -0.01, relativeChange: alert ? -0.1429 : -0.011, direction: "higher_is_better", degraded: alert }],
        degraded: alert,
        tolerance: 0.05,
        labelledRows: 120,
        referenceMetrics: { accuracy: 0.91 },
      },
    },
  };
}

describe.skipIf(!HAS_CHROMIUM)(`the monitoring pages in chromium${SKIP_REASON}`, () => {
  let server: UiServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startUiServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("explains where monitors come from, then shows each monitor's newest run and its history", async () => {
    const { page, errors, requests } = await openPage(browser, server);
    await page.goto(`${server.url}/#/monitoring`);
    await expect.poll(() => page.locator(".empty").innerText()).toContain("keel server --monitors monitors.yaml");
    expect(await page.locator(".empty").innerText()).toContain("keel monitor run");

    const database = await openDatabase(server.backendStoreUri);
    try {
      const store = createSqlMonitorStore(database);
      await store.recordRun(churnRun(0, 0));
      await store.recordRun(churnRun(1, 1));
      await store.recordRun(churnRun(2, 2));
      await store.recordRun({
        monitor: "fraud-quality",
        model: "fraud",
        startedAt: T0,
        finishedAt: T0 + 200,
        windowStart: T0 - HOUR,
        windowEnd: T0,
        status: "error",
        reasons: ["0 predictions in the window, fewer than minRows 1"],
        rows: 0,
        driftShare: null,
        datasetDrift: null,
        result: {},
      });
    } finally {
      await database.close();
    }

    await page.reload();
    const row = (monitor: string) => page.locator(`table.monitors tr[data-monitor="${monitor}"]`);
    await row("churn-drift").waitFor();
    expect(await page.locator("table.monitors tbody tr").count()).toBe(2);
    const churn = await row("churn-drift").innerText();
    expect(churn).toContain("alert");
    expect(churn).toContain("input drift in 2 of 3 columns");
    expect(churn).toContain("66.7%");
    expect(churn).toContain("202");
    expect(churn).toContain("2026-01-05 10:00:01");
    const fraud = await row("fraud-quality").innerText();
    expect(fraud).toContain("error");
    expect(fraud).toContain("fewer than minRows");
    await screenshot(page, "monitoring");

    // The monitor's history: one point and one row per run, the newest run's checks below.
    await row("churn-drift").getByRole("link", { name: "churn-drift" }).click();
    await page.waitForURL(/#\/monitoring\/churn-drift/);
    await page.locator("svg.monitor-chart").waitFor();
    expect(await page.locator("svg.monitor-chart circle.point").count()).toBe(3);
    expect(await page.locator("svg.monitor-chart circle.point.status-alert").count()).toBe(1);
    expect(await page.locator("table.monitoring-runs tbody tr").count()).toBe(3);
    const detail = page.locator("section.monitor-detail");
    expect(await detail.getAttribute("data-run")).toBe("3");
    const drift = await detail.locator('table.drift tr[data-column="tenure"] td').allInnerTexts();
    expect(drift).toEqual(["tenure", "numerical", "ks", "0.41", "2.00e-5", "0.05", "drift"]);
    expect(await detail.locator('table.drift tr[data-column="age"] td:last-child').innerText()).toBe("no drift");
    expect(await detail.locator("table.quality").innerText()).toContain("missing share rose from 0.0% to 18.0%");
    const accuracy = await detail.locator('table.performance tr[data-metric="accuracy"]').innerText();
    expect(accuracy).toContain("0.91");
    expect(accuracy).toContain("0.78");
    expect(accuracy).toContain("degraded");
    await screenshot(page, "monitoring-monitor");

    // Choosing an older run shows its checks, and the URL keeps the choice.
    await page.locator('table.monitoring-runs tr[data-run="1"] a').click();
    await page.waitForURL(/run=1/);
    await expect.poll(() => detail.getAttribute("data-run")).toBe("1");
    expect(await detail.innerText()).toContain("No data-quality issue.");
    expect(await detail.locator('table.drift tr[data-column="tenure"] td:last-child').innerText()).toBe("no drift");

    // An errored run explains that it has no checks.
    await page.goto(`${server.url}/#/monitoring/fraud-quality`);
    await expect.poll(() => page.locator("section.monitor-detail").innerText()).toContain("the run could not compute its checks");

    expect(errors).toEqual([]);
    expect(requests.every((url) => url.startsWith(server.url))).toBe(true);
  });
});
