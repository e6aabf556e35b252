import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UiServer } from "./ui-harness.js";
import { HAS_CHROMIUM, SKIP_REASON, launchBrowser, openPage, screenshot, startUiServer } from "./ui-harness.js";

describe.skipIf(!HAS_CHROMIUM)(`the experiments page in chromium${SKIP_REASON}`, () => {
  let server: UiServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startUiServer();
    await server.keel.client.createExperiment({ name: "churn" });
    await server.keel.client.createExperiment({ name: "fraud" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("lists, searches, creates, renames, deletes and restores experiments, with shareable URLs", async () => {
    const { page, errors, requests } = await openPage(browser, server);
    const names = () => page.locator("table.experiments tbody tr td:nth-child(2) a").allInnerTexts();
    await page.locator("table.experiments").waitFor();
    expect(await names()).toEqual(expect.arrayContaining(["Default", "churn", "fraud"]));
    await screenshot(page, "experiments");

    await page.getByLabel("Search experiments").fill("chu");
    await page.getByLabel("Search experiments").press("Enter");
    await page.waitForURL(/search=chu/);
    await expect.poll(names).toEqual(["churn"]);

    // The URL is the state: a fresh tab on it shows the same list, and back returns to the full one.
    const shared = await browser.newPage();
    await shared.goto(page.url());
    await shared.locator("table.experiments").waitFor();
    expect(await shared.locator("table.experiments tbody tr td:nth-child(2) a").allInnerTexts()).toEqual(["churn"]);
    await shared.close();
    await page.goBack();
    await expect.poll(names).toEqual(expect.arrayContaining(["Default", "churn", "fraud"]));

    await page.getByLabel("New experiment name").fill("pricing");
    await page.getByRole("button", { name: "Create" }).click();
    await expect.poll(names).toContain("pricing");

    page.once("dialog", (dialog) => void dialog.accept("pricing-v2"));
    await page.locator("tr", { hasText: "pricing" }).getByRole("button", { name: "Rename" }).click();
    await expect.poll(names).toContain("pricing-v2");

    page.once("dialog", (dialog) => void dialog.accept());
    await page.locator("tr", { hasText: "pricing-v2" }).getByRole("button", { name: "Delete" }).click();
    await expect.poll(names).not.toContain("pricing-v2");
    await page.getByLabel("Show").selectOption("deleted");
    await expect.poll(names).toEqual(["pricing-v2"]);
    await page.getByRole("button", { name: "Restore" }).click();
    await expect.poll(names).toEqual([]);
    await expect.poll(() => page.locator(".empty").innerText()).toContain("No experiment is deleted");

    // A duplicate name is explained in words, from the server's error.
    await page.getByLabel("Show").selectOption("active");
    await page.getByLabel("New experiment name").fill("churn");
    await page.getByRole("button", { name: "Create" }).click();
    await expect.poll(() => page.locator(".error").innerText()).toContain("RESOURCE_ALREADY_EXISTS");

    expect(errors).toEqual([]);
    expect(requests.every((url) => url.startsWith(server.url))).toBe(true);
  });
});
