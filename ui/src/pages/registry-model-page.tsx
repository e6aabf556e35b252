/**
 * One registered model: its versions (stage, aliases, source run), the gate reports kept on them, Keel's audit
 * history, and the moves — transition, set or delete an alias, roll back — each confirmed first and answered
 * in words.
 */
import { useState } from "react";
import { apiGet, apiPost } from "../api/client";
import { useApi } from "../api/use-api";
import { Empty, ErrorBox, Loaded } from "../components/status";
import { href } from "../router";
import type { AuditEntry, ModelVersion, RegisteredModel } from "./registry-api";
import { STAGES, apiDelete, formatTime, gateSummaries, quoted } from "./registry-api";
import { RegistryAudit, RegistryGateReports } from "./registry-model-sections";
import "./registry.css";

interface ModelData {
  readonly model: RegisteredModel;
  readonly versions: readonly ModelVersion[];
  readonly audit: readonly AuditEntry[];
  /** Experiment id of each source run that could be read. */
  readonly experiments: Readonly<Record<string, string>>;
}

async function loadModel(name: string, signal: AbortSignal): Promise<ModelData> {
  const [{ registered_model: model }, { model_versions: versions = [] }, { entries: audit = [] }] = await Promise.all([
    apiGet<{ registered_model: RegisteredModel }>("/mlflow/registered-models/get", { name }, signal),
    apiPost<{ model_versions?: ModelVersion[] }>("/mlflow/model-versions/search", { filter: `name = ${quoted(name)}`, max_results: 1000 }, signal),
    apiGet<{ entries?: AuditEntry[] }>("/keel/registered-models/audit", { name, max_results: 200 }, signal),
  ]);
  const runIds = [...new Set(versions.map((v) => v.run_id).filter((id): id is string => Boolean(id)))];
  const experiments: Record<string, string> = {};
  await Promise.all(
    runIds.map(async (runId) => {
      // A deleted run still leaves its versions listed; they just lose the link.
      const run = await apiGet<{ run: { info: { experiment_id: string } } }>("/mlflow/runs/get", { run_id: runId }, signal).catch(() => undefined);
      if (run) experiments[runId] = run.run.info.experiment_id;
    }),
  );
  return { model, versions, audit, experiments };
}

type Outcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: Error };

export function RegistryModelPage({ name }: { name: string }) {
  const data = useApi((signal) => loadModel(name, signal), [name]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  /** Asks `question`; when confirmed, runs `action` and says what happened (or what the server refused). */
  const act = async (question: string, action: () => Promise<string>): Promise<void> => {
    if (!window.confirm(question)) return;
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ ok: true, text: await action() });
    } catch (error) {
      setOutcome({ ok: false, error: error as Error });
    } finally {
      setBusy(false);
      data.reload();
    }
  };

  return (
    <>
      <p className="muted">
        <a href={href(["models"])}>Models</a> /
      </p>
      <h1>{name}</h1>
      {outcome ? outcome.ok ? <div className="result" role="status">{outcome.text}</div> : <ErrorBox error={outcome.error} /> : null}
      <Loaded
        value={data}
        render={(d) => (
          <>
            {d.model.description ? <p>{d.model.description}</p> : null}
            <Versions data={d} busy={busy} act={act} />
            <Aliases data={d} busy={busy} act={act} />
            <RegistryGateReports summaries={d.versions.flatMap(gateSummaries)} />
            <RegistryAudit entries={d.audit} />
          </>
        )}
      />
    </>
  );
}

type Act = (question: string, action: () => Promise<string>) => Promise<void>;

