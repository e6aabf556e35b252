/**
 * Traffic routing between registered versions served from a real tracking server: a weighted canary split,
 * sticky A/B assignment by a request header, and a shadow version whose answers are logged, never returned.
 * Version 1 is a logistic regression and version 2 a forest, so an answer also shows which model gave it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FittedClassificationPipeline } from "../../src/learn/pipeline.js";
import type { TestServer } from "../support/servers.js";
import { startTestServer } from "../support/servers.js";
import type { Answer, CustomerRow, ProtocolForm, TestServing } from "./serving-fixtures.js";
import {
  answerRowsOf, answersOf, expectSameAnswers, fitChurnModel, inProcessAnswers, makeCustomers, readPredictionLog,
  registerVersions, registryModelSource, requestFor, runConcurrently, saveChurnModel, scratchDir, send, serveYaml,
} from "./serving-fixtures.js";

let tracking: TestServer;
const scratch = scratchDir("routing");
const rows: CustomerRow[] = makeCustomers(40, 99).rows;
/** In-process answers per registered version, per row of `rows`. */
const answersByVersion = new Map<string, Answer[]>();

beforeAll(async () => {
  tracking = await startTestServer();
  const training = makeCustomers(400, 7);
  const models: FittedClassificationPipeline[] = [
    await fitChurnModel("logreg", training.rows, training.churn),
    await fitChurnModel("forest", training.rows, training.churn),
  ];
  const dirs = await Promise.all(models.map((m, i) => saveChurnModel(m, scratch.dir, `v${i + 1}`)));
  const versions = await registerVersions(tracking.url, "churn", dirs);
  expect(versions).toEqual(["1", "2"]);
  models.forEach((m, i) => answersByVersion.set(versions[i], inProcessAnswers(m, rows)));
});

afterAll(async () => {
  await tracking?.close();
  scratch.cleanup();
});

/** The answer to a single-row request of `form` equals the in-process answer of the version that claims it. */
function expectAnswerOfVersion(form: ProtocolForm, body: unknown, version: string, row: number): void {
  const expected = answersByVersion.get(version)?.[row];
  if (!expected) throw new Error(`no version ${version}`);
  const [answer] = answerRowsOf(form, body);
  expect(answer.label, `row ${row} of version ${version}`).toBe(expected.label);
  expect(Math.abs(answer.probability - Math.max(...expected.probabilities))).toBeLessThan(1e-5);
}

const VARIANTS = `    variants:
      - { name: production, uri: "models:/churn/1", weight: 90 }
      - { name: candidate, uri: "models:/churn/2", weight: 10 }`;

