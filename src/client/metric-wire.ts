import { metricValueFromWireOrUndefined, metricValueToWire } from "../core/metric-wire.js";
import type { Metric, Run } from "./wire-types.js";

/** How a metric travels in JSON: protobuf's JSON mapping writes non-finite doubles as strings. */
export interface WireMetric {
  readonly key: string;
  readonly value: number | string;
  readonly timestamp: number;
  readonly step: number;
}

export { metricValueToWire };

/** Reads a metric value as a number, whichever way the server wrote it. */
export function metricValueFromWire(value: unknown): number {
  return metricValueFromWireOrUndefined(value) ?? (value === null ? NaN : Number(value));
}

export function metricToWire(metric: Metric): WireMetric {
  return { key: metric.key, value: metricValueToWire(metric.value), timestamp: metric.timestamp, step: metric.step ?? 0 };
}

export function metricFromWire(metric: { key: string; value: unknown; timestamp?: unknown; step?: unknown }): Metric {
  return {
    key: metric.key,
    value: metricValueFromWire(metric.value),
    timestamp: Number(metric.timestamp ?? 0),
    step: Number(metric.step ?? 0),
  };
}

/** A run as received, with its metric values made numbers and its optional lists filled in. */
export function runFromWire(run: Run): Run {
  return {
    ...run,
    data: {
      metrics: (run.data?.metrics ?? []).map(metricFromWire),
      params: run.data?.params ?? [],
      tags: run.data?.tags ?? [],
    },
    inputs: { dataset_inputs: run.inputs?.dataset_inputs ?? [] },
  };
}
