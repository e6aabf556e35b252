/**
 * Late labels through `keel serve`'s POST /keel/labels: stored beside the prediction log, refused in the
 * MLflow error shape when malformed, and joined by request id to the prediction they answer when a monitor
 * reads the window.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPredictionWindow } from "../../src/monitoring/log/prediction-window.js";
import type { CustomerRow, HttpResponse } from "../serving/serving-fixtures.js";
import { filesUnder, fitChurnModel, localModelSource, makeCustomers, requestFor, saveChurnModel, scratchDir, send, serveYaml } from "../serving/serving-fixtures.js";

let modelDir: string;
const scratch = scratchDir("labels");
const rows: CustomerRow[] = makeCustomers(3, 5).rows;

beforeAll(async () => {
  const training = makeCustomers(200, 7);
  modelDir = await saveChurnModel(await fitChurnModel("logreg", training.rows, training.churn), scratch.dir, "churn");
});
afterAll(() => scratch.cleanup());

const configFor = (predictionLog: string) =>
  `models:\n  - name: churn\n    uri: ${JSON.stringify(modelDir)}\nprediction_log: ${predictionLog}\nbatching: { max_queue_delay_ms: 1 }\n`;

const postLabels = (url: string, body: string): Promise<HttpResponse> =>
  send(url, { method: "POST", path: "/keel/labels", headers: { "content-type": "application/json" }, body });

describe("POST /keel/labels", () => {
  it("stores labels beside the prediction log and refuses malformed ones", async () => {
    const logDir = scratchDir("labels-log");
    const serving = await serveYaml(configFor(`{ destination: ${JSON.stringify(logDir.dir)} }`), localModelSource());
    try {
      const added = await postLabels(serving.url, JSON.stringify({ labels: [{ request_id: "x", label: "yes" }] }));
      expect(added.status, added.text).toBe(200);
      expect(added.json).toEqual({ added: 1 });
      const files = filesUnder(logDir.dir);
      expect(files).toEqual([expect.stringMatching(/^labels\/date=\d{4}-\d\d-\d\d\/part-[^/]+\.ndjson$/)]);
      expect(JSON.parse(readFileSync(join(logDir.dir, files[0]), "utf8"))).toMatchObject({ request_id: "x", label: "yes" });

      const malformed = await postLabels(serving.url, '{"labels": [');
      expect(malformed.status).toBe(400);
      expect(malformed.json).toMatchObject({ error_code: "MALFORMED_REQUEST" });

      const badEntry = await postLabels(serving.url, JSON.stringify({ labels: [{ request_id: "a", label: "no" }, { request_id: "", label: "yes" }] }));
      expect(badEntry.status).toBe(400);
      expect(badEntry.json).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining("labels[1].request_id") });

      const badLabel = await postLabels(serving.url, JSON.stringify({ labels: [{ request_id: "a", label: { nested: 1 } }] }));
      expect(badLabel.status).toBe(400);
      expect(badLabel.json).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining("labels[0].label") });

      const empty = await postLabels(serving.url, JSON.stringify({ labels: [] }));
      expect(empty.status).toBe(400);
      expect(empty.json).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE" });
      // Nothing refused reached the disk.
      expect(filesUnder(logDir.dir)).toHaveLength(1);
    } finally {
      await serving.close();
      logDir.cleanup();
    }
  });

  it("refuses labels when the server keeps no prediction log", async () => {
    const serving = await serveYaml(configFor("false"), localModelSource());
    try {
      const answer = await postLabels(serving.url, JSON.stringify({ labels: [{ request_id: "x", label: "yes" }] }));
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining("--prediction-log") });
    } finally {
      await serving.close();
    }
  });

  it("joins a posted label to the prediction of the same x-request-id", async () => {
    const logDir = scratchDir("labels-join");
    const from = Date.now() - 60_000;
    const serving = await serveYaml(configFor(`{ destination: ${JSON.stringify(logDir.dir)} }`), localModelSource());
    try {
      for (const [i, id] of ["req-a", "req-b", "req-c"].entries()) {
        const answer = await send(serving.url, requestFor("dataframe_split", [rows[i]]), { "x-request-id": id });
        expect(answer.status, answer.text).toBe(200);
      }
      const added = await postLabels(serving.url, JSON.stringify({ labels: [{ request_id: "req-b", label: "yes" }] }));
      expect(added.json).toEqual({ added: 1 });
    } finally {
      await serving.close();
    }
    try {
      const window = await readPredictionWindow({ root: logDir.dir, model: "churn", from, to: Date.now() + 60_000 });
      expect(window.rows).toBe(3);
      expect(window.labelledRows).toBe(1);
      const row = window.requestIds.indexOf("req-b");
      expect(row).toBeGreaterThanOrEqual(0);
      expect(window.labels[row]).toBe("yes");
      expect(window.inputs.columns.map((c) => c.name).sort()).toEqual(["contract", "internet_service", "monthly_charges", "support_calls", "tenure_months", "total_charges"]);
    } finally {
      logDir.cleanup();
    }
  });
});
