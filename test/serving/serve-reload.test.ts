/**
 * Hot reload seen from clients that never stop sending: `models:/churn@production` is served, the alias is
 * moved in the registry and the server told to reload; not one request fails, and every request sent after
 * the reload is answered by the new version. Rolling back is the same move the other way.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";
import { createKeel } from "../../src/client/keel.js";
import type { Answer, CustomerRow, ProtocolForm, TestServing } from "./serving-fixtures.js";
import {
  PROTOCOL_FORMS, answerRowsOf, fitChurnModel, inProcessAnswers, makeCustomers, metricValue, registerVersions,
  registryModelSource, requestFor, saveChurnModel, scrapeMetrics, scratchDir, send, serveYaml, setAlias,
} from "./serving-fixtures.js";

let tracking: TestServer;
const scratch = scratchDir("reload");
const rows: CustomerRow[] = makeCustomers(40, 99).rows;
const answersByVersion = new Map<string, Answer[]>();

beforeAll(async () => {
  tracking = await startTestServer();
  const training = makeCustomers(400, 7);
  const models = [await fitChurnModel("logreg", training.rows, training.churn), await fitChurnModel("forest", training.rows, training.churn)];
  const dirs = await Promise.all(models.map((m, i) => saveChurnModel(m, scratch.dir, `v${i + 1}`)));
  expect(await registerVersions(tracking.url, "churn", dirs)).toEqual(["1", "2"]);
  models.forEach((m, i) => answersByVersion.set(String(i + 1), inProcessAnswers(m, rows)));
  await setAlias(tracking.url, "churn", "production", "1");
});

afterAll(async () => {
  await tracking?.close();
  scratch.cleanup();
});

interface Outcome {
  /** The phase when the request was sent: the version every request sent in it must be answered by, or "moving-to-N" during a reload. */
  readonly phase: string;
  readonly status: number;
  readonly version: string;
  readonly text: string;
}

/**
 * `clients` loops sending single-row requests in every protocol until stopped; `sent()` counts the answers
 * per phase so the test can wait for traffic in each phase without timing anything.
 */
function steadyTraffic(url: string, clients: number, phase: () => string) {
  const outcomes: Outcome[] = [];
  let stopped = false;
  let waiters: (() => void)[] = [];
  const loop = async (client: number): Promise<void> => {
    for (let i = 0; !stopped; i++) {
      const form: ProtocolForm = PROTOCOL_FORMS[(client + i) % PROTOCOL_FORMS.length];
      const row = (client * 7 + i) % rows.length;
      const at = phase();
      const response = await send(url, requestFor(form, [rows[row]]));
      const version = response.headers.get("x-keel-model-version") ?? "";
      if (response.status === 200) {
        const expected = answersByVersion.get(version)?.[row];
        const [answer] = answerRowsOf(form, response.json);
        // The body must be the answer of the version the header names, not a mix of old and new.
        const matches = expected !== undefined && answer.label === expected.label && Math.abs(answer.probability - Math.max(...expected.probabilities)) <= 1e-5;
        outcomes.push(matches ? { phase: at, status: 200, version, text: "" } : { phase: at, status: -1, version, text: `row ${row} (${form}) answered ${response.text}` });
      } else {
        outcomes.push({ phase: at, status: response.status, version, text: response.text });
      }
      for (const wake of waiters) wake();
      waiters = [];
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, c) => loop(c)));
  return {
    outcomes,
    /** Resolves once `count` more answers have come back to requests sent in `inPhase`. */
    async waitFor(inPhase: string, count: number): Promise<void> {
      const target = outcomes.filter((o) => o.phase === inPhase).length + count;
      while (outcomes.filter((o) => o.phase === inPhase).length < target) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    async stop(): Promise<void> {
      stopped = true;
      await running;
    },
  };
}

async function reload(url: string, status = 200): Promise<unknown> {
  const response = await send(url, { method: "POST", path: "/keel/reload", headers: {} });
  expect(response.status, response.text).toBe(status);
  return response.json;
}

