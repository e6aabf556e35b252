/**
 * Monitoring on the tracking server: `/metrics` with the newest run of every monitor as Prometheus gauges,
 * the stored runs under `/api/2.0/keel/monitors/...`, and, when the server was given a monitors file, running
 * one on demand. Keel's own API, beside MLflow's; it answers errors in MLflow's `{error_code, message}` shape.
 */
import type { FastifyInstance } from "fastify";
import { KeelError } from "../core/errors.js";
import { createMonitorMetrics } from "../monitoring/monitors/monitor-gauges.js";
import type { MonitorStore } from "../monitoring/monitors/monitor-store.js";
import type { MonitorRun } from "../monitoring/monitors/types.js";

export interface MonitoringApiOptions {
  readonly store: MonitorStore;
  /** Runs the named monitor of the server's monitors file; absent when the server has none. */
  readonly runMonitor?: (name: string) => Promise<MonitorRun>;
}

const PREFIXES = ["/api/2.0/keel/monitors", "/ajax-api/2.0/keel/monitors"];

function maxResults(value: unknown): number {
  if (value === undefined) return 20;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new KeelError("INVALID_PARAMETER_VALUE", `max_results must be an integer from 1 to 1000, got '${String(value)}'`);
  return n;
}

export function monitoringPlugin(app: FastifyInstance, options: MonitoringApiOptions): void {
  const metrics = createMonitorMetrics(options.store);
  app.get("/metrics", async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
  for (const prefix of PREFIXES) {
    app.get(`${prefix}/latest`, async () => ({ runs: await options.store.latestRuns() }));
    app.get(`${prefix}/runs`, async (request) => {
      const query = request.query as { monitor?: unknown; max_results?: unknown };
      if (typeof query.monitor !== "string" || query.monitor === "") {
        throw new KeelError("INVALID_PARAMETER_VALUE", "missing value for required parameter 'monitor'");
      }
      return { runs: await options.store.history(query.monitor, maxResults(query.max_results)) };
    });
    app.post(`${prefix}/run`, async (request) => {
      const body = request.body as { monitor?: unknown } | null;
      if (typeof body?.monitor !== "string" || body.monitor === "") {
        throw new KeelError("INVALID_PARAMETER_VALUE", "missing value for required parameter 'monitor'");
      }
      if (!options.runMonitor) {
        throw new KeelError("INVALID_PARAMETER_VALUE", "this server has no monitors file; start it with `keel server --monitors monitors.yaml`");
      }
      return { run: await options.runMonitor(body.monitor) };
    });
  }
}
