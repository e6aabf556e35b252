/**
 * A run's metrics: the latest value with its step, and the minimum and maximum over the whole history. The
 * extremes come from the downsampled endpoint with one bucket, which keeps exactly the min and max points (and
 * the first and last), so a million-step history costs four points.
 */
import { apiGet } from "../api/client";
import type { DownsampledResponse, WireMetric } from "../api/mlflow-types";
import { metricNumber } from "../api/mlflow-types";
import { useApi } from "../api/use-api";
import { formatNumber } from "../format";

async function extremes(runId: string, keys: readonly string[], signal: AbortSignal): Promise<Map<string, { min: number; max: number }>> {
  const answers = await Promise.all(
    keys.map((key) => apiGet<DownsampledResponse>("/keel/metrics/downsampled", { run_id: runId, metric_key: key, buckets: 1 }, signal)),
  );
  const out = new Map<string, { min: number; max: number }>();
  answers.forEach((answer, i) => {
    const ys = (answer.series[0]?.y ?? []).filter((v): v is number => v !== null);
    if (ys.length) out.set(keys[i], { min: Math.min(...ys), max: Math.max(...ys) });
  });
  return out;
}

export function RunMetricsTable({ runId, metrics }: { runId: string; metrics: readonly WireMetric[] }) {
  const sorted = [...metrics].sort((a, b) => a.key.localeCompare(b.key));
  const keys = sorted.map((m) => m.key);
  const ranges = useApi((signal) => (keys.length ? extremes(runId, keys, signal) : Promise.resolve(new Map<string, { min: number; max: number }>())), [runId, keys.join("\n")]);
  if (sorted.length === 0) return <p className="muted">This run logged no metrics.</p>;
  const range = (key: string, which: "min" | "max"): string => {
    if (ranges.state === "loading") return "…";
    if (ranges.state === "error") return "?";
    const r = ranges.data.get(key);
    return r ? formatNumber(r[which]) : "";
  };
  return (
    <table className="kv metrics">
      <thead>
        <tr>
          <th>Metric</th>
          <th>Latest</th>
          <th>Step</th>
          <th>Min</th>
          <th>Max</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((m) => (
          <tr key={m.key} data-metric={m.key}>
            <th>{m.key}</th>
            <td className="num">{formatNumber(metricNumber(m.value))}</td>
            <td className="num muted">{m.step}</td>
            <td className="num">{range(m.key, "min")}</td>
            <td className="num">{range(m.key, "max")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
