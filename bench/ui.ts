/**
 * `npm run bench -- ui [--reps K]`: the web UI in headless Debian chromium against `keel server` (its own
 * process, SQLite) holding an experiment of 100,000 runs and a run with a 1,000,000-step metric.
 *
 * - time to first rendered runs table: from navigation start to the 100th row of the first page in the DOM;
 * - time to a rendered chart of the 1,000,000-step metric: from navigation start to the run page's chart
 *   canvas drawn with its data (the frame after the chart turns ready);
 * - beside them, in the same run, the floor: the app shell alone (the experiments list of 2 experiments).
 *
 * Times are read inside the page (performance.now(), a MutationObserver installed before the app loads), each
 * in a fresh browser context (no HTTP cache). Target: each ≤ 1 s. Needs `npm run build` (the UI in dist/ui).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { populate as populateHistory } from "./history.js";
import { populate as populateRuns } from "./search.js";
import { freshDatabase, machine, median, numberArg, spawnServer } from "./support.js";

const CHROMIUM = "/usr/bin/chromium";
const TARGET_MS = 1000;

/** Installed before the app's script: records when `selector` first matches `count` elements (and one frame later). */
function watchScript(selector: string, count: number): string {
  return `(() => {
    const check = () => {
      if (window.__keelRendered !== undefined) return;
      if (document.querySelectorAll(${JSON.stringify(selector)}).length >= ${count}) {
        window.__keelRendered = -1;
        requestAnimationFrame(() => { window.__keelRendered = performance.now(); });
      }
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  })();`;
}

async function timeToRender(browser: Browser, url: string, selector: string, count: number): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    page.on("crash", () => process.stderr.write(`page crashed: ${url}\n`));
    page.on("pageerror", (error) => process.stderr.write(`page error: ${error.message}\n`));
    await page.addInitScript(watchScript(selector, count));
    await page.goto(url);
    await page.waitForFunction(() => ((globalThis as unknown as { __keelRendered?: number }).__keelRendered ?? -1) > 0, undefined, { timeout: 60_000 });
    return await page.evaluate(() => (globalThis as unknown as { __keelRendered: number }).__keelRendered);
  } finally {
    await context.close();
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const reps = numberArg(argv, "--reps", 5);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
  if (!existsSync("dist/ui/index.html")) execFileSync("npx", ["vite", "build", "--config", "ui/vite.config.ts", "--logLevel", "warn"], { stdio: "inherit" });
  const db = await freshDatabase("sqlite");
  process.stderr.write("populating 100,000 runs and a 1,000,000-step metric\n");
  const experimentId = await populateRuns(db.uri);
  const runId = await populateHistory(db.uri);
  const server = await spawnServer(db.uri);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"], headless: true });
  const shell: number[] = [];
  const table: number[] = [];
  const chart: number[] = [];
  try {
    for (let r = 0; r < reps + 1; r++) {
      const s = await timeToRender(browser, `${server.url}/#/experiments`, "table.experiments tbody tr", 2);
      const t = await timeToRender(browser, `${server.url}/#/experiments/${experimentId}`, "table.runs tbody tr", 100);
      const c = await timeToRender(browser, `${server.url}/#/experiments/0/runs/${runId}`, '.metric-chart[data-state="ready"][data-series-count="1"] canvas', 1);
      process.stderr.write(`rep ${r}${r === 0 ? " (warm-up, not counted)" : ""}: shell ${s.toFixed(0)} ms, runs table ${t.toFixed(0)} ms, chart ${c.toFixed(0)} ms\n`);
      if (r === 0) continue;
      shell.push(s);
      table.push(t);
      chart.push(c);
    }
  } finally {
    await browser.close();
    await server.stop();
    await db.cleanup();
  }
  const row = (figure: string, values: number[]): string => {
    const m = median(values);
    return `| ${figure} | ${m.toFixed(0)} ms | ${median(shell).toFixed(0)} ms | ${(m / median(shell)).toFixed(2)} | ${m <= TARGET_MS ? "yes" : "no"} |`;
  };
  console.log(
    [
      `Machine: ${machine()}; Debian chromium headless (playwright-core), keel server in its own process on SQLite.`,
      `Reproduce: \`npm run build && npm run bench -- ui${argv.length > 0 ? ` ${argv.join(" ")}` : ""}\` (median of ${reps}, each in a fresh browser context; target ≤ ${TARGET_MS} ms)`,
      "",
      "| figure | median | app shell alone (floor) | ratio to floor | target met? |",
      "|---|---|---|---|---|",
      row("first rendered runs table, experiment of 100,000 runs (100 rows)", table),
      row("rendered chart of a 1,000,000-step metric (run page)", chart),
    ].join("\n"),
  );
}