function Versions({ data, busy, act }: { data: ModelData; busy: boolean; act: Act }) {
  const { model, versions, experiments } = data;
  const [targets, setTargets] = useState<Record<string, string>>({});
  const [archive, setArchive] = useState(false);
  const stagesHeld = STAGES.filter((s) => s !== "None" && s !== "Archived" && versions.some((v) => v.current_stage === s));
  const transition = (v: ModelVersion, stage: string): Promise<void> =>
    act(`Move version ${v.version} of ${model.name} from ${v.current_stage} to ${stage}?${archive ? ` Other versions in ${stage} will be archived.` : ""}`, async () => {
      await apiPost("/mlflow/model-versions/transition-stage", { name: model.name, version: v.version, stage, archive_existing_versions: archive });
      return `Version ${v.version} of ${model.name} moved from ${v.current_stage} to ${stage}.`;
    });
  const rollbackStage = (stage: string): Promise<void> =>
    act(`Roll back stage ${stage} of ${model.name} to the version it held before its last move?`, async () => {
      const { model_version: v } = await apiPost<{ model_version: ModelVersion }>("/keel/registered-models/rollback", { name: model.name, stage });
      return `Stage ${stage} of ${model.name} rolled back: version ${v.version} is now in ${v.current_stage}.`;
    });
  return (
    <section className="registry-section">
      <h2>Versions</h2>
      {versions.length === 0 ? (
        <Empty>No version yet: register one from a run's logged model, e.g. `keel models register {model.name} runs:/&lt;run id&gt;/model`.</Empty>
      ) : (
        <>
          <div className="toolbar">
            <label>
              <input type="checkbox" checked={archive} onChange={(e) => setArchive(e.target.checked)} /> Archive the versions already in the target stage
            </label>
            {stagesHeld.map((stage) => (
              <button key={stage} disabled={busy} onClick={() => void rollbackStage(stage)}>
                Roll back {stage}
              </button>
            ))}
          </div>
          <table className="versions">
            <thead>
              <tr>
                <th>Version</th>
                <th>Stage</th>
                <th>Aliases</th>
                <th>Source run</th>
                <th>Created</th>
                <th>Status</th>
                <th>Transition</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => {
                const target = targets[v.version] ?? STAGES.find((s) => s !== v.current_stage) ?? "Staging";
                const experimentId = v.run_id ? experiments[v.run_id] : undefined;
                return (
                  <tr key={v.version} data-version={v.version}>
                    <td>{v.version}</td>
                    <td>
                      <span className={`stage-badge stage-${v.current_stage.toLowerCase()}`}>{v.current_stage}</span>
                    </td>
                    <td>
                      {(v.aliases ?? []).map((a) => (
                        <span key={a} className="alias-badge">
                          @{a}
                        </span>
                      ))}
                    </td>
                    <td>
                      {v.run_id && experimentId ? (
                        <a href={href(["experiments", experimentId, "runs", v.run_id])} title={v.source}>
                          {v.run_id.slice(0, 8)}
                        </a>
                      ) : (
                        <span className="muted">{v.source}</span>
                      )}
                    </td>
                    <td className="muted">{formatTime(v.creation_timestamp)}</td>
                    <td>{v.status}</td>
                    <td className="registry-actions">
                      <select aria-label={`Stage for version ${v.version}`} value={target} onChange={(e) => setTargets({ ...targets, [v.version]: e.target.value })}>
                        {STAGES.filter((s) => s !== v.current_stage).map((s) => (
                          <option key={s}>{s}</option>
                        ))}
                      </select>
                      <button disabled={busy} onClick={() => void transition(v, target)}>
                        Transition
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Aliases({ data, busy, act }: { data: ModelData; busy: boolean; act: Act }) {
  const { model, versions } = data;
  const [alias, setAlias] = useState("");
  const [version, setVersion] = useState("");
  const chosen = version || versions[0]?.version || "";
  const aliases = model.aliases ?? [];
  const setAliasTo = (): Promise<void> =>
    act(`Point alias @${alias.trim()} of ${model.name} at version ${chosen}?`, async () => {
      await apiPost("/mlflow/registered-models/alias", { name: model.name, alias: alias.trim(), version: chosen });
      setAlias("");
      return `Alias @${alias.trim()} of ${model.name} now points at version ${chosen}.`;
    });
  return (
    <section className="registry-section">
      <h2>Aliases</h2>
      {aliases.length === 0 ? (
        <p className="muted">No alias yet. Serve a model by alias (`models:/{model.name}@champion`) so that moving the alias swaps the model.</p>
      ) : (
        <table className="aliases">
          <thead>
            <tr>
              <th>Alias</th>
              <th>Version</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {aliases.map((a) => (
              <tr key={a.alias} data-alias={a.alias}>
                <td>@{a.alias}</td>
                <td>{a.version}</td>
                <td className="registry-actions">
                  <button
                    disabled={busy}
                    onClick={() =>
                      void act(`Roll back alias @${a.alias} of ${model.name} to the version it pointed at before its last move?`, async () => {
                        const { model_version: v } = await apiPost<{ model_version: ModelVersion }>("/keel/registered-models/rollback", { name: model.name, alias: a.alias });
                        return `Alias @${a.alias} of ${model.name} rolled back to version ${v.version}.`;
                      })
                    }
                  >
                    Roll back
                  </button>
                  <button
                    className="danger"
                    disabled={busy}
                    onClick={() =>
                      void act(`Delete alias @${a.alias} of ${model.name} (now version ${a.version})?`, async () => {
                        await apiDelete("/mlflow/registered-models/alias", { name: model.name, alias: a.alias });
                        return `Alias @${a.alias} of ${model.name} deleted.`;
                      })
                    }
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {versions.length > 0 ? (
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            if (alias.trim()) void setAliasTo();
          }}
        >
          <input type="text" placeholder="Alias, e.g. champion" aria-label="Alias" value={alias} onChange={(e) => setAlias(e.target.value)} />
          <select aria-label="Alias version" value={chosen} onChange={(e) => setVersion(e.target.value)}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                version {v.version}
              </option>
            ))}
          </select>
          <button className="primary" type="submit" disabled={busy || !alias.trim()}>
            Set alias
          </button>
        </form>
      ) : null}
    </section>
  );
}
