/** The registered models: search by name, each with its latest version per stage and its aliases. */
import { useState } from "react";
import { apiPost } from "../api/client";
import { useApi } from "../api/use-api";
import { Empty, Loaded } from "../components/status";
import type { Location } from "../router";
import { href, navigate } from "../router";
import type { RegisteredModel } from "./registry-api";
import { formatTime, quoted } from "./registry-api";
import "./registry.css";

export function RegistryModelsPage({ location }: { location: Location }) {
  const search = location.query.get("search") ?? "";
  const [draft, setDraft] = useState(search);
  const models = useApi(
    (signal) =>
      apiPost<{ registered_models?: RegisteredModel[] }>(
        "/mlflow/registered-models/search",
        { max_results: 1000, ...(search ? { filter: `name LIKE ${quoted(`%${search}%`)}` } : {}) },
        signal,
      ),
    [search],
  );
  return (
    <>
      <h1>Models</h1>
      <div className="toolbar">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            navigate(href(["models"], { search: draft }));
          }}
        >
          <input type="search" placeholder="Search by name" aria-label="Search models" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </form>
      </div>
      <Loaded
        value={models}
        render={({ registered_models: list = [] }) =>
          list.length === 0 ? (
            <Empty>
              {search ? `No model's name contains “${search}”.` : "No registered model yet: register one with `run.logModel(..., { registeredModelName })` or `keel models register`."}
            </Empty>
          ) : (
            <table className="models">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Latest versions</th>
                  <th>Aliases</th>
                  <th>Last updated</th>
                </tr>
              </thead>
              <tbody>
                {list.map((m) => (
                  <tr key={m.name}>
                    <td>
                      <a href={href(["models", m.name])}>{m.name}</a>
                    </td>
                    <td>
                      {(m.latest_versions ?? []).map((v) => (
                        <span key={v.version} className={`stage-badge stage-${v.current_stage.toLowerCase()}`}>
                          v{v.version} {v.current_stage}
                        </span>
                      ))}
                    </td>
                    <td>
                      {(m.aliases ?? []).map((a) => (
                        <span key={a.alias} className="alias-badge">
                          @{a.alias} → v{a.version}
                        </span>
                      ))}
                    </td>
                    <td className="muted">{formatTime(m.last_updated_timestamp)}</td>
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
