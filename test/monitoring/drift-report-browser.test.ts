import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keel as cli } from "../cli/cli-harness.js";
import { tempFiles } from "../support/servers.js";

const CHROMIUM = "/usr/bin/chromium";
/**
 * The little of the DOM these checks use, typed here: the project compiles without the DOM library, and the
 * web UI's @types/react declares HTMLElement and SVGElement as empty interfaces.
 */
interface PageElement {
  querySelector(selector: string): PageElement | null;
  readonly textContent: string | null;
  readonly className: string;
  getBoundingClientRect(): { readonly width: number; readonly height: number };
}

const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), "../../test-output/screenshots");

/** 200 rows each: `age` shifts by 25 (drift), `score` and the categorical `plan` are the same in both. */
function tables(): Record<string, string> {
  const plans = ["basic", "pro", "max <&>"];
  const table = (shift: number): string => {
    const lines = ["age,score,plan"];
    for (let i = 0; i < 200; i++) lines.push(`${20 + shift + (i % 40)},${((i * 37) % 100) / 10},"${plans[i % 3]}"`);
    return `${lines.join("\n")}\n`;
  };
  return { "reference.csv": table(0), "current.csv": table(25) };
}

const HAS_CHROMIUM = existsSync(CHROMIUM);

describe.skipIf(!HAS_CHROMIUM)(`drift report in headless chromium${HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} not found)`}`, () => {
  let files: { dir: string; cleanup(): void };
  let browser: Browser;
  let reportUrl: string;

  beforeAll(async () => {
    files = tempFiles(tables());
    const report = join(files.dir, "report.html");
    const result = await cli("http://127.0.0.1:9", ["drift", "--reference", join(files.dir, "reference.csv"), "--current", join(files.dir, "current.csv"), "--html", report]);
    expect(result.code, result.stderr).toBe(0);
    reportUrl = pathToFileURL(report).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    files?.cleanup();
  });

  it("renders the summary, one row and one chart per column, and requests nothing but itself", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    const failures: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") failures.push(message.text());
    });
    await page.goto(reportUrl, { waitUntil: "load" });

    expect(await page.title()).toBe("Keel drift report");
    const summary = await page.locator("#summary").innerText();
    expect(summary).toContain("No dataset drift");
    expect(summary).toContain("1 of 3 columns drifted");

    const rows = page.locator("#columns tbody tr");
    expect(await rows.count()).toBe(3);
    const cells = await rows.evaluateAll((trs: PageElement[]) =>
      trs.map((tr) => [tr.querySelector("td.column")?.textContent, tr.querySelector("td.verdict")?.textContent, tr.className]),
    );
    expect(cells).toEqual([["age", "DRIFT", "drifted"], ["score", "ok", "ok"], ["plan", "ok", "ok"]]);

    for (let i = 0; i < 3; i++) {
      const charts = rows.nth(i).locator("svg.chart");
      expect(await charts.count()).toBe(1);
      const chartBox = await charts.boundingBox();
      expect(chartBox?.width ?? 0).toBeGreaterThan(100);
      const boxes = await charts.locator("rect.bar").evaluateAll((rects: PageElement[]) => rects.map((r) => r.getBoundingClientRect()).map((b) => b.width * b.height));
      expect(boxes.filter((area) => area > 0).length).toBeGreaterThan(1);
      for (const sample of ["reference", "current"]) expect(await charts.locator(`rect.bar.${sample}`).count()).toBeGreaterThan(0);
    }
    expect(await page.locator("tbody tr").nth(2).locator("svg text").allTextContents()).toContain("max <&>");

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "drift-report.png"), fullPage: true });
    expect(requests).toEqual([reportUrl]);
    expect(failures).toEqual([]);
    await page.close();
  }, 30_000);
});
