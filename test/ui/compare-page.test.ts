import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UiServer } from "./ui-harness.js";
import { HAS_CHROMIUM, SKIP_REASON, launchBrowser, openPage, screenshot, startUiServer } from "./ui-harness.js";

interface RunSpec {
  readonly name: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly loss: readonly number[];
  readonly accuracy: number;
}

const RUNS: readonly RunSpec[] = [
  { name: "baseline", params: { lr: 0.1, max_depth: 6, n_estimators: 100, criterion: "gini" }, loss: [0.9, 0.6, 0.45, 0.41], accuracy: 0.84 },
  { name: "deeper", params: { lr: 0.05, max_depth: 6, n_estimators: 300, criterion: "entropy" }, loss: [0.95, 0.5, 0.33, 0.29], accuracy: 0.89 },
  { name: "shallow", params: { lr: 0.2, max_depth: 6, n_estimators: 50, criterion: "gini" }, loss: [0.8, 0.7, 0.66, 0.65], accuracy: 0.8 },
];

describe.skipIf(!HAS_CHROMIUM)(`the compare-runs page in chromium${SKIP_REASON}`, () => {
  let server: UiServer;
  let browser: Browser;
  const ids: string[] = [];
  beforeAll(async () => {
    server = await startUiServer();
    for (const spec of RUNS) {
      await server.keel.withRun({ experiment: "churn", runName: spec.name }, async (run) => {
        ids.push(run.runId);
        run.logParams(spec.params);
        spec.loss.forEach((loss, step) => run.logMetric("loss", loss, { step }));
        run.logMetric("accuracy", spec.accuracy);
      });
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("puts runs side by side, highlights what differs, and plots them against each other", async () => {
    const { page, errors, requests } = await openPage(browser, server);
    await page.goto(`${server.url}/#/compare?runs=${ids.join(",")}`);
    const params = page.locator("table.compare-params");
    await params.waitFor();
    expect(await params.locator("thead th").allInnerTexts()).toEqual(["Param", "baseline", "deeper", "shallow"]);
    const diffClass = (table: string, key: string) => page.locator(`table.${table} tr[data-key="${key}"]`).getAttribute("class");
    expect(await diffClass("compare-params", "lr")).toBe("diff");
    expect(await diffClass("compare-params", "criterion")).toBe("diff");
    expect(await diffClass("compare-params", "max_depth")).toBe("");
    expect(await page.locator('table.compare-params tr[data-key="lr"] td').allInnerTexts()).toEqual(["lr", "0.1", "0.05", "0.2"]);
    expect(await diffClass("compare-metrics", "loss")).toBe("diff");
    expect(await page.locator('table.compare-metrics tr[data-key="loss"] td').allInnerTexts()).toEqual(["loss", "0.41", "0.29", "0.65"]);

    // The loss curves of the three runs, overlaid: loss was logged over steps, accuracy once.
    expect(await page.getByLabel("Curve metric").inputValue()).toBe("loss");
    await expect.poll(() => page.locator(".metric-chart").getAttribute("data-series-count")).toBe("3");

    // The scatter: one point per run; a text param has no position, so it is not offered.
    const scatterPoints = page.locator("svg.compare-scatter circle.point");
    await page.getByLabel("Scatter X").selectOption("param:n_estimators");
    await page.getByLabel("Scatter Y").selectOption("metric:accuracy");
    expect(await scatterPoints.count()).toBe(3);
    expect(await page.getByLabel("Scatter X").locator("option").allInnerTexts()).not.toContain("param criterion");
    // More estimators, higher accuracy here: the rightmost point is the highest.
    const positions = await scatterPoints.evaluateAll((circles) => circles.map((c) => ({ x: Number(c.getAttribute("cx")), y: Number(c.getAttribute("cy")), run: c.getAttribute("data-run-id") })));
    const rightmost = positions.reduce((a, b) => (b.x > a.x ? b : a));
    expect(rightmost.run).toBe(ids[1]);
    expect(rightmost.y).toBe(Math.min(...positions.map((p) => p.y)));

    // Parallel coordinates: the numeric params (lr, max_depth, n_estimators) then the metric, one line per run.
    await page.getByLabel("Parallel coordinates metric").selectOption("metric:loss");
    const parallel = page.locator("svg.compare-parallel");
    expect(await parallel.locator("polyline.line").count()).toBe(3);
    expect(await parallel.locator("text.axis-label").allTextContents()).toEqual(["lr", "max_depth", "n_estimators", "loss"]);
    expect(await parallel.locator("polyline.line").first().evaluate((l) => l.getAttribute("points")?.split(" ").length)).toBe(4);
    await screenshot(page, "compare");

    // A run that does not exist is explained.
    await page.goto(`${server.url}/#/compare?runs=${ids[0]},no-such-run`);
    await expect.poll(() => page.locator(".error").innerText()).toContain("RESOURCE_DOES_NOT_EXIST");

    expect(errors).toEqual([]);
    expect(requests.every((url) => url.startsWith(server.url))).toBe(true);
  });
});
