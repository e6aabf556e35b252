/** The read-only parts of a model page: the gate reports kept on its versions, and its audit history. */
import type { AuditEntry, GateSummary } from "./registry-api";
import { formatTime } from "./registry-api";

function actual(value: number | string | null): string {
  if (value === null) return "—";
  return typeof value === "number" ? String(Number(value.toPrecision(6))) : value;
}

export function RegistryGateReports({ summaries }: { summaries: readonly GateSummary[] }) {
  return (
    <section className="registry-section">
      <h2>Gate reports</h2>
      {summaries.length === 0 ? (
        <p className="muted">No gate report stored: `keel models promote NAME VERSION --alias champion --policy gates.yaml` keeps one on the version it evaluates.</p>
      ) : (
        summaries.map((s) => (
          <div key={`${s.version}:${s.target}`} className="gate-report" data-version={s.version}>
            <div>
              Version {s.version} for {s.target}: <span className={s.verdict === "APPROVED" ? "verdict-pass" : "verdict-fail"}>{s.verdict}</span>
            </div>
            <table className="gates">
              <thead>
                <tr>
                  <th>Check</th>
                  <th>Status</th>
                  <th>Actual</th>
                  <th>Message</th>
                </tr>
              </thead>
              <tbody>
                {s.checks.map((c) => (
                  <tr key={c.check}>
                    <td>{c.check}</td>
                    <td className={`check-${c.status}`}>{c.status}</td>
                    <td>{actual(c.actual)}</td>
                    <td className="message">{c.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {s.omitted > 0 ? <p className="muted">{s.omitted} more checks are in the full report, an artifact of the version's run under gates/.</p> : null}
          </div>
        ))
      )}
    </section>
  );
}

/** A value as the history shows it: a gate report's JSON tag would otherwise stretch the table. */
function clip(value: string | undefined): string {
  if (value === undefined) return "—";
  return value.length > 60 ? `${value.slice(0, 59)}…` : value;
}

function change(e: AuditEntry): string {
  if (e.from === undefined && e.to === undefined) return "";
  return `${clip(e.from)} → ${clip(e.to)}`;
}

export function RegistryAudit({ entries }: { entries: readonly AuditEntry[] }) {
  return (
    <section className="registry-section">
      <h2>Audit history</h2>
      {entries.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <table className="audit">
          <thead>
            <tr>
              <th>#</th>
              <th>Time</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Version</th>
              <th>Field</th>
              <th>Change</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{e.id}</td>
                <td className="muted">{formatTime(e.timestamp)}</td>
                <td>{e.actor}</td>
                <td>
                  {e.action}
                  {e.reverts !== undefined ? <span className="muted"> (undoes #{e.reverts})</span> : null}
                </td>
                <td>{e.version ?? ""}</td>
                <td>{e.target ?? ""}</td>
                <td title={e.from !== undefined || e.to !== undefined ? `${e.from ?? "—"} → ${e.to ?? "—"}` : undefined}>{change(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
