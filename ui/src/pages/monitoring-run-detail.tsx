/** What one monitor run found: drift per column, data-quality issues, and performance against the reference. */
import type { DriftResult, MonitorRun } from "./monitoring-types";
import { formatTime, num, percent } from "./monitoring-types";

function DriftTable({ drift, label }: { drift: DriftResult; label: string }) {
  return (
    <table className="drift" aria-label={label}>
      <thead>
        <tr>
          <th>Column</th>
          <th>Kind</th>
          <th>Test</th>
          <th>Statistic</th>
          <th>p-value</th>
          <th>Threshold</th>
          <th>Verdict</th>
        </tr>
      </thead>
      <tbody>
        {drift.columns.map((c) => (
          <tr key={c.column} data-column={c.column}>
            <td>{c.column}</td>
            <td className="muted">{c.kind}</td>
            <td>{c.stattest}</td>
            <td>{c.statistic === null ? "∞" : num(c.statistic)}</td>
            <td>{num(c.pValue)}</td>
            <td>{num(c.threshold)}</td>
            <td className={c.drifted ? "verdict-drift" : ""}>{c.drifted ? "drift" : "no drift"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MonitoringRunDetail({ run }: { run: MonitorRun }) {
  const { drift, predictionDrift, quality, performance, performanceSkipped, reference } = run.result;
  return (
    <section className="monitor-detail" data-run={run.id}>
      <h2>
        Run #{run.id}: {run.status}
      </h2>
      <div className="muted">
        Window {formatTime(run.windowStart)} – {formatTime(run.windowEnd)}, {run.rows} predictions
        {reference ? `; reference ${reference.table} (${reference.rows} rows${reference.version ? `, version ${reference.version}` : ""})` : ""}.
      </div>
      {run.reasons.length ? (
        <ul>
          {run.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}

      <h2>Input drift</h2>
      {drift ? (
        <>
          <div>
            {drift.driftedColumns} of {drift.columns.length} columns drifted ({percent(drift.share)}; dataset drift at {percent(drift.driftShare)}):{" "}
            <strong className={drift.datasetDrift ? "verdict-drift" : ""}>{drift.datasetDrift ? "dataset drift" : "no dataset drift"}</strong>
          </div>
          <DriftTable drift={drift} label="Drift per column" />
        </>
      ) : (
        <p className="muted">No drift result: the run could not compute its checks.</p>
      )}
      {predictionDrift ? (
        <>
          <h2>Prediction drift</h2>
          <DriftTable drift={predictionDrift} label="Prediction drift" />
        </>
      ) : null}

      <h2>Data quality</h2>
      {quality ? (
        quality.issues.length === 0 ? (
          <p>No data-quality issue.</p>
        ) : (
          <table className="quality">
            <thead>
              <tr>
                <th>Column</th>
                <th>Check</th>
                <th>Issue</th>
              </tr>
            </thead>
            <tbody>
              {quality.issues.map((issue, i) => (
                <tr key={i}>
                  <td>{issue.column ?? <span className="muted">(all)</span>}</td>
                  <td>{issue.check}</td>
                  <td className="reasons">{issue.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : (
        <p className="muted">Data quality is not checked by this monitor.</p>
      )}

      <h2>Performance vs reference</h2>
      {performance ? (
        performance.comparison.length === 0 ? (
          <p className="muted">No reference metrics to compare with; overall: {Object.entries(performance.overall).map(([k, v]) => `${k} ${num(v)}`).join(", ")}.</p>
        ) : (
          <table className="performance">
            <thead>
              <tr>
                <th>Metric</th>
                <th>Reference</th>
                <th>Current</th>
                <th>Change</th>
                <th>Verdict</th>
              </tr>
            </thead>
            <tbody>
              {performance.comparison.map((m) => (
                <tr key={m.metric} data-metric={m.metric}>
                  <td>{m.metric}</td>
                  <td>{num(m.reference)}</td>
                  <td>{num(m.current)}</td>
                  <td>
                    {m.change >= 0 ? "+" : ""}
                    {num(m.change)}
                    {m.relativeChange !== null ? ` (${m.relativeChange >= 0 ? "+" : ""}${(m.relativeChange * 100).toFixed(1)}%)` : ""}
                  </td>
                  <td className={m.degraded ? "degraded" : ""}>{m.degraded ? `degraded (beyond ${percent(performance.tolerance)})` : "ok"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : (
        <p className="muted">{performanceSkipped ? `Performance not judged: ${performanceSkipped}.` : "Performance is not checked by this monitor."}</p>
      )}
    </section>
  );
}
