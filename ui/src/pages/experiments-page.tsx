/**
 * Experiments: the list (search by name, create, rename, delete and restore), and each experiment's runs.
 */
import { useState } from "react";
import { apiPost } from "../api/client";
import { useAction } from "../api/use-action";
import { useApi } from "../api/use-api";
import { Empty, ErrorBox, Loaded } from "../components/status";
import type { Location } from "../router";
import { href, navigate } from "../router";
import { RunPage } from "./run-page";
import { RunsTablePage } from "./runs-table-page";

export interface Experiment {
  readonly experiment_id: string;
  readonly name: string;
  readonly lifecycle_stage: string;
  readonly creation_time?: number;
  readonly last_update_time?: number;
}

function quoted(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

function ExperimentList({ location }: { location: Location }) {
  const search = location.query.get("search") ?? "";
  const view = location.query.get("view") ?? "active";
  const [draft, setDraft] = useState(search);
  const [newName, setNewName] = useState("");
  const experiments = useApi(
    (signal) =>
      apiPost<{ experiments?: Experiment[] }>(
        "/mlflow/experiments/search",
        {
          max_results: 1000,
          view_type: view === "deleted" ? "DELETED_ONLY" : view === "all" ? "ALL" : "ACTIVE_ONLY",
          ...(search ? { filter: `name LIKE ${quoted(`%${search}%`)}` } : {}),
        },
        signal,
      ),
    [search, view],
  );
  const { error: actionError, run: act } = useAction(() => experiments.reload());
  return (
    <>
      <h1>Experiments</h1>
      <div className="toolbar">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            navigate(href(["experiments"], { search: draft, view }));
          }}
        >
          <input type="search" placeholder="Search by name" aria-label="Search experiments" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </form>
        <select aria-label="Show" value={view} onChange={(e) => navigate(href(["experiments"], { search, view: e.target.value }))}>
          <option value="active">Active</option>
          <option value="deleted">Deleted</option>
          <option value="all">All</option>
        </select>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const name = newName.trim();
            if (name) void act(() => apiPost("/mlflow/experiments/create", { name })).then(() => setNewName(""));
          }}
        >
          <input type="text" placeholder="New experiment name" aria-label="New experiment name" value={newName} onChange={(e) => setNewName(e.target.value)} />
          <button className="primary" type="submit" disabled={!newName.trim()}>
            Create
          </button>
        </form>
      </div>
      {actionError ? <ErrorBox error={actionError} /> : null}
      <Loaded
        value={experiments}
        render={({ experiments: list = [] }) =>
          list.length === 0 ? (
            <Empty>{search ? `No experiment's name contains “${search}”.` : view === "deleted" ? "No experiment is deleted." : "No experiment yet: create one above, or log a run from a client."}</Empty>
          ) : (
            <table className="experiments">
              <thead>
                <tr>
                  <th>ID</th>
                  <th>Name</th>
                  <th>Created</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((e) => (
                  <tr key={e.experiment_id} data-experiment-id={e.experiment_id}>
                    <td>{e.experiment_id}</td>
                    <td>
                      <a href={href(["experiments", e.experiment_id])}>{e.name}</a>
                      {e.lifecycle_stage === "deleted" ? <span className="muted"> (deleted)</span> : null}
                    </td>
                    <td className="muted">{e.creation_time ? new Date(e.creation_time).toISOString().replace("T", " ").slice(0, 19) : ""}</td>
                    <td>
                      <button
                        onClick={() => {
                          const name = window.prompt(`Rename experiment “${e.name}” to:`, e.name);
                          if (name && name !== e.name) void act(() => apiPost("/mlflow/experiments/update", { experiment_id: e.experiment_id, new_name: name }));
                        }}
                      >
                        Rename
                      </button>{" "}
                      {e.lifecycle_stage === "deleted" ? (
                        <button onClick={() => void act(() => apiPost("/mlflow/experiments/restore", { experiment_id: e.experiment_id }))}>Restore</button>
                      ) : (
                        <button
                          className="danger"
                          onClick={() => {
                            if (window.confirm(`Delete experiment “${e.name}”? It can be restored later.`)) void act(() => apiPost("/mlflow/experiments/delete", { experiment_id: e.experiment_id }));
                          }}
                        >
                          Delete
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      />
    </>
  );
}

export function ExperimentsPage({ location }: { location: Location }) {
  const [, experimentId, runs, runId] = location.segments;
  if (experimentId === undefined) return <ExperimentList location={location} />;
  if (runs === "runs" && runId) return <RunPage key={runId} runId={runId} />;
  return <RunsTablePage location={location} experimentIds={[experimentId]} base={["experiments", experimentId]} />;
}