describe("canary and A/B routing between registered versions", () => {
  let serving: TestServing;

  beforeAll(async () => {
    const yaml = `models:
  - name: churn
${VARIANTS}
  - name: churn-ab
${VARIANTS}
    sticky_key: header:x-user-id
  - name: churn-field
${VARIANTS}
    sticky_key: field:user_id
prediction_log: false
reload: { poll_interval_s: 0 }
`;
    serving = await serveYaml(yaml, registryModelSource(tracking.url));
  });
  afterAll(async () => serving?.close());

  it("sends about 10% of 2,000 requests to the candidate, and each answer is the answering version's", async () => {
    const forms: readonly ProtocolForm[] = ["dataframe_records", "plain_features", "v2"];
    const results = await runConcurrently(2000, 32, async (i) => {
      const form = forms[i % forms.length];
      const row = i % rows.length;
      const response = await send(serving.url, requestFor(form, [rows[row]], { model: "churn" }));
      expect(response.status, response.text).toBe(200);
      const version = response.headers.get("x-keel-model-version") ?? "";
      expectAnswerOfVersion(form, response.json, version, row);
      return version;
    });
    const candidate = results.filter((v) => v === "2").length;
    expect(results.filter((v) => v !== "1" && v !== "2")).toEqual([]);
    // Binomial(2000, 0.1): mean 200, standard deviation 13.4; four of them either side.
    const sd = Math.sqrt(2000 * 0.1 * 0.9);
    expect(Math.abs(candidate - 200)).toBeLessThanOrEqual(4 * sd);
    expect(serving.logger.errors).toEqual([]);
  });

  it("keeps each user on one version by x-user-id, and spreads users over both", async () => {
    const users = Array.from({ length: 200 }, (_, u) => `user-${u}`);
    const seen = new Map<string, Set<string>>();
    await runConcurrently(users.length * 3, 32, async (i) => {
      const user = users[i % users.length];
      const row = i % rows.length;
      const response = await send(serving.url, requestFor("dataframe_split", [rows[row]], { model: "churn-ab" }), { "x-user-id": user });
      expect(response.status, response.text).toBe(200);
      const version = response.headers.get("x-keel-model-version") ?? "";
      expectAnswerOfVersion("dataframe_split", response.json, version, row);
      const versions = seen.get(user) ?? new Set<string>();
      versions.add(version);
      seen.set(user, versions);
    });
    const perUser = [...seen.values()];
    expect(perUser.filter((v) => v.size !== 1)).toEqual([]);
    const onCandidate = perUser.filter((v) => v.has("2")).length;
    expect(onCandidate).toBeGreaterThan(0);
    expect(onCandidate).toBeLessThan(users.length / 2);
  });

  it("keeps each user on one version by a user_id field of the body, in every protocol", async () => {
    const forms: readonly ProtocolForm[] = ["dataframe_records", "plain_features", "v2"];
    const seen = new Map<number, Set<string>>();
    await runConcurrently(300, 32, async (i) => {
      const user = i % 100;
      const form = forms[i % forms.length];
      const row = i % rows.length;
      const request = requestFor(form, [rows[row]], { model: "churn-field" });
      const body = { ...(JSON.parse(request.body ?? "{}") as object), user_id: user };
      const response = await send(serving.url, { ...request, body: JSON.stringify(body) });
      expect(response.status, response.text).toBe(200);
      const version = response.headers.get("x-keel-model-version") ?? "";
      expectAnswerOfVersion(form, response.json, version, row);
      seen.set(user, (seen.get(user) ?? new Set<string>()).add(version));
    });
    expect([...seen.values()].filter((v) => v.size !== 1)).toEqual([]);
    expect(new Set([...seen.values()].flatMap((v) => [...v]))).toEqual(new Set(["1", "2"]));
  });

  it("describes every served version in V2 metadata, and readies each", async () => {
    for (const version of ["1", "2"]) {
      const meta = await send(serving.url, { method: "GET", path: `/v2/models/churn/versions/${version}`, headers: {} });
      expect(meta.status).toBe(200);
      expect(meta.json).toMatchObject({ name: "churn", versions: ["1", "2"] });
      const ready = await send(serving.url, { method: "GET", path: `/v2/models/churn/versions/${version}/ready`, headers: {} });
      expect(ready).toMatchObject({ status: 200, json: { ready: true } });
    }
  });

  // BUG (src/server/serving-app.ts, POST /v2/models/:name/versions/:version/infer): the route asks the router
  // for a variant by weight and then refuses the request with 404 when the router picked another version,
  // instead of scoring on the variant serving the version named in the path. Under a 90/10 canary, 90% of
  // the requests for /versions/2/infer fail. Remove `.fails` once the handler picks the named version's slot.
  it("scores /v2/models/<name>/versions/<v>/infer on the version named, whatever the split", async () => {
    const statuses = await runConcurrently(40, 8, async (i) => {
      const response = await send(serving.url, requestFor("v2", [rows[i % rows.length]], { model: "churn", version: "2" }));
      if (response.status === 200) {
        expect(response.headers.get("x-keel-model-version")).toBe("2");
        expectSameAnswers(answersOf("v2", response.json), [answersByVersion.get("2")?.[i % rows.length] ?? { label: -1, probabilities: [] }]);
      }
      return response.status;
    });
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });
});

describe("shadow version", () => {
  it("logs the shadow's answers with shadow true, and never returns them", async () => {
    const logDir = scratchDir("shadow-log");
    try {
      const yaml = `models:
  - name: churn
    uri: "models:/churn/1"
    shadow: { uri: "models:/churn/2" }
prediction_log: { destination: ${JSON.stringify(logDir.dir)}, flush_interval_ms: 50 }
reload: { poll_interval_s: 0 }
`;
      const serving = await serveYaml(yaml, registryModelSource(tracking.url));
      const forms: readonly ProtocolForm[] = ["dataframe_split", "plain_features", "v2", "csv"];
      try {
        for (let r = 0; r < rows.length; r++) {
          const form = forms[r % forms.length];
          const response = await send(serving.url, requestFor(form, [rows[r]]), { "x-request-id": `shadowed-${r}` });
          expect(response.status, response.text).toBe(200);
          expect(response.headers.get("x-keel-model-version")).toBe("1");
          expectAnswerOfVersion(form, response.json, "1", r);
        }
      } finally {
        await serving.close();
      }
      expect(serving.logger.errors).toEqual([]);

      const records = readPredictionLog(logDir.dir);
      const served = records.filter((r) => !r.shadow);
      const shadowed = records.filter((r) => r.shadow);
      expect(served).toHaveLength(rows.length);
      expect(shadowed).toHaveLength(rows.length);
      expect(new Set(served.map((r) => r.version))).toEqual(new Set(["1"]));
      expect(new Set(shadowed.map((r) => r.version))).toEqual(new Set(["2"]));
      // The shadow's logged outputs are version 2's answers for the same request's row.
      const v2 = answersByVersion.get("2") ?? [];
      const differ = rows.filter((_, r) => v2[r].label !== (answersByVersion.get("1") ?? [])[r].label).length;
      expect(differ).toBeGreaterThan(0);
      for (const record of shadowed) {
        const r = Number(record.request_id.replace("shadowed-", ""));
        expect(record.outputs.label, record.request_id).toBe(v2[r].label);
        expect(record.inputs.contract).toBe(rows[r].contract);
      }
    } finally {
      logDir.cleanup();
    }
  });
});
