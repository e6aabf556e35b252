import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UiServer } from "./ui-harness.js";
import { HAS_CHROMIUM, SKIP_REASON, launchBrowser, openPage, screenshot, startUiServer } from "./ui-harness.js";

const STEPS = 20_000;
const PNG_1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const MLMODEL = `artifact_path: model
flavors:
  onnx:
    onnx_version: 1.16.0
signature:
  inputs: '[{"type": "double", "name": "tenure", "required": true}, {"type":
    "string", "name": "plan", "required": false}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1,
    1]}}]'
`;

describe.skipIf(!HAS_CHROMIUM)(`the run page in chromium${SKIP_REASON}`, () => {
  let server: UiServer;
  let browser: Browser;
  let experimentId: string;
  let runId: string;
  let childId: string;
  let lossMin = Infinity;
  let lossMax = -Infinity;
  beforeAll(async () => {
    server = await startUiServer();
    const { client } = server.keel;
    experimentId = await client.createExperiment({ name: "training" });
    const start = Date.UTC(2026, 0, 1);
    const run = await client.createRun({ experiment_id: experimentId, run_name: "trainer", start_time: start, tags: [{ key: "team", value: "core" }, { key: "mlflow.source.name", value: "train.ts" }] });
    runId = run.info.run_id;
    // A long noisy loss (downsampled for the chart) with one spike, and a short accuracy.
    const loss = Array.from({ length: STEPS }, (_, step) => ({ key: "loss", value: 2 / (1 + step / 500) + (step === 12_345 ? 5 : 0.05 * Math.sin(step)), timestamp: start + step * 10, step }));
    for (const m of loss) [lossMin, lossMax] = [Math.min(lossMin, m.value), Math.max(lossMax, m.value)];
    const accuracy = Array.from({ length: 50 }, (_, step) => ({ key: "accuracy", value: 0.5 + step / 100, timestamp: start + step * 4000, step }));
    await client.logBatch({ run_id: runId, params: [{ key: "lr", value: "0.05" }, { key: "depth", value: "6" }], metrics: accuracy });
    for (let i = 0; i < STEPS; i += 1000 * 4) {
      await Promise.all([0, 1, 2, 3].map((k) => client.logBatch({ run_id: runId, metrics: loss.slice(i + k * 1000, i + (k + 1) * 1000) })));
    }
    await client.logInputs({ run_id: runId, datasets: [{ dataset: { name: "churn", digest: "3f2a9c", source_type: "local", source: "data/churn.csv" }, tags: [{ key: "mlflow.data.context", value: "train" }] }] });
    const upload = (path: string, body: string | Uint8Array) => client.uploadArtifact({ artifact_uri: run.info.artifact_uri, path, body });
    const csv = ["id,score,label", ...Array.from({ length: 150 }, (_, i) => `${i},${(i / 150).toFixed(3)},"a, ${i}"`)].join("\n");
    await Promise.all([
      upload("notes.txt", "trained on the January snapshot\n"),
      upload("scores.json", JSON.stringify({ auc: 0.91, by_class: { yes: 0.9, no: 0.92 } })),
      upload("data/sample.csv", csv),
      upload("plots/roc.png", Uint8Array.from(Buffer.from(PNG_1x1, "base64"))),
      upload("report.html", "<html><body><h1 id='title'>Drift report</h1><script>document.title='ran'</script></body></html>"),
      upload("model/MLmodel", MLMODEL),
    ]);
    await client.updateRun({ run_id: runId, status: "FINISHED", end_time: start + 200_000 });
    const child = await client.createRun({ experiment_id: experimentId, run_name: "fold-1", start_time: start + 1000, tags: [{ key: "mlflow.parentRunId", value: runId }] });
    childId = child.info.run_id;
    browser = await launchBrowser();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the overview, metrics with their range, params, datasets and child runs, and charts downsampled metrics", async () => {
    const { page, errors } = await openPage(browser, server);
    const downsampled: string[] = [];
    page.on("response", (r) => {
      if (r.url().includes("/keel/metrics/downsampled") && r.url().includes("buckets=1000")) downsampled.push(r.url());
    });
    await page.goto(`${server.url}/#/experiments/${experimentId}`);
    await page.getByRole("link", { name: "trainer" }).click();
    await page.waitForURL(new RegExp(`#/experiments/${experimentId}/runs/${runId}$`));
    await expect.poll(() => page.locator("h1").innerText()).toBe("trainer");
    await expect.poll(() => page.locator(".overview").innerText()).toMatch(/FINISHED[\s\S]*3 min 20 s[\s\S]*train\.ts[\s\S]*fold-1/);
    const loss = page.locator('table.metrics tr[data-metric="loss"]');
    await expect.poll(async () => (await loss.locator("td").allInnerTexts()).slice(2)).toEqual([lossMin, lossMax].map((v) => Number(v.toPrecision(6)).toString()));
    expect(await page.locator('table.params tr[data-param="lr"] td').innerText()).toBe("0.05");
    expect(await page.locator("table.datasets tbody").innerText()).toMatch(/churn\s+3f2a9c\s+data\/churn\.csv \(local\)\s+train/);

    // One series first (the first metric), two when the other metric is chosen too.
    const chart = page.locator(".metric-chart");
    await expect.poll(() => chart.getAttribute("data-series-count")).toBe("1");
    await page.getByRole("group", { name: "Metrics to chart" }).getByLabel("loss").check();
    await expect.poll(() => chart.getAttribute("data-series-count")).toBe("2");
    expect(await chart.locator(".u-legend .u-series").count()).toBe(3); // the x axis and two series
    await expect.poll(() => chart.locator("canvas").count()).toBe(1);
    // 20,000 points arrive as at most two per bucket plus the ends.
    const answer = (await (await page.request.get(downsampled.find((u) => u.includes("metric_key=loss")) ?? "")).json()) as { series: { x: number[] }[] };
    expect(answer.series[0].x.length).toBeLessThanOrEqual(2002);
    // Drag to zoom into the first quarter of the x range; a double-click shows it all again.
    const full = Number(await chart.getAttribute("data-x-max"));
    const over = await chart.locator(".u-over").boundingBox();
    if (!over) throw new Error("the chart has no plotting area");
    await page.mouse.move(over.x + 5, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width / 4, over.y + over.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => Number(await chart.getAttribute("data-x-max"))).toBeLessThan(full / 2);
    // The zoomed range is asked for again in detail, and the chart stays zoomed on it.
    await expect.poll(() => downsampled.filter((u) => u.includes("start_step=")).length).toBeGreaterThan(0);
    const zoomedTo = Number(new URL(downsampled.filter((u) => u.includes("start_step="))[0]).searchParams.get("end_step"));
    expect(zoomedTo).toBeLessThan(full / 2);
    await expect.poll(async () => Number(await chart.getAttribute("data-x-max"))).toBe(zoomedTo);
    await chart.locator(".u-over").dblclick();
    await expect.poll(async () => Number(await chart.getAttribute("data-x-max"))).toBe(full);
    await page.getByLabel("Smoothing").fill("0.9");
    await page.getByLabel("Log scale").check();
    await page.getByLabel("x axis").selectOption("relative");
    await expect.poll(() => chart.locator(".u-legend").innerText()).toContain("seconds since the run started");
    await expect.poll(() => chart.getAttribute("data-series-count")).toBe("2");
    await screenshot(page, "metric-chart");

    // The child run links back to its parent.
    await page.getByRole("link", { name: "fold-1" }).click();
    await page.waitForURL(new RegExp(`runs/${childId}$`));
    await page.locator("a.parent-run").click();
    await page.waitForURL(new RegExp(`runs/${runId}$`));
    await page.locator("h1", { hasText: "trainer" }).waitFor();
    expect(errors).toEqual([]);
  });

  it("edits tags and previews text, JSON, CSV, image, HTML (sandboxed) and MLmodel artifacts", async () => {
    const { page, errors } = await openPage(browser, server);
    await page.goto(`${server.url}/#/experiments/${experimentId}/runs/${runId}`);
    const team = page.locator('table.tags tr[data-tag="team"]');
    await team.getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("Value of tag team").fill("platform");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => team.locator(".tag-value").innerText()).toBe("platform");
    await page.getByLabel("New tag key").fill("stage");
    await page.getByLabel("New tag value").fill("candidate");
    await page.getByRole("button", { name: "Add tag" }).click();
    await expect.poll(() => page.locator('tr[data-tag="stage"] .tag-value').count()).toBe(1);
    page.once("dialog", (dialog) => void dialog.accept());
    await page.locator('tr[data-tag="stage"]').getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.locator('tr[data-tag="stage"]').count()).toBe(0);
    const tags = (await server.keel.client.getRun({ run_id: runId })).data.tags ?? [];
    expect(tags.find((t) => t.key === "team")?.value).toBe("platform");
    expect(tags.some((t) => t.key === "stage")).toBe(false);

    const view = page.locator(".artifact-view");
    const open = (name: string) => page.locator(".artifact-tree button", { hasText: name }).first().click();
    await open("notes.txt");
    await expect.poll(() => view.locator("pre").innerText()).toContain("January snapshot");
    expect(await view.getByRole("link", { name: "Download" }).getAttribute("href")).toBe(`/get-artifact?run_id=${runId}&path=notes.txt`);

    await open("scores.json");
    await expect.poll(() => view.locator("pre.preview-json").innerText()).toContain('  "by_class": {\n    "yes": 0.9');

    await open("data/");
    await open("sample.csv");
    await expect.poll(() => view.locator("table.preview-csv tbody tr").count()).toBe(100);
    expect(await view.locator("table.preview-csv thead").innerText()).toMatch(/id\s+score\s+label/);
    expect(await view.locator("table.preview-csv tbody tr").first().locator("td").allInnerTexts()).toEqual(["0", "0.000", "a, 0"]);

    await open("plots/");
    await open("roc.png");
    await expect.poll(() => view.locator("img.preview-image").evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);

    await open("report.html");
    const frame = view.locator("iframe.preview-html");
    await frame.waitFor();
    expect(await frame.getAttribute("sandbox")).toBe("");
    await expect.poll(() => page.frameLocator("iframe.preview-html").locator("#title").innerText()).toBe("Drift report");
    // sandbox="" runs no script: the report could not retitle its frame.
    expect(await page.frames().find((f) => f.url() === "about:srcdoc")?.title()).toBe("");

    await open("model/");
    await open("MLmodel");
    await expect.poll(() => view.locator("table.signature-inputs tbody").innerText()).toMatch(/tenure\s+double\s+yes\s+plan\s+string\s+no/);
    expect(await view.locator("table.signature-outputs tbody").innerText()).toContain("tensor float32 [-1, 1]");
    await screenshot(page, "run-page");
    // Chromium reports the report's script it refused to run; that refusal is the sandbox working.
    expect(errors.filter((e) => !e.includes("Blocked script execution in 'about:srcdoc'"))).toEqual([]);
    expect(errors.length).toBe(1);
  });
});
