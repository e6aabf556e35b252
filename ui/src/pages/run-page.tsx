/**
 * One run at `#/experiments/<eid>/runs/<runId>`: overview (status, times, user, source, parent and child runs),
 * charts of its metrics, metrics with their range, params, editable tags, dataset inputs and artifacts.
 */
import { apiGet, apiPost } from "../api/client";
import type { Run, SearchRunsResponse } from "../api/mlflow-types";
import { useApi } from "../api/use-api";
import { ArtifactBrowser } from "../components/artifact-browser";
import { MetricChartPanel } from "../components/metric-chart-panel";
import { RunMetricsTable } from "../components/run-metrics-table";
import { RunTags } from "../components/run-tags";
import { Loaded } from "../components/status";
import { formatDuration, formatTime } from "../format";
import { href } from "../router";
import "./runs.css";

function tagOf(run: Run, key: string): string | undefined {
  return run.data.tags?.find((t) => t.key === key)?.value;
}

function ChildRuns({ run }: { run: Run }) {
  const children = useApi(
    (signal) =>
      apiPost<SearchRunsResponse>(
        "/mlflow/runs/search",
        { experiment_ids: [run.info.experiment_id], filter: `tags.\`mlflow.parentRunId\` = '${run.info.run_id}'`, max_results: 100 },
        signal,
      ),
    [run.info.run_id],
  );
  if (children.state !== "ready" || !children.data.runs?.length) return null;
  return (
    <>
      <dt>Child runs</dt>
      <dd className="child-runs">
        {children.data.runs.map((c, i) => (
          <span key={c.info.run_id}>
            {i > 0 ? ", " : ""}
            <a href={href(["experiments", c.info.experiment_id, "runs", c.info.run_id])}>{c.info.run_name ?? c.info.run_id}</a>
          </span>
        ))}
        {children.data.next_page_token ? <span className="muted"> and more</span> : null}
      </dd>
    </>
  );
}

function Overview({ run }: { run: Run }) {
  const { info } = run;
  const parent = tagOf(run, "mlflow.parentRunId");
  const source = tagOf(run, "mlflow.source.name");
  const commit = tagOf(run, "mlflow.source.git.commit");
  return (
    <dl className="overview">
      <dt>Run ID</dt>
      <dd>
        <code>{info.run_id}</code>
      </dd>
      <dt>Status</dt>
      <dd className={`status-${info.status.toLowerCase()}`}>
        {info.status}
        {info.lifecycle_stage === "deleted" ? <span className="muted"> (deleted)</span> : null}
      </dd>
      <dt>Started</dt>
      <dd>{formatTime(info.start_time)} UTC</dd>
      <dt>Duration</dt>
      <dd>{formatDuration(info.start_time, info.end_time) || (info.status === "RUNNING" ? "still running" : "")}</dd>
      <dt>User</dt>
      <dd>{info.user_id ?? ""}</dd>
      <dt>Source</dt>
      <dd>
        {source ?? <span className="muted">not recorded</span>}
        {tagOf(run, "mlflow.source.type") ? <span className="muted"> ({tagOf(run, "mlflow.source.type")})</span> : null}
        {commit ? <span className="muted"> @ {commit.slice(0, 10)}</span> : null}
      </dd>
      {parent ? (
        <>
          <dt>Parent run</dt>
          <dd>
            <a className="parent-run" href={href(["experiments", info.experiment_id, "runs", parent])}>
              {parent}
            </a>
          </dd>
        </>
      ) : null}
      <ChildRuns run={run} />
      <dt>Artifact URI</dt>
      <dd className="muted">{info.artifact_uri}</dd>
    </dl>
  );
}

function RunDetails({ run, reload }: { run: Run; reload(): void }) {
  const { info, data } = run;
  const params = [...(data.params ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const inputs = run.inputs?.dataset_inputs ?? [];
  const metricKeys = (data.metrics ?? []).map((m) => m.key).sort();
  return (
    <>
      <div className="crumbs">
        <a href={href(["experiments"])}>Experiments</a> / <a href={href(["experiments", info.experiment_id])}>Experiment {info.experiment_id}</a> /
      </div>
      <h1>{info.run_name ?? info.run_id}</h1>
      <Overview run={run} />
      <MetricChartPanel runId={info.run_id} runName={info.run_name ?? info.run_id} metricKeys={metricKeys} />
      <div className="run-columns">
        <section>
          <h2>Metrics</h2>
          <RunMetricsTable runId={info.run_id} metrics={data.metrics ?? []} />
          <h2>Params</h2>
          {params.length === 0 ? (
            <p className="muted">This run logged no params.</p>
          ) : (
            <table className="kv params">
              <tbody>
                {params.map((p) => (
                  <tr key={p.key} data-param={p.key}>
                    <th>{p.key}</th>
                    <td className="wrap">{p.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section>
          <RunTags runId={info.run_id} tags={data.tags ?? []} onChanged={reload} />
          <h2>Datasets</h2>
          {inputs.length === 0 ? (
            <p className="muted">No dataset inputs were logged for this run.</p>
          ) : (
            <table className="kv datasets">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Digest</th>
                  <th>Source</th>
                  <th>Context</th>
                </tr>
              </thead>
              <tbody>
                {inputs.map((d, i) => (
                  <tr key={`${d.dataset.name}-${d.dataset.digest}-${i}`}>
                    <td>{d.dataset.name}</td>
                    <td>
                      <code>{d.dataset.digest}</code>
                    </td>
                    <td className="wrap">
                      {d.dataset.source} <span className="muted">({d.dataset.source_type})</span>
                    </td>
                    <td>{d.tags?.find((t) => t.key === "mlflow.data.context")?.value ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <ArtifactBrowser runId={info.run_id} />
    </>
  );
}

export function RunPage({ runId }: { runId: string }) {
  const run = useApi((signal) => apiGet<{ run: Run }>("/mlflow/runs/get", { run_id: runId }, signal), [runId]);
  return <Loaded value={run} render={({ run: r }) => <RunDetails run={r} reload={run.reload} />} />;
}
