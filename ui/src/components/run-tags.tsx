/** A run's tags, editable: set-tag to add or change one, delete-tag to remove it. MLflow's own tags are read-only. */
import { useState } from "react";
import { apiPost } from "../api/client";
import { useAction } from "../api/use-action";
import type { KeyValue } from "../api/mlflow-types";
import { ErrorBox } from "./status";

export interface RunTagsProps {
  readonly runId: string;
  readonly tags: readonly KeyValue[];
  /** Called after a change, to reload the run. */
  onChanged(): void;
}

export function RunTags({ runId, tags, onChanged }: RunTagsProps) {
  const [editing, setEditing] = useState<{ key: string; value: string } | null>(null);
  const [newKey, setNewKey] = useState("");
  const [newValue, setNewValue] = useState("");
  const user = tags.filter((t) => !t.key.startsWith("mlflow."));
  const system = tags.filter((t) => t.key.startsWith("mlflow."));
  const action = useAction(onChanged);
  const error = action.error;
  const act = (path: string, body: object): Promise<boolean> => action.run(() => apiPost(path, { run_id: runId, ...body }));
  return (
    <section className="run-tags">
      <h2>Tags</h2>
      {error ? <ErrorBox error={error} /> : null}
      <table className="kv tags">
        <tbody>
          {user.length === 0 ? (
            <tr>
              <td className="muted" colSpan={3}>
                No tags of your own yet; add one below.
              </td>
            </tr>
          ) : null}
          {user.map((t) => (
            <tr key={t.key} data-tag={t.key}>
              <th>{t.key}</th>
              <td>
                {editing?.key === t.key ? (
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      void act("/mlflow/runs/set-tag", { key: t.key, value: editing.value }).then((ok) => ok && setEditing(null));
                    }}
                  >
                    <input type="text" aria-label={`Value of tag ${t.key}`} value={editing.value} autoFocus onChange={(e) => setEditing({ key: t.key, value: e.target.value })} />{" "}
                    <button className="primary" type="submit">
                      Save
                    </button>{" "}
                    <button type="button" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </form>
                ) : (
                  <span className="tag-value">{t.value}</span>
                )}
              </td>
              <td>
                <button onClick={() => setEditing({ key: t.key, value: t.value })}>Edit</button>{" "}
                <button
                  className="danger"
                  onClick={() => {
                    if (window.confirm(`Delete tag “${t.key}”?`)) void act("/mlflow/runs/delete-tag", { key: t.key });
                  }}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const key = newKey.trim();
          if (key)
            void act("/mlflow/runs/set-tag", { key, value: newValue }).then((ok) => {
              if (ok) {
                setNewKey("");
                setNewValue("");
              }
            });
        }}
      >
        <input type="text" placeholder="Tag key" aria-label="New tag key" value={newKey} onChange={(e) => setNewKey(e.target.value)} />
        <input type="text" placeholder="Value" aria-label="New tag value" value={newValue} onChange={(e) => setNewValue(e.target.value)} />
        <button type="submit" disabled={!newKey.trim()}>
          Add tag
        </button>
      </form>
      {system.length > 0 ? (
        <details>
          <summary className="muted">{system.length} tags set by MLflow or Keel (mlflow.*)</summary>
          <table className="kv">
            <tbody>
              {system.map((t) => (
                <tr key={t.key}>
                  <th>{t.key}</th>
                  <td className="wrap">{t.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
}
