/**
 * Dynamic batching seen from the clients: many callers at once, in every protocol, each get exactly the
 * answer for their own row, the rows really ran in shared batches, and a bad request fails alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FittedClassificationPipeline } from "../../src/learn/pipeline.js";
import type { CustomerRow, HttpRequest, ProtocolForm, TestServing } from "./serving-fixtures.js";
import {
  PROTOCOL_FORMS, answerRowsOf, fitChurnModel, inProcessAnswers, localModelSource, makeCustomers, metricValue,
  requestFor, saveChurnModel, scrapeMetrics, scratchDir, send, serveYaml,
} from "./serving-fixtures.js";

let serving: TestServing;
let fitted: FittedClassificationPipeline;
const scratch = scratchDir("batching");

beforeAll(async () => {
  const training = makeCustomers(400, 7);
  fitted = await fitChurnModel("forest", training.rows, training.churn);
  const dir = await saveChurnModel(fitted, scratch.dir, "churn-forest");
  serving = await serveYaml(
    `models:\n  - name: churn\n    uri: ${JSON.stringify(dir)}\nbatching:\n  max_batch_size: 32\n  max_queue_delay_ms: 2\nprediction_log: false\n`,
    localModelSource(),
  );
});

afterAll(async () => {
  await serving?.close();
  scratch.cleanup();
});

/** Each served answer equals the in-process answer for that single row. */
function expectOwnAnswer(form: ProtocolForm, body: unknown, row: CustomerRow, what: string): void {
  const [expected] = inProcessAnswers(fitted, [row]);
  const answers = answerRowsOf(form, body);
  expect(answers, what).toHaveLength(1);
  expect(answers[0].label, what).toBe(expected.label);
  expect(Math.abs(answers[0].probability - Math.max(...expected.probabilities)), what).toBeLessThan(1e-5);
  const probabilities = answers[0].probabilities;
  if (probabilities) probabilities.forEach((p, c) => expect(Math.abs(p - expected.probabilities[c]), what).toBeLessThan(1e-5));
}

describe("dynamic batching under concurrent clients", () => {
  it("gives each of 300 concurrent single-row requests, in every protocol, the answer for its own row", async () => {
    const rows = makeCustomers(300, 11).rows;
    const before = await scrapeMetrics(serving.url);
    const responses = await Promise.all(
      rows.map((row, i) => {
        const form = PROTOCOL_FORMS[i % PROTOCOL_FORMS.length];
        return send(serving.url, requestFor(form, [row]), { "x-request-id": `row-${i}` }).then((response) => ({ form, response }));
      }),
    );
    responses.forEach(({ form, response }, i) => {
      expect(response.status, `row ${i} (${form}): ${response.text}`).toBe(200);
      expect(response.headers.get("x-request-id")).toBe(`row-${i}`);
      expectOwnAnswer(form, response.json, rows[i], `row ${i} (${form})`);
    });

    const after = await scrapeMetrics(serving.url);
    const delta = (name: string) => metricValue(after, name, { model: "churn" }) - metricValue(before, name, { model: "churn" });
    // Every row ran exactly once, and the model calls held more than one row on average.
    expect(delta("keel_serving_batch_size_sum")).toBe(300);
    expect(delta("keel_serving_batch_size_sum") / delta("keel_serving_batch_size_count")).toBeGreaterThan(1);
    expect(delta("keel_serving_batch_size_count")).toBeLessThan(300);
    expect(serving.logger.errors).toEqual([]);
  });
});

/** Requests that cannot be scored, each with the status and the words its answer must hold. */
const BAD_REQUESTS: readonly { name: string; request: (row: CustomerRow) => HttpRequest; error: RegExp; shape: "mlflow" | "plain" | "v2" }[] = [
  {
    name: "a string where a number goes (dataframe_records)",
    request: (row) => requestFor("dataframe_records", [{ ...row, tenure_months: "twelve" }]),
    error: /tenure_months/,
    shape: "mlflow",
  },
  {
    name: "a row one value short (dataframe_split)",
    request: (row) => {
      const good = JSON.parse(requestFor("dataframe_split", [row]).body ?? "{}") as { dataframe_split: { columns: string[]; data: unknown[][] } };
      good.dataframe_split.data[0].pop();
      return { method: "POST", path: "/invocations", headers: { "content-type": "application/json" }, body: JSON.stringify(good) };
    },
    error: /row 0 must hold one value per column \(6\); got 5 values/,
    shape: "mlflow",
  },
  {
    name: "a number where a category goes (/predict features)",
    request: (row) => ({ ...requestFor("plain_features", [row]), body: JSON.stringify({ features: [1, 2, 3, 4, 5, 6] }) }),
    error: /contract/,
    shape: "plain",
  },
  {
    name: "a tensor of the wrong width (V2)",
    request: (row) => {
      const good = JSON.parse(requestFor("v2", [row]).body ?? "{}") as { inputs: { shape: number[]; data: unknown[] }[] };
      good.inputs[0] = { ...good.inputs[0], shape: [1, 2], data: [1, 2] };
      return { method: "POST", path: "/v2/models/churn/infer", headers: { "content-type": "application/json" }, body: JSON.stringify(good) };
    },
    error: /tenure_months.*shape \[1, 2\]/,
    shape: "v2",
  },
];

describe("a bad request among concurrent ones", () => {
  it("fails only itself, with a 400 that says what is wrong; every other request is answered", async () => {
    const rows = makeCustomers(160, 23).rows;
    const jobs = rows.map((row, i) => {
      if (i % 10 === 3) {
        const bad = BAD_REQUESTS[Math.floor(i / 10) % BAD_REQUESTS.length];
        return { i, bad, form: undefined, request: bad.request(row) };
      }
      const form = PROTOCOL_FORMS[i % PROTOCOL_FORMS.length];
      return { i, bad: undefined, form, request: requestFor(form, [row]) };
    });
    const responses = await Promise.all(jobs.map((job) => send(serving.url, job.request)));
    let failed = 0;
    jobs.forEach((job, k) => {
      const response = responses[k];
      if (job.bad) {
        failed += 1;
        expect(response.status, `${job.bad.name}: ${response.text}`).toBe(400);
        const body = response.json as Record<string, unknown>;
        const message = job.bad.shape === "mlflow" ? body.message : job.bad.shape === "plain" ? body.detail : body.error;
        if (job.bad.shape === "mlflow") expect(body.error_code).toBe("INVALID_PARAMETER_VALUE");
        expect(message, job.bad.name).toMatch(job.bad.error);
        return;
      }
      expect(response.status, `row ${job.i}: ${response.text}`).toBe(200);
      expectOwnAnswer(job.form ?? "v2", response.json, rows[job.i], `row ${job.i} (${job.form})`);
    });
    expect(failed).toBe(16);
    expect(serving.logger.errors).toEqual([]);
  });
});
