/**
 * What every browser test of the web UI shares: the real `keel server` on a free loopback port over a fresh
 * SQLite file and artifact directory, serving the UI built by the global setup; Debian's chromium driven by
 * playwright-core; screenshots into test-output/screenshots (linked from the README).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { inject } from "vitest";
import { createKeel } from "../../src/client/index.js";
import type { Keel } from "../../src/client/index.js";
import { startServer } from "../../src/server/start-server.js";
import { freshSqliteUri } from "../support/databases.js";

export const CHROMIUM = "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM);
/** For `describe.skipIf(!HAS_CHROMIUM)(\`...${SKIP_REASON}\`)`: says why on a machine without chromium. */
export const SKIP_REASON = HAS_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} not found)`;

const ROOT = join(import.meta.dirname, "..", "..");
export const SCREENSHOTS = join(ROOT, "test-output", "screenshots");

export interface UiServer {
  readonly url: string;
  readonly backendStoreUri: string;
  /** The SDK against this server, to log the data a test looks at. */
  readonly keel: Keel;
  close(): Promise<void>;
}

/** The real server with the UI the global setup built (or dist/ui when run outside vitest's setup). */
export async function startUiServer(): Promise<UiServer> {
  const { uri, cleanup } = await freshSqliteUri();
  const artifactsDir = mkdtempSync(join(tmpdir(), "keel-ui-artifacts-"));
  const uiRoot = inject("uiRoot");
  const server = await startServer({ host: "127.0.0.1", port: 0, backendStoreUri: uri, artifactsDestination: artifactsDir, ...(uiRoot ? { uiRoot } : {}) });
  return {
    url: server.url,
    backendStoreUri: uri,
    keel: createKeel({ trackingUri: server.url }),
    async close() {
      await server.close();
      cleanup();
      rmSync(artifactsDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true });
}

/**
 * A page that collects console errors (other than the server's 4xx answers) and uncaught exceptions, and records every URL it requested
 * (to check that the UI loads nothing from outside the server).
 */
export async function openPage(browser: Browser, server: UiServer): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    // Chromium logs every 4xx answer as a console error; a UI that explains a refused request is working.
    if (message.type() === "error" && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(server.url);
  return { page, errors, requests };
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