describe("hot reload under load", () => {
  let serving: TestServing;
  beforeAll(async () => {
    serving = await serveYaml(
      `models:\n  - name: churn\n    uri: "models:/churn@production"\nreload: { poll_interval_s: 0 }\nprediction_log: false\n`,
      registryModelSource(tracking.url),
    );
  });
  afterAll(async () => serving?.close());

  it("moves to the new version on reload and back on rollback, with no failed request", async () => {
    let phase = "1";
    const traffic = steadyTraffic(serving.url, 4, () => phase);
    try {
      await traffic.waitFor("1", 40);

      await setAlias(tracking.url, "churn", "production", "2");
      phase = "moving-to-2";
      const moved = await reload(serving.url);
      expect(moved).toEqual({ models: [{ name: "churn", versions: [{ variant: "default", uri: "models:/churn@production", version: "2" }] }], failures: [] });
      phase = "2";
      await traffic.waitFor("2", 40);

      await setAlias(tracking.url, "churn", "production", "1");
      phase = "moving-to-1";
      const back = await reload(serving.url);
      expect(back).toMatchObject({ models: [{ versions: [{ version: "1" }] }] });
      phase = "1-again";
      await traffic.waitFor("1-again", 40);
    } finally {
      await traffic.stop();
    }

    const failed = traffic.outcomes.filter((o) => o.status !== 200);
    expect(failed.map((o) => `${o.status} ${o.text}`)).toEqual([]);
    const versionsIn = (p: string) => new Set(traffic.outcomes.filter((o) => o.phase === p).map((o) => o.version));
    expect(versionsIn("1")).toEqual(new Set(["1"]));
    expect(versionsIn("2")).toEqual(new Set(["2"]));
    expect(versionsIn("1-again")).toEqual(new Set(["1"]));
    // Traffic really flowed while each reload downloaded, loaded and swapped the model.
    expect(traffic.outcomes.filter((o) => o.phase === "moving-to-2").length).toBeGreaterThan(0);
    expect(traffic.outcomes.filter((o) => o.phase === "moving-to-1").length).toBeGreaterThan(0);
    expect(serving.logger.errors).toEqual([]);
    expect(serving.logger.warnings).toEqual([]);

    const metrics = await scrapeMetrics(serving.url);
    expect(metricValue(metrics, "keel_serving_requests_total", { model: "churn", version: "2", status: "200" })).toBeGreaterThanOrEqual(40);
    expect(metricValue(metrics, "keel_serving_model_load_seconds", { model: "churn", version: "2" })).toBeGreaterThan(0);
  });

  it("keeps serving the loaded version when the alias points nowhere it can load", async () => {
    // An alias moved to a version whose model cannot be downloaded: the reload fails, the old version answers.
    const before = await send(serving.url, requestFor("dataframe_split", [rows[0]]));
    const version = before.headers.get("x-keel-model-version");
    await registerBrokenVersion();
    await setAlias(tracking.url, "churn", "production", "3");
    // The reload answers 503 with what failed, and what is served now: still the old version.
    expect(await reload(serving.url, 503)).toMatchObject({ models: [{ versions: [{ version }] }], failures: [{ uri: "models:/churn@production" }] });
    const after = await send(serving.url, requestFor("dataframe_split", [rows[0]]));
    expect(after.status).toBe(200);
    expect(after.headers.get("x-keel-model-version")).toBe(version);
    expect(serving.logger.warnings.join("\n")).toMatch(/reloading models:\/churn@production failed; the loaded version keeps serving/);
    await setAlias(tracking.url, "churn", "production", version ?? "1");
  });
});

/** Registers version 3 of churn pointing at a run path that holds no model. */
async function registerBrokenVersion(): Promise<void> {
  const keel = createKeel({ trackingUri: tracking.url, flushIntervalMs: 0 });
  const run = await keel.startRun({ experiment: "serving-tests" });
  await run.end();
  await keel.registry.createModelVersion({ name: "churn", source: `runs:/${run.runId}/no-model-here`, run_id: run.runId });
}

describe("polling the registry", () => {
  it("swaps in the version an alias moved to without being asked", async () => {
    await setAlias(tracking.url, "churn", "production", "1");
    const serving = await serveYaml(
      `models:\n  - name: churn\n    uri: "models:/churn@production"\nreload: { poll_interval_s: 0.05 }\nprediction_log: false\n`,
      registryModelSource(tracking.url),
    );
    try {
      const versionNow = async () => (await send(serving.url, requestFor("plain_features", [rows[0]]))).headers.get("x-keel-model-version");
      expect(await versionNow()).toBe("1");
      await setAlias(tracking.url, "churn", "production", "2");
      // Waits for the swap by asking (a bounded number of times), never by measuring time.
      let version = await versionNow();
      for (let tries = 0; version !== "2" && tries < 2000; tries++) version = await versionNow();
      expect(version).toBe("2");
      expect(serving.logger.errors).toEqual([]);
    } finally {
      await serving.close();
      await setAlias(tracking.url, "churn", "production", "1");
    }
  });
});
