import { Agent, request } from "node:http";
import BetterSqlite3 from "better-sqlite3";
import type { LogEvent } from "kysely";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { createSqlRegistryStore } from "../src/registry/sql-registry-store.js";
import type { RegistryStore } from "../src/registry/registry-store.js";
import { openDatabase, parseDatabaseUri } from "../src/store/database.js";
import type { Database } from "../src/store/database.js";
import { postgresDialect, sqliteDialect } from "../src/store/dialect.js";
import type { KeelDatabase } from "../src/store/schema.js";
import { bulkInsert, seeded } from "./populate.js";
import type { Backend } from "./support.js";
import { backendArg, freshDatabase, machine, percentile, spawnServer } from "./support.js";

const MODELS = 10_000;
const VERSIONS = 10;
const PAGE = 100;
/** The page reached by following next_page_token from the first page. */
const DEEP_PAGE = 50;
const WARMUP = 20;
const REQUESTS = 200;
const TARGET_MS = 20;
const TEAMS = 10;

const modelName = (i: number): string => `model-${String(i).padStart(5, "0")}`;

/** Version 10 is in Production, 9 in Staging, the even ones below in None and the odd ones Archived. */
function stageOf(version: number): string {
  if (version === VERSIONS) return "Production";
  if (version === VERSIONS - 1) return "Staging";
  return version % 2 === 0 ? "None" : "Archived";
}

/**
 * 10,000 registered models (3 tags each, `team` among 10 values) with 10 versions each (2 tags per version,
 * alias `champion` on the Production version). The rows go straight into the migrated tables in multi-row
 * inserts: through the API this is 10,000 create-registered-model + 100,000 create-model-version +
 * 200,000 set-model-version-tag + 20,000 transition calls, each its own transaction with an audit row, which
 * takes far longer than the measurement itself. The audit trail is left empty: no measured query reads it.
 */
