/**
 * Monitors on the real tracking server (`keel server --monitors`): on-demand runs through the API, the stored
 * runs and the /metrics gauges, webhook alerts to a loopback receiver, and a cron schedule that stops with the
 * server.
 */
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server/start-server.js";
import { startServer } from "../../src/server/start-server.js";
import { createSqlMonitorStore } from "../../src/monitoring/monitors/sql-monitor-store.js";
import { openDatabase } from "../../src/store/database.js";
import { freshSqliteUri } from "../support/databases.js";
import { metricValue, recordingLogger } from "../serving/serving-fixtures.js";
import type { Workspace } from "./monitor-workspace.js";
import { monitorWorkspace, monitorYaml, predictionLogFiles } from "./monitor-workspace.js";

interface Json {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(url: string, path: string, body?: unknown): Promise<Json> {
  const response = await fetch(`${url}${path}`, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface StoredRun {
  readonly id: number;
  readonly monitor: string;
  readonly status: string;
  readonly rows: number;
  readonly reasons: string[];
  readonly actions: { action: string; ok: boolean; detail: string }[];
}

/** A loopback HTTP server that keeps every POSTed JSON body. */
async function startReceiver(): Promise<{ url: string; bodies: unknown[]; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  const server: Server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    request.on("end", () => {
      bodies.push({ method: request.method, contentType: request.headers["content-type"], body: JSON.parse(text) as unknown });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("keel server --monitors", () => {
  let ws: Workspace;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let database: Awaited<ReturnType<typeof freshSqliteUri>>;
  let server: RunningServer;
  beforeAll(async () => {
    receiver = await startReceiver();
    ws = monitorWorkspace(
      () => [
        monitorYaml("churn-daily"),
        monitorYaml("churn-hooked", [`alerts: [{ type: webhook, url: ${JSON.stringify(receiver.url)}, retries: 0 }]`]),
      ],
      predictionLogFiles({ drifted: true }),
    );
    database = await freshSqliteUri();
    server = await startServer({ host: "127.0.0.1", port: 0, backendStoreUri: database.uri, artifactsDestination: ws.path("artifacts"), monitorsFile: ws.path("monitors.yaml") });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
    database.cleanup();
    ws.cleanup();
  });

  it("runs a monitor on request and answers the stored run", async () => {
    const { status, body } = await call(server.url, "/api/2.0/keel/monitors/run", { monitor: "churn-daily" });
    expect(status).toBe(200);
    const run = body.run as StoredRun;
    expect(run).toMatchObject({ monitor: "churn-daily", status: "alert", rows: 100 });
    expect(run.reasons[0]).toMatch(/^input drift: 2 of 2 columns drifted/);
  });

  it("lists the stored runs of a monitor and the newest run of each", async () => {
    const runs = await call(server.url, "/api/2.0/keel/monitors/runs?monitor=churn-daily");
    expect(runs.status).toBe(200);
    expect((runs.body.runs as StoredRun[]).map((r) => [r.monitor, r.status])).toEqual([["churn-daily", "alert"]]);
    const latest = await call(server.url, "/api/2.0/keel/monitors/latest");
    expect((latest.body.runs as StoredRun[]).map((r) => r.monitor)).toContain("churn-daily");
  });

  it("shows the newest run as gauges on /metrics", async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(metricValue(text, "keel_monitor_status", { monitor: "churn-daily", model: "churn" })).toBe(1);
    expect(metricValue(text, "keel_monitor_drift_share_ratio", { monitor: "churn-daily" })).toBe(1);
    expect(metricValue(text, "keel_monitor_column_drift_statistic", { monitor: "churn-daily", column: "tenure" })).toBe(1);
    expect(text).toMatch(/^keel_monitor_column_drift_statistic\{monitor="churn-daily",column="plan",stattest="chisquare"\} \d/m);
  });

  it("posts the alert as JSON to a webhook", async () => {
    const { body } = await call(server.url, "/api/2.0/keel/monitors/run", { monitor: "churn-hooked" });
    const run = body.run as StoredRun;
    expect(run.actions).toEqual([expect.objectContaining({ action: `webhook ${receiver.url}`, ok: true, detail: "HTTP 204" })]);
    expect(receiver.bodies).toEqual([
      {
        method: "POST",
        contentType: "application/json",
        body: expect.objectContaining({ monitor: "churn-hooked", model: "churn", status: "alert", run_id: run.id, rows: 100, dataset_drift: true }),
      },
    ]);
  });

  it("answers an unknown monitor with 404 naming the known ones", async () => {
    const { status, body } = await call(server.url, "/api/2.0/keel/monitors/run", { monitor: "churn-hourly" });
    expect(status).toBe(404);
    expect(body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect(body.message).toMatch(/churn-daily, churn-hooked/);
  });

  it.each([
    ["POST", "/api/2.0/keel/monitors/run", {}],
    ["GET", "/api/2.0/keel/monitors/runs", undefined],
  ])("answers %s %s without a monitor with 400", async (_method, path, body) => {
    const answer = await call(server.url, path, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE", message: "missing value for required parameter 'monitor'" });
  });
});

describe("keel server without --monitors", () => {
  it("answers a run request saying how to give it a monitors file", async () => {
    const database = await freshSqliteUri();
    const ws = monitorWorkspace(() => []);
    const server = await startServer({ host: "127.0.0.1", port: 0, backendStoreUri: database.uri, artifactsDestination: ws.path("artifacts") });
    try {
      const { status, body } = await call(server.url, "/api/2.0/keel/monitors/run", { monitor: "churn-daily" });
      expect(status).toBe(400);
      expect(body).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE" });
      expect(body.message).toContain("keel server --monitors monitors.yaml");
      const latest = await call(server.url, "/api/2.0/keel/monitors/latest");
      expect(latest.body).toEqual({ runs: [] });
    } finally {
      await server.close();
      database.cleanup();
      ws.cleanup();
    }
  });
});

describe("a scheduled monitor", () => {
  it("runs on its cron schedule and stops when the server closes", async () => {
    const database = await freshSqliteUri();
    const ws = monitorWorkspace(() => [monitorYaml("every-second", ['schedule: "* * * * * *"'])], predictionLogFiles({ drifted: false }));
    const logger = recordingLogger();
    const server = await startServer({
      host: "127.0.0.1", port: 0, backendStoreUri: database.uri, artifactsDestination: ws.path("artifacts"), monitorsFile: ws.path("monitors.yaml"), logger,
    });
    try {
      let runs: StoredRun[] = [];
      const deadline = Date.now() + 20_000;
      while (runs.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        runs = (await call(server.url, "/api/2.0/keel/monitors/runs?monitor=every-second")).body.runs as StoredRun[];
      }
      expect(runs[0]).toMatchObject({ monitor: "every-second", status: "ok", rows: 100 });
    } finally {
      await server.close();
    }
    try {
      const count = async (): Promise<number> => {
        const db = await openDatabase(database.uri);
        try {
          return (await createSqlMonitorStore(db).history("every-second", 1000)).length;
        } finally {
          await db.close();
        }
      };
      const afterClose = await count();
      // Long enough for two more ticks of the schedule, had it survived the close.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(await count()).toBe(afterClose);
      expect(logger.errors).toEqual([]);
    } finally {
      database.cleanup();
      ws.cleanup();
    }
  }, 40_000);
});
