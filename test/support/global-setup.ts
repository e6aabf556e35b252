import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The web UI built for this run, for the browser tests (absent without chromium). */
    uiRoot: string;
  }
}

const ROOT = join(import.meta.dirname, "..", "..");
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Once per test run: says which backend tests will be skipped on this machine and why, and builds the web UI
 * from ui/ (about 3 s) for the browser tests, so that they always test the sources, never a stale dist/.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (!process.env.KEEL_TEST_POSTGRES_URL) {
    process.stdout.write("note: KEEL_TEST_POSTGRES_URL is not set; PostgreSQL tests skipped (.ci/run sets it)\n");
  }
  if (!existsSync(CHROMIUM)) {
    process.stdout.write(`note: ${CHROMIUM} not found; browser tests skipped (.ci/run installs Debian's chromium)\n`);
    return;
  }
  const outDir = join(ROOT, "test-output", "ui-dist");
  const { build } = await import("vite");
  await build({ configFile: join(ROOT, "ui", "vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
  project.provide("uiRoot", outDir);
}
