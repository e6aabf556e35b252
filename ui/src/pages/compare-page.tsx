/**
 * Runs side by side at `#/compare?runs=id1,id2,...`: params and latest metrics with the differing rows
 * highlighted, the metrics' curves overlaid, a scatter of any two columns and parallel coordinates.
 */
import { useState } from "react";
import { apiGet } from "../api/client";
import { useApi } from "../api/use-api";
import { MetricChart } from "../components/metric-chart";
import { Empty, Loaded } from "../components/status";
import type { Location } from "../router";
import { href } from "../router";
import type { CompareRun } from "./compare-data";
import { metricKeys, metricValue, numericColumns, paramKeys, paramValue, runColor, runLabel, shortNumber } from "./compare-data";
import { CompareParallel } from "./compare-parallel";
import { CompareScatter } from "./compare-scatter";
import "./compare.css";

function loadRuns(ids: readonly string[], signal: AbortSignal): Promise<CompareRun[]> {
  return Promise.all(ids.map(async (id) => (await apiGet<{ run: CompareRun }>("/mlflow/runs/get", { run_id: id }, signal)).run));
}

interface SideBySideProps {
  readonly runs: readonly CompareRun[];
  readonly title: string;
  readonly keys: readonly string[];
  /** The exact value, compared across runs to find the rows that differ. */
  readonly value: (run: CompareRun, key: string) => string | undefined;
  readonly format?: (value: string) => string;
}

function SideBySide({ runs, title, keys, value, format = (v) => v }: SideBySideProps) {
  if (keys.length === 0) return <p className="muted">No run logged any {title.toLowerCase()}.</p>;
  return (
    <table className={`compare compare-${title.toLowerCase()}`}>
      <thead>
        <tr>
          <th>{title === "Params" ? "Param" : "Metric"}</th>
          {runs.map((r) => (
            <th key={r.info.run_id}>{runLabel(r)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const values = runs.map((r) => value(r, key));
          const differs = new Set(values).size > 1;
          return (
            <tr key={key} data-key={key} className={differs ? "diff" : ""}>
              <td>{key}</td>
              {values.map((v, i) => (
                <td key={runs[i].info.run_id} className={v === undefined ? "missing" : ""}>
                  {v === undefined ? "—" : format(v)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Curves({ runs }: { runs: readonly CompareRun[] }) {
  const keys = metricKeys(runs);
  // A metric logged over steps makes a curve; a final score is one point, so it is not the default.
  const stepped = keys.find((k) => runs.some((r) => (r.data.metrics?.find((m) => m.key === k)?.step ?? 0) > 0));
  const [key, setKey] = useState(stepped ?? keys[0] ?? "");
  const [smoothing, setSmoothing] = useState(0);
  const [logScale, setLogScale] = useState(false);
  if (keys.length === 0) return null;
  const chosen = keys.includes(key) ? key : keys[0];
  const series = runs.filter((r) => metricValue(r, chosen) !== undefined).map((r) => ({ runId: r.info.run_id, runName: runLabel(r), metricKey: chosen }));
  return (
    <section>
      <h2>Metric curves</h2>
      <div className="toolbar">
        <label>
          Metric{" "}
          <select aria-label="Curve metric" value={chosen} onChange={(e) => setKey(e.target.value)}>
            {keys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Smoothing <input type="range" aria-label="Smoothing" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} />
        </label>
        <label>
          <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> Log scale
        </label>
      </div>
      <MetricChart series={series} smoothing={smoothing} logScale={logScale} />
    </section>
  );
}

export function ComparePage({ location }: { location: Location }) {
  const ids = (location.query.get("runs") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const key = ids.join(",");
  const runs = useApi((signal) => loadRuns(ids, signal), [key]);
  if (ids.length === 0) {
    return <Empty>No runs to compare: select runs in an experiment's runs table and press Compare, or open #/compare?runs=RUN_ID,RUN_ID.</Empty>;
  }
  return (
    <>
      <h1>Comparing {ids.length} runs</h1>
      <Loaded
        value={runs}
        render={(list) => {
          const plotted = numericColumns(list);
          return (
            <>
              <p>
                {list.map((r, i) => (
                  <span key={r.info.run_id} className="compare-run">
                    <span className="run-swatch" style={{ background: runColor(i) }} />
                    <a href={href(["experiments", r.info.experiment_id, "runs", r.info.run_id])}>{runLabel(r)}</a>{" "}
                  </span>
                ))}
              </p>
              <h2>Params</h2>
              <SideBySide runs={list} title="Params" keys={paramKeys(list)} value={paramValue} />
              <h2>Metrics (latest values)</h2>
              <SideBySide
                runs={list}
                title="Metrics"
                keys={metricKeys(list)}
                value={(r, k) => {
                  const v = metricValue(r, k);
                  return v === undefined ? undefined : String(v);
                }}
                format={(v) => shortNumber(Number(v))}
              />
              <Curves runs={list} />
              <div className="compare-plots">
                <section>
                  <h2>Scatter</h2>
                  <CompareScatter runs={list} columns={plotted} />
                </section>
                <section>
                  <h2>Parallel coordinates</h2>
                  <CompareParallel runs={list} columns={plotted} />
                </section>
              </div>
            </>
          );
        }}
      />
    </>
  );
}