async function populate(uri: string): Promise<void> {
  const database = await openDatabase(uri);
  const random = seeded(42);
  const domains = ["vision", "nlp", "tabular", "speech"];
  const frameworks = ["sklearn", "pytorch", "xgboost", "onnx"];
  const base = 1_700_000_000_000;
  const chunk = 1000;
  try {
    for (let start = 0; start < MODELS; start += chunk) {
      const models = [];
      const modelTags = [];
      const versions = [];
      const versionTags = [];
      const aliases = [];
      for (let i = start; i < Math.min(MODELS, start + chunk); i++) {
        const name = modelName(i);
        const created = base + i * 60_000;
        models.push({
          name,
          creation_time: created,
          last_updated_time: created + VERSIONS * 1000,
          description: `Benchmark model ${i}`,
          user_id: null,
          next_version: VERSIONS + 1,
        });
        modelTags.push(
          { name, key: "team", value: `team-${i % TEAMS}` },
          { name, key: "domain", value: domains[i % domains.length] },
          { name, key: "owner", value: `owner-${i % 97}` },
        );
        for (let v = 1; v <= VERSIONS; v++) {
          const runId = (i * VERSIONS + v).toString(16).padStart(32, "0");
          versions.push({
            name,
            version: v,
            creation_time: created + v * 1000,
            last_updated_time: created + v * 1000,
            description: null,
            user_id: null,
            current_stage: stageOf(v),
            source: `runs:/${runId}/model`,
            storage_location: `mlflow-artifacts:/0/${runId}/artifacts/model`,
            run_id: runId,
            run_link: null,
            status: "READY",
          });
          versionTags.push(
            { name, version: v, key: "framework", value: frameworks[Math.floor(random() * frameworks.length)] },
            { name, version: v, key: "validated", value: v >= VERSIONS - 1 ? "true" : "false" },
          );
        }
        aliases.push({ name, alias: "champion", version: VERSIONS });
      }
      await bulkInsert(database, "registered_models", models);
      await bulkInsert(database, "registered_model_tags", modelTags);
      await bulkInsert(database, "model_versions", versions);
      await bulkInsert(database, "model_version_tags", versionTags);
      await bulkInsert(database, "model_aliases", aliases);
    }
    // The rows went in behind the server's back: gather the planner statistics autovacuum keeps on a live
    // PostgreSQL (the test server runs without it). SQLite's come from the PRAGMA optimize the server runs
    // when it opens the database, as in bench/search.ts.
    if (database.dialect.name === "postgresql") await sql`analyze`.execute(database.db);
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// HTTP: one keep-alive connection, the whole answer received before the clock stops.

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  readonly status: number;
  readonly text: string;
}

function call(url: string, method: "GET" | "POST", body?: string): Promise<Answer> {
  const target = new URL(url);
  const headers: Record<string, string | number> = body === undefined ? {} : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) };
  return new Promise((resolve, reject) => {
    const req = request({ agent, hostname: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

interface WireVersion {
  name: string;
  version: string;
  current_stage: string;
  aliases?: string[];
}
interface WireModel {
  name: string;
  latest_versions?: WireVersion[];
  tags?: { key: string; value: string }[];
}
interface WireAnswer {
  registered_models?: WireModel[];
  model_versions?: WireVersion[];
  next_page_token?: string;
}

function parse(label: string, answer: Answer): WireAnswer {
  if (answer.status === 404 && answer.text.includes("ENDPOINT_NOT_FOUND")) {
    throw new Error(`${label}: the server does not serve the registry endpoints yet (404 ENDPOINT_NOT_FOUND)`);
  }
  if (answer.status !== 200) throw new Error(`${label}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
  return JSON.parse(answer.text) as WireAnswer;
}

function expect(label: string, ok: boolean, detail: string): void {
  if (!ok) throw new Error(`${label}: ${detail}`);
}

/** Checks one page of models: `count` models, each with its 4 latest versions (one per stage). */
function checkModels(label: string, json: WireAnswer, count: number, each?: (m: WireModel) => boolean): void {
  const models = json.registered_models ?? [];
  expect(label, models.length === count, `expected ${count} registered models, got ${models.length}`);
  for (const m of models) {
    expect(label, (m.latest_versions ?? []).length === 4, `${m.name}: expected 4 latest_versions, got ${(m.latest_versions ?? []).length}`);
    if (each) expect(label, each(m), `${m.name} does not match the query`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The measured query shapes.

interface Shape {
  readonly label: string;
  /** Whether the issue's p50 target applies. */
  readonly targeted: boolean;
  /** The HTTP request for a model chosen at random (ignored by shapes that name none). */
  request(model: string): { method: "GET" | "POST"; path: string; body?: string };
  check(json: WireAnswer, model: string): void;
  /** The store call the route makes, run once to capture the SQL the server issues; undefined for /health. */
  store?(store: RegistryStore, model: string): Promise<unknown>;
}

const API = "/api/2.0/mlflow";

function shapes(deepToken: string): Shape[] {
  const deepFirst = modelName((DEEP_PAGE - 1) * PAGE);
  return [
    {
      label: "`GET /health` (HTTP floor)",
      targeted: false,
      request: () => ({ method: "GET", path: "/health" }),
      check: () => undefined,
    },
    {
      label: "search-registered-models, first page (`max_results=100`, by name)",
      targeted: true,
      request: () => ({ method: "GET", path: `${API}/registered-models/search?max_results=${PAGE}` }),
      check: (json) => {
        checkModels("first page", json, PAGE);
        expect("first page", json.registered_models?.[0]?.name === modelName(0), `starts at ${json.registered_models?.[0]?.name}`);
        expect("first page", typeof json.next_page_token === "string", "no next_page_token");
      },
      store: (s) => s.searchRegisteredModels({ maxResults: PAGE }),
    },
    {
      label: `search-registered-models, page ${DEEP_PAGE} (\`next_page_token\`)`,
      targeted: true,
      request: () => ({ method: "GET", path: `${API}/registered-models/search?max_results=${PAGE}&page_token=${encodeURIComponent(deepToken)}` }),
      check: (json) => {
        checkModels("deep page", json, PAGE);
        expect("deep page", json.registered_models?.[0]?.name === deepFirst, `expected page ${DEEP_PAGE} to start at ${deepFirst}, got ${json.registered_models?.[0]?.name}`);
      },
      store: (s) => s.searchRegisteredModels({ maxResults: PAGE, pageToken: deepToken }),
    },
    {
      label: "search-registered-models, `name LIKE 'model-012%'`",
      targeted: true,
      request: () => ({ method: "GET", path: `${API}/registered-models/search?filter=${encodeURIComponent("name LIKE 'model-012%'")}` }),
      check: (json) => checkModels("name LIKE", json, PAGE, (m) => m.name.startsWith("model-012")),
      store: (s) => s.searchRegisteredModels({ filter: "name LIKE 'model-012%'" }),
    },
    {
      label: "search-registered-models, `tags.team = 'team-3'`, `max_results=100`",
      targeted: true,
      request: () => ({ method: "GET", path: `${API}/registered-models/search?filter=${encodeURIComponent("tags.team = 'team-3'")}&max_results=${PAGE}` }),
      check: (json) => {
        checkModels("tags.team", json, PAGE, (m) => (m.tags ?? []).some((t) => t.key === "team" && t.value === "team-3"));
        expect("tags.team", typeof json.next_page_token === "string", "no next_page_token (1,000 models match)");
      },
      store: (s) => s.searchRegisteredModels({ filter: "tags.team = 'team-3'", maxResults: PAGE }),
    },
    {
      label: "get-latest-versions, random model, all stages",
      targeted: true,
      request: (model) => ({ method: "POST", path: `${API}/registered-models/get-latest-versions`, body: JSON.stringify({ name: model }) }),
      check: (json, model) => {
        const versions = json.model_versions ?? [];
        expect("get-latest-versions", versions.length === 4, `${model}: expected 4 versions, got ${versions.length}`);
        const got = versions.map((v) => `${v.current_stage}:${v.version}`).sort().join(",");
        expect("get-latest-versions", got === "Archived:7,None:8,Production:10,Staging:9", `${model}: got ${got}`);
        expect("get-latest-versions", versions.every((v) => v.name === model), `${model}: versions of another model`);
      },
      store: (s, model) => s.getLatestVersions(model),
    },
    {
      label: "get-latest-versions, random model, `stages: [\"Production\"]`",
      targeted: true,
      request: (model) => ({ method: "POST", path: `${API}/registered-models/get-latest-versions`, body: JSON.stringify({ name: model, stages: ["Production"] }) }),
      check: (json, model) => {
        const versions = json.model_versions ?? [];
        expect("get-latest-versions Production", versions.length === 1, `${model}: expected 1 version, got ${versions.length}`);
        const [v] = versions;
        expect("get-latest-versions Production", v.name === model && v.version === "10" && v.current_stage === "Production", `${model}: got ${JSON.stringify(v).slice(0, 200)}`);
        expect("get-latest-versions Production", (v.aliases ?? []).includes("champion"), `${model}: version 10 lacks alias champion`);
      },
      store: (s, model) => s.getLatestVersions(model, ["Production"]),
    },
    {
      label: "search-model-versions, `name='<random model>'`",
      targeted: false,
      request: (model) => ({ method: "GET", path: `${API}/model-versions/search?filter=${encodeURIComponent(`name='${model}'`)}` }),
      check: (json, model) => {
        const versions = json.model_versions ?? [];
        expect("search-model-versions", versions.length === VERSIONS, `${model}: expected ${VERSIONS} versions, got ${versions.length}`);
        expect("search-model-versions", versions.every((v) => v.name === model), `${model}: versions of another model`);
      },
      store: (s, model) => s.searchModelVersions({ filter: `name='${model}'` }),
    },
  ];
}

/** Follows next_page_token from the first page to the token that fetches page DEEP_PAGE. */
async function deepPageToken(url: string): Promise<string> {
  let token: string | undefined;
  for (let page = 1; page < DEEP_PAGE; page++) {
    const json = parse(`page ${page}`, await call(`${url}${API}/registered-models/search?max_results=${PAGE}${token ? `&page_token=${encodeURIComponent(token)}` : ""}`, "GET"));
    checkModels(`page ${page}`, json, PAGE);
    token = json.next_page_token;
    if (!token) throw new Error(`page ${page} has no next_page_token`);
  }
  return token as string;
}

/**
 * Times every shape over HTTP, round-robin (one request of each shape per round) so that the machine's noise
 * falls on all shapes alike. Only the request is timed; the answer is parsed and checked after.
 */
async function timeHttp(url: string, list: readonly Shape[], pick: () => string): Promise<number[][]> {
  const times = list.map(() => [] as number[]);
  for (let round = 0; round < WARMUP + REQUESTS; round++) {
    for (const [i, shape] of list.entries()) {
      const model = pick();
      const { method, path, body } = shape.request(model);
      const started = performance.now();
      const answer = await call(`${url}${path}`, method, body);
      const elapsed = performance.now() - started;
      if (shape.store) shape.check(parse(shape.label, answer), model);
      else if (answer.status !== 200) throw new Error(`${shape.label}: HTTP ${answer.status}`);
      if (round >= WARMUP) times[i].push(elapsed);
    }
  }
  return times;
}

// ---------------------------------------------------------------------------------------------------------
// Baseline: the SQL the server runs for each shape, captured from the registry store and replayed with the
// bare driver (no HTTP, no JSON, no query building, no entity assembly).

interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

interface Replayer {
  run(statement: Statement): Promise<number>;
  version(): Promise<string>;
  close(): Promise<void>;
}

/** A kysely instance on the bench database that records every statement it runs. */
function capturingDatabase(uri: string, log: Statement[]): Pick<Database, "db" | "dialect"> {
  const record = (event: LogEvent): void => {
    if (event.level === "query") log.push({ sql: event.query.sql, parameters: event.query.parameters });
  };
  const location = parseDatabaseUri(uri);
  if (location.type === "sqlite") {
    const connection = new BetterSqlite3(location.path);
    connection.pragma("case_sensitive_like = ON");
    const dialect = sqliteDialect(new SqliteDialect({ database: connection }));
    return { db: new Kysely<KeelDatabase>({ dialect: dialect.kysely, log: record }), dialect };
  }
  const dialect = postgresDialect(new PostgresDialect({ pool: new pg.Pool({ connectionString: location.connectionString, max: 4 }) }));
  return { db: new Kysely<KeelDatabase>({ dialect: dialect.kysely, log: record }), dialect };
}

async function replayer(uri: string): Promise<Replayer> {
  const location = parseDatabaseUri(uri);
  if (location.type === "sqlite") {
    const connection = new BetterSqlite3(location.path, { readonly: true });
    // The server's settings that change what a query returns or how it is planned (see src/store/database.ts).
    connection.pragma("case_sensitive_like = ON");
    const prepared = new Map<string, BetterSqlite3.Statement>();
    return {
      async run(statement) {
        let prepare = prepared.get(statement.sql);
        if (!prepare) prepared.set(statement.sql, (prepare = connection.prepare(statement.sql)));
        return prepare.all(...(statement.parameters as unknown[])).length;
      },
      version: async () => `SQLite ${(connection.prepare("select sqlite_version() as v").get() as { v: string }).v}`,
      close: async () => void connection.close(),
    };
  }
  const client = new pg.Client({ connectionString: location.connectionString });
  await client.connect();
  return {
    async run(statement) {
      return (await client.query(statement.sql, statement.parameters as unknown[])).rowCount ?? 0;
    },
    version: async () => `PostgreSQL ${(await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v.split(" ")[0]}`,
    close: () => client.end(),
  };
}

/**
 * For each shape, the statements its store call runs (captured for `sample`), replayed one after another for a
 * random model each time: every model has the same versions and stages, so only the name changes.
 */
async function timeSql(uri: string, list: readonly Shape[], pick: () => string): Promise<{ times: number[][]; statements: number[]; version: string }> {
  const sample = modelName(42);
  const captured: Statement[][] = [];
  const log: Statement[] = [];
  const database = capturingDatabase(uri, log);
  const store = createSqlRegistryStore(database, { runs: { runArtifactUri: async () => undefined } });
  try {
    for (const shape of list) {
      log.length = 0;
      if (shape.store) await shape.store(store, sample);
      captured.push([...log]);
    }
  } finally {
    await database.db.destroy();
  }
  const bare = await replayer(uri);
  const times = list.map(() => [] as number[]);
  try {
    for (let round = 0; round < WARMUP + REQUESTS; round++) {
      for (const [i, statements] of captured.entries()) {
        if (statements.length === 0) continue;
        const model = pick();
        const bound = statements.map((s) => ({ sql: s.sql, parameters: s.parameters.map((p) => (p === sample ? model : p)) }));
        const started = performance.now();
        let rows = 0;
        for (const statement of bound) rows += await bare.run(statement);
        const elapsed = performance.now() - started;
        if (rows === 0) throw new Error(`${list[i].label}: the replayed SQL returned no rows`);
        if (round >= WARMUP) times[i].push(elapsed);
      }
    }
    return { times, statements: captured.map((s) => s.length), version: await bare.version() };
  } finally {
    await bare.close();
  }
}

// ---------------------------------------------------------------------------------------------------------

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

export async function main(argv: readonly string[]): Promise<void> {
  const backend: Backend = backendArg(argv);
  const db = await freshDatabase(backend);
  try {
    let started = performance.now();
    await populate(db.uri);
    process.stderr.write(`populated ${MODELS} models × ${VERSIONS} versions in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

    const server = await spawnServer(db.uri);
    let list: Shape[];
    let http: number[][];
    try {
      started = performance.now();
      list = shapes(await deepPageToken(server.url));
      const random = seeded(7);
      http = await timeHttp(server.url, list, () => modelName(Math.floor(random() * MODELS)));
      process.stderr.write(`HTTP: ${REQUESTS} requests per shape in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    } finally {
      await server.stop();
    }
    const random = seeded(7);
    const direct = await timeSql(db.uri, list, () => modelName(Math.floor(random() * MODELS)));

    const date = new Date().toISOString().slice(0, 10);
    const rows = list.map((shape, i) => {
      const sorted = [...http[i]].sort((a, b) => a - b);
      const base = [...direct.times[i]].sort((a, b) => a - b);
      const p50 = percentile(sorted, 50);
      const baseP50 = base.length > 0 ? percentile(base, 50) : undefined;
      return {
        label: shape.label,
        targeted: shape.targeted,
        p50,
        p95: percentile(sorted, 95),
        pass: shape.targeted ? p50 <= TARGET_MS : undefined,
        statements: direct.statements[i],
        sqlP50: baseP50,
        sqlP95: base.length > 0 ? percentile(base, 95) : undefined,
      };
    });
    const floor = rows[0].p50;
    process.stdout.write(
      `${JSON.stringify({
        bench: "registry",
        backend,
        date,
        models: MODELS,
        versionsPerModel: VERSIONS,
        requestsPerShape: REQUESTS,
        rows: rows.map((r) => ({ ...r, p50: Number(r.p50.toFixed(2)), p95: Number(r.p95.toFixed(2)), sqlP50: r.sqlP50 && Number(r.sqlP50.toFixed(2)), sqlP95: r.sqlP95 && Number(r.sqlP95.toFixed(2)) })),
        machine: machine(),
        database: direct.version,
      })}\n\n`,
    );
    process.stdout.write(`registry, ${backend === "sqlite" ? "SQLite" : "PostgreSQL"} — ${date} — ${machine()}, ${direct.version}\n\n`);
    process.stdout.write("| query | p50 ms | p95 ms | target | pass/fail | baseline p50 ms (SQL, bare driver) | ratio |\n");
    process.stdout.write("| --- | --- | --- | --- | --- | --- | --- |\n");
    for (const r of rows) {
      const target = r.targeted ? `p50 ≤ ${TARGET_MS} ms` : "(reported)";
      const pass = r.pass === undefined ? "—" : r.pass ? "✔ pass" : "✘ FAIL";
      const baseline = r.sqlP50 === undefined ? "—" : `${ms(r.sqlP50)} (${r.statements} statements)`;
      const ratio = r.sqlP50 === undefined ? "—" : (r.p50 / r.sqlP50).toFixed(2);
      const p50 = r === rows[0] ? ms(r.p50) : `**${ms(r.p50)}** (+${ms(r.p50 - floor)} over /health)`;
      process.stdout.write(`| ${r.label} | ${p50} | ${ms(r.p95)} | ${target} | ${pass} | ${baseline} | ${ratio} |\n`);
    }
  } finally {
    await db.cleanup();
  }
}
