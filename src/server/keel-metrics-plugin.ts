/**
 * Keel's chart-data API beside MLflow's: metric histories downsampled per pixel bucket, so that a chart of a
 * million-step metric receives a few thousand numbers instead of a million JSON objects.
 *
 * GET {/api/2.0,/ajax-api/2.0}/keel/metrics/downsampled
 *   ?run_id=R1[&run_id=R2 ...]   1 to 100 runs, one series each, in this order
 *   &metric_key=loss
 *   [&buckets=1000]              pixel buckets across the x range, 1 to 10,000 (about the chart's width)
 *   [&x=step|wall|relative]      x values: step (default), wall clock in UTC ms, or ms since the run started
 *   [&start_step=S][&end_step=E] inclusive step bounds of the points considered (zooming)
 *
 * answers, with every series bucketed over the same x range so one chart's series line up:
 *   { "metric_key": "loss", "x_axis": "step", "buckets": 1000, "x_min": 0, "x_max": 999999,
 *     "series": [ { "run_id": "R1", "range_points": 1000000,
 *                   "x": [...], "y": [...], "step": [...] } ] }
 * where x/y/step are parallel arrays in ascending x: each bucket's min-value and max-value points plus the
 * range's first and last points (at most 2 × buckets + 2), ready to hand to uPlot as [x, y]. A NaN value
 * (only possible at the kept first or last point) is null, which uPlot draws as a gap; ±Infinity arrive as
 * ±1.7976931348623157e308, as stored. x_min/x_max are null when no run has a point in range.
 */
import type { FastifyInstance } from "fastify";
import type { DownsampleAxis, TrackingStore } from "../tracking/tracking-store.js";
import { objectSchema, required } from "./field-schema.js";
import { str, stringsOf } from "./request-fields.js";
import { int64FromWire } from "./wire.js";

const PREFIXES = ["/api/2.0", "/ajax-api/2.0"] as const;

const DOWNSAMPLED_FIELDS = {
  run_id: required("string[]"),
  metric_key: required("string"),
  buckets: "int64",
  x: { enum: ["step", "wall", "relative"] },
  start_step: "int64",
  end_step: "int64",
} as const;

/** JSON has no NaN; a typed array's NaN becomes null through JSON.stringify of a plain array. */
function toJsonArray(values: Float64Array): number[] {
  return Array.from(values);
}

export function keelMetricsPlugin(app: FastifyInstance, tracking: TrackingStore): void {
  const schema = { querystring: objectSchema(DOWNSAMPLED_FIELDS) };
  for (const prefix of PREFIXES) {
    app.get(`${prefix}/keel/metrics/downsampled`, { schema }, async (request) => {
      const q = request.query as Record<string, unknown>;
      const history = await tracking.downsampleMetricHistory({
        runIds: stringsOf(q.run_id),
        key: str(q, "metric_key"),
        buckets: int64FromWire(q.buckets, "buckets"),
        axis: q.x as DownsampleAxis | undefined,
        startStep: int64FromWire(q.start_step, "start_step"),
        endStep: int64FromWire(q.end_step, "end_step"),
      });
      return {
        metric_key: history.key,
        x_axis: history.axis,
        buckets: history.buckets,
        x_min: Number.isNaN(history.xMin) ? null : history.xMin,
        x_max: Number.isNaN(history.xMax) ? null : history.xMax,
        series: history.series.map((s) => ({
          run_id: s.runId,
          range_points: s.rangePoints,
          x: toJsonArray(s.x),
          y: toJsonArray(s.y),
          step: toJsonArray(s.steps),
        })),
      };
    });
  }
}
