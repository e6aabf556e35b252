import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeel } from "../../src/client/index.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";
import { runShell } from "../support/shell.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** The code blocks of the README's training section, as written. */
function trainingBlocks(): { sh: string[]; ts: string } {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Training"), readme.indexOf("### The TypeScript SDK"));
  const block = (fence: string): string => {
    const start = section.indexOf(fence) + fence.length;
    return section.slice(start, section.indexOf("```", start));
  };
  return { sh: block("```sh").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")), ts: block("```ts") };
}

describe("the README's training section", () => {
  let server: TestServer;
  let work: string;
  beforeAll(async () => {
    server = await startTestServer();
    work = mkdtempSync(join(ROOT, ".readme-training-"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("trains with keel train and with the SDK's autologging, as written", async () => {
    const { sh, ts } = trainingBlocks();
    expect(sh.length).toBeGreaterThanOrEqual(3);
    const env = { KEEL_TRACKING_URI: server.url };
    for (const line of sh) {
      // `keel` is the checkout's CLI (what `npm link` installs); paths stay relative to the working dir.
      const command = line.replace(/^keel /, `npx tsx ${join(ROOT, "src/cli/main.ts")} `).replace(/^npx tsx examples\//, `npx tsx ${join(ROOT, "examples")}/`);
      const result = await runShell(command, { cwd: work, env });
      expect(result.code, `${line}\n${result.stderr}`).toBe(0);
    }
    // The TypeScript example, run from a file inside the checkout so that `keel/...` imports resolve.
    writeFileSync(join(work, "train.ts"), ts);
    const result = await runShell(`npx tsx ${join(work, "train.ts")}`, { cwd: work, env });
    expect(result.code, result.stderr).toBe(0);

    const keel = createKeel({ trackingUri: server.url });
    const churn = await keel.setExperiment("churn");
    const runs = (await keel.client.searchRuns({ experiment_ids: [churn.experiment_id] })).runs;
    expect(runs.length).toBe(3);
    const autologged = runs.find((r) => (r.data.metrics ?? []).some((m) => m.key === "training_accuracy"));
    expect(autologged, "the SDK example's run logs training metrics").toBeDefined();
    expect((await keel.registry.getModelVersion({ name: "churn-classifier", version: "1" })).current_stage).toBe("None");
  });
});
