import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linearModelOnnx } from "../support/onnx-models.js";
import type { UiServer } from "./ui-harness.js";
import { HAS_CHROMIUM, SKIP_REASON, launchBrowser, openPage, screenshot, startUiServer } from "./ui-harness.js";

/** A gate report's summary as `keel models promote` keeps it on the version it evaluated. */
const GATE_SUMMARY = JSON.stringify({
  verdict: "REJECTED",
  checks: [
    { check: "metric:accuracy", status: "PASS", actual: 0.91, message: "accuracy 0.91 >= 0.85" },
    { check: "regression:log_loss", status: "WARN", actual: 0.34, message: "log_loss worse than the baseline by 3%" },
    { check: "latency", status: "FAIL", actual: "p99 41 ms", message: "p99 41 ms > 20 ms" },
  ],
});

describe.skipIf(!HAS_CHROMIUM)(`the model registry pages in chromium${SKIP_REASON}`, () => {
  let server: UiServer;
  let browser: Browser;
  const runIds: string[] = [];
  let experimentId = "";
  beforeAll(async () => {
    server = await startUiServer();
    const onnx = linearModelOnnx({ features: 3 });
    for (const runName of ["first-cut", "tuned"]) {
      await server.keel.withRun({ experiment: "churn-training", runName }, async (run) => {
        runIds.push(run.runId);
        await run.logModel(onnx, { artifactPath: "model", registeredModelName: "churn" });
      });
    }
    experimentId = (await server.keel.setExperiment("churn-training")).experiment_id;
    await server.keel.registry.setRegisteredModelAlias({ name: "churn", alias: "champion", version: "1" });
    await server.keel.registry.setModelVersionTag({ name: "churn", version: "2", key: "keel.gates.alias.champion", value: GATE_SUMMARY });
    await server.keel.registry.createRegisteredModel({ name: "fraud" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("lists models, and moves versions with confirmed actions recorded in the audit history", async () => {
    const { page, errors, requests } = await openPage(browser, server);
    await page.goto(`${server.url}/#/models`);
    const modelNames = () => page.locator("table.models tbody tr td:first-child a").allInnerTexts();
    await expect.poll(modelNames).toEqual(["churn", "fraud"]);
    const churnRow = page.locator("table.models tbody tr", { hasText: "churn" });
    expect(await churnRow.innerText()).toContain("@champion → v1");
    expect(await churnRow.innerText()).toContain("v2 None");
    await screenshot(page, "models");

    await page.getByLabel("Search models").fill("fra");
    await page.getByLabel("Search models").press("Enter");
    await expect.poll(modelNames).toEqual(["fraud"]);

    await page.goto(`${server.url}/#/models/churn`);
    const versionRow = (v: string) => page.locator(`table.versions tbody tr[data-version="${v}"]`);
    await versionRow("1").waitFor();
    expect(await page.locator("table.versions tbody tr").count()).toBe(2);
    expect(await versionRow("1").locator("a").getAttribute("href")).toBe(`#/experiments/${experimentId}/runs/${runIds[0]}`);
    expect(await versionRow("1").innerText()).toContain("@champion");
    expect(await versionRow("1").innerText()).toContain("READY");

    // The gate report kept on version 2, check by check.
    const gates = page.locator(".gate-report[data-version='2']");
    expect(await gates.innerText()).toContain("REJECTED");
    expect(await gates.locator("td.check-PASS, td.check-WARN, td.check-FAIL").allInnerTexts()).toEqual(["PASS", "WARN", "FAIL"]);

    // Transition version 1 to Staging through the button, confirming the dialog.
    const auditActions = () => page.locator("table.audit tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
    const before = (await auditActions()).length;
    await versionRow("1").getByLabel("Stage for version 1").selectOption("Staging");
    let question = "";
    page.once("dialog", (dialog) => {
      question = dialog.message();
      void dialog.accept();
    });
    await versionRow("1").getByRole("button", { name: "Transition" }).click();
    await expect.poll(() => page.locator(".result").innerText()).toBe("Version 1 of churn moved from None to Staging.");
    expect(question).toContain("from None to Staging");
    await expect.poll(async () => (await auditActions()).length).toBe(before + 1);
    const newest = page.locator("table.audit tbody tr").first();
    expect(await newest.getAttribute("data-action")).toBe("transition_stage");
    expect(await newest.innerText()).toContain("None → Staging");
    expect(await versionRow("1").innerText()).toContain("Staging");
    await screenshot(page, "model-page");

    // A dismissed confirmation changes nothing.
    page.once("dialog", (dialog) => void dialog.dismiss());
    await versionRow("2").getByRole("button", { name: "Transition" }).click();
    expect(await versionRow("2").innerText()).toContain("None");

    // A refused move is explained in the server's words.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.locator("table.aliases tr[data-alias='champion']").getByRole("button", { name: "Roll back" }).click();
    await expect.poll(() => page.locator(".error").innerText()).toContain("nothing to roll back to");

    // Move the alias to version 2, then roll it back to version 1.
    await page.getByLabel("Alias", { exact: true }).fill("champion");
    await page.getByLabel("Alias version").selectOption("2");
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Set alias" }).click();
    await expect.poll(() => page.locator(".result").innerText()).toBe("Alias @champion of churn now points at version 2.");
    await expect.poll(() => page.locator("table.aliases tr[data-alias='champion'] td:nth-child(2)").innerText()).toBe("2");
    page.once("dialog", (dialog) => void dialog.accept());
    await page.locator("table.aliases tr[data-alias='champion']").getByRole("button", { name: "Roll back" }).click();
    await expect.poll(() => page.locator(".result").innerText()).toBe("Alias @champion of churn rolled back to version 1.");
    await expect.poll(async () => (await auditActions())[0]).toBe("rollback");

    page.once("dialog", (dialog) => void dialog.accept());
    await page.locator("table.aliases tr[data-alias='champion']").getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.locator(".result").innerText()).toBe("Alias @champion of churn deleted.");
    await expect.poll(() => page.locator("table.aliases").count()).toBe(0);

    expect(errors).toEqual([]);
    expect(requests.every((url) => url.startsWith(server.url))).toBe(true);
  });
});
