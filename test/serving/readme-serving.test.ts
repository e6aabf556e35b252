import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";
import { runWalkthrough } from "../support/serve-process.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** The commands of the README's serving walkthrough, in order, as written. */
function walkthroughCommands(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Serving"));
  const start = section.indexOf("```sh") + 5;
  const block = section.slice(start, section.indexOf("```", start));
  return block.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
}

describe("the README's serving walkthrough", () => {
  let server: TestServer;
  let workdir: string;
  beforeAll(async () => {
    server = await startTestServer();
    workdir = mkdtempSync(join(tmpdir(), "keel-serving-walkthrough-"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(workdir, { recursive: true, force: true });
  });

  it("works as written: train, alias, serve, then MLflow, plain and V2 requests, and a graceful stop", async () => {
    const commands = walkthroughCommands();
    expect(commands.some((line) => line.startsWith("keel serve "))).toBe(true);
    // Run from a scratch directory: the data file and prediction log land there, not in the checkout.
    const steps = await runWalkthrough(commands, { cwd: workdir, env: { KEEL_TRACKING_URI: server.url }, readmePort: "8080" });
    const answers: unknown[] = steps.filter((s) => s.line.startsWith("curl")).map((s) => JSON.parse(s.stdout));
    const [mlflow, plain, metadata] = answers as [
      { predictions: { label: number; probabilities: number[] }[] },
      { prediction: number; probability: number; model_version: string },
      { name: string; versions: string[] },
    ];
    expect(mlflow.predictions).toHaveLength(1);
    expect(mlflow.predictions[0].probabilities).toHaveLength(2);
    // The same customer through two protocols: the same answer.
    expect(plain.prediction).toBe(mlflow.predictions[0].label);
    expect(plain.probability).toBeCloseTo(Math.max(...mlflow.predictions[0].probabilities), 6);
    expect(plain.model_version).toBe("1");
    expect(metadata).toMatchObject({ name: "churn-model", versions: ["1"] });
    // The graceful stop flushed the prediction log: one record per scored row, partitioned by model and hour.
    const modelDir = join(workdir, "keel-data", "predictions", "model=churn-model");
    const day = readdirSync(modelDir)[0];
    const hour = readdirSync(join(modelDir, day))[0];
    const lines = readdirSync(join(modelDir, day, hour)).flatMap((f) => readFileSync(join(modelDir, day, hour, f), "utf8").trim().split("\n"));
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({ model: "churn-model", version: "1", inputs: { contract: "month-to-month" } });
  }, 240_000);
});
