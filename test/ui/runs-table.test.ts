import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UiServer } from "./ui-harness.js";
import { HAS_CHROMIUM, SKIP_REASON, launchBrowser, openPage, screenshot, startUiServer } from "./ui-harness.js";

const RUNS = 120;

describe.skipIf(!HAS_CHROMIUM)(`the runs table in chromium${SKIP_REASON}`, () => {
  let server: UiServer;
  let browser: Browser;
  let experimentId: string;
  let otherId: string;
  beforeAll(async () => {
    server = await startUiServer();
    const { client } = server.keel;
    experimentId = await client.createExperiment({ name: "sweep" });
    otherId = await client.createExperiment({ name: "baseline" });
    const start = Date.UTC(2026, 0, 1);
    // 120 runs: rmse i/100 (run-000 best), model alternating, start times one minute apart.
    for (let chunk = 0; chunk < RUNS; chunk += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, j) => {
          const i = chunk + j;
          const run = await client.createRun({ experiment_id: experimentId, run_name: `run-${String(i).padStart(3, "0")}`, start_time: start + i * 60_000, tags: [{ key: "team", value: i % 3 === 0 ? "core" : "growth" }] });
          await client.logBatch({
            run_id: run.info.run_id,
            params: [
              { key: "model", value: i % 2 === 0 ? "tree" : "linear" },
              { key: "lr", value: String(0.01 * (1 + (i % 5))) },
            ],
            metrics: [
              { key: "rmse", value: i / 100, timestamp: start + i * 60_000, step: 0 },
              { key: "r2", value: 1 - i / 200, timestamp: start + i * 60_000, step: 0 },
            ],
          });
          await client.updateRun({ run_id: run.info.run_id, status: "FINISHED", end_time: start + i * 60_000 + 5_000 });
        }),
      );
    }
    const other = await client.createRun({ experiment_id: otherId, run_name: "baseline-run", start_time: start });
    await client.logBatch({ run_id: other.info.run_id, metrics: [{ key: "rmse", value: 9, timestamp: start, step: 0 }] });
    browser = await launchBrowser();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("filters with MLflow's grammar, sorts by a metric, pages with tokens, picks columns and links to compare", async () => {
    const { page, errors } = await openPage(browser, server);
    const searches: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/mlflow/runs/search")) searches.push(r.postData() ?? "");
    });
    await page.goto(`${server.url}/#/experiments/${experimentId}`);
    const rows = page.locator("table.runs tbody tr");
    const names = () => page.locator('table.runs tbody td[data-column="attributes.run_name"]').allInnerTexts();
    const pageInfo = () => page.locator(".page-info").innerText();
    await expect.poll(() => rows.count()).toBe(100);
    await expect.poll(() => page.locator("h1").innerText()).toBe("sweep");
    // Newest first by default; only one page of 100 was asked for.
    expect((await names())[0]).toBe("run-119");
    expect(JSON.parse(searches[0])).toMatchObject({ max_results: 100, experiment_ids: [experimentId] });
    await screenshot(page, "runs-table");

    // Paging forward and back with page tokens.
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(pageInfo).toBe("Page 2 · runs 101–120");
    expect(await rows.count()).toBe(20);
    expect(JSON.parse(searches.at(-1) ?? "{}").page_token).toBeTruthy();
    await expect(page.getByRole("button", { name: "Next" }).isDisabled()).resolves.toBe(true);
    await page.getByRole("button", { name: "Previous" }).click();
    await expect.poll(pageInfo).toBe("Page 1 · runs 1–100");

    // A filter in MLflow's grammar, kept in the URL.
    await page.getByLabel("Filter runs").fill("params.model = 'tree' and metrics.rmse < 0.1");
    await page.getByLabel("Filter runs").press("Enter");
    await page.waitForURL(/filter=/);
    await expect.poll(names).toEqual(["run-008", "run-006", "run-004", "run-002", "run-000"]);

    // A bad query: the server's error, inline under the box.
    await page.getByLabel("Filter runs").fill("metrics.rmse <<< 1");
    await page.getByLabel("Filter runs").press("Enter");
    await expect.poll(() => page.locator(".filter-error").innerText()).toContain("INVALID_PARAMETER_VALUE");

    // Nothing matches: said in words.
    await page.getByLabel("Filter runs").fill("metrics.rmse > 100");
    await page.getByLabel("Filter runs").press("Enter");
    await expect.poll(() => page.locator(".empty").innerText()).toContain("No run matches the filter");

    // Sort by a metric: ascending, then descending on a second click; order_by as MLflow writes it.
    await page.getByLabel("Filter runs").fill("");
    await page.getByLabel("Filter runs").press("Enter");
    await expect.poll(() => rows.count()).toBe(100);
    await page.locator('th[data-column="metrics.rmse"] button').click();
    await expect.poll(async () => (await names())[0]).toBe("run-000");
    expect(JSON.parse(searches.at(-1) ?? "{}").order_by).toEqual(["metrics.`rmse` ASC"]);
    await page.locator('th[data-column="metrics.rmse"] button').click();
    await expect.poll(async () => (await names())[0]).toBe("run-119");
    expect(page.url()).toContain("order=metrics.rmse");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(async () => (await names())[0]).toBe("run-019");

    // The column picker adds a tag column; the choice is in the URL.
    await page.locator(".column-picker summary").click();
    await page.locator(".picker-panel label", { hasText: "team" }).locator("input").check();
    await expect.poll(() => page.locator('th[data-column="tags.team"]').count()).toBe(1);
    expect(decodeURIComponent(page.url())).toContain("tags.team");
    await page.locator(".column-picker summary").click();

    // Two runs selected lead to the compare page.
    await page.getByRole("button", { name: "Previous" }).click();
    await expect.poll(async () => (await names())[0]).toBe("run-119");
    const ids = await rows.evaluateAll((trs) => trs.slice(0, 2).map((tr) => tr.getAttribute("data-run-id")));
    await rows.nth(0).locator("input[type=checkbox]").check();
    await rows.nth(1).locator("input[type=checkbox]").check();
    const compare = page.getByRole("link", { name: "Compare (2)" });
    expect(await compare.getAttribute("href")).toBe(`#/compare?runs=${encodeURIComponent(ids.join(","))}`);
    await compare.click();
    await page.waitForURL(/#\/compare\?runs=/);
    expect(errors).toEqual([]);
  });

  it("deletes and restores runs with confirmation, and shows several experiments at #/runs", async () => {
    const { page, errors } = await openPage(browser, server);
    await page.goto(`${server.url}/#/experiments/${experimentId}?filter=${encodeURIComponent("attributes.run_name = 'run-005'")}`);
    const names = () => page.locator('table.runs tbody td[data-column="attributes.run_name"]').allInnerTexts();
    await expect.poll(names).toEqual(["run-005"]);
    await page.locator("table.runs tbody tr input[type=checkbox]").check();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.locator(".empty").innerText()).toContain("No run matches");
    await page.getByLabel("Show runs").selectOption("deleted");
    await expect.poll(names).toEqual(["run-005"]);
    await page.locator("table.runs tbody tr input[type=checkbox]").check();
    await page.getByRole("button", { name: "Restore" }).click();
    await expect.poll(() => page.locator(".empty").innerText()).toContain("No run matches");
    await page.getByLabel("Show runs").selectOption("active");
    await expect.poll(names).toEqual(["run-005"]);

    await page.goto(`${server.url}/#/runs?experiments=${experimentId},${otherId}&filter=${encodeURIComponent("metrics.rmse > 1.15")}`);
    await expect.poll(names).toEqual(["run-119", "run-118", "run-117", "run-116", "baseline-run"]);
    await expect.poll(() => page.locator("h1").innerText()).toBe(`Runs of experiments ${experimentId}, ${otherId}`);
    expect(errors).toEqual([]);
  });
});
