/**
 * A run's artifacts as a tree (artifacts/list, one directory at a time as it is opened) beside a preview of
 * the chosen file. An MLmodel file, when the root holds a model directory, is a natural first pick.
 */
import { useState } from "react";
import { apiGet } from "../api/client";
import type { FileInfo } from "../api/mlflow-types";
import { useApi } from "../api/use-api";
import { formatBytes } from "../format";
import { ArtifactPreview } from "./artifact-preview";
import { ErrorBox } from "./status";

interface DirProps {
  readonly runId: string;
  readonly path: string;
  readonly selected?: FileInfo;
  onSelect(file: FileInfo): void;
}

function ArtifactDir({ runId, path, selected, onSelect }: DirProps) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const listing = useApi(
    (signal) => apiGet<{ files?: FileInfo[] }>("/mlflow/artifacts/list", { run_id: runId, ...(path ? { path } : {}) }, signal),
    [runId, path],
  );
  if (listing.state === "loading") return <div className="loading">Loading…</div>;
  if (listing.state === "error") return <ErrorBox error={listing.error} />;
  const files = [...(listing.data.files ?? [])].sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path));
  if (files.length === 0) return path ? <div className="muted">(empty)</div> : <div className="muted">This run has no artifacts.</div>;
  return (
    <ul className="artifact-tree">
      {files.map((file) => {
        const name = file.path.split("/").pop() ?? file.path;
        if (file.is_dir) {
          const isOpen = open.has(file.path);
          return (
            <li key={file.path} data-artifact={file.path}>
              <button
                className="tree-dir"
                aria-expanded={isOpen}
                onClick={() => {
                  const next = new Set(open);
                  if (isOpen) next.delete(file.path);
                  else next.add(file.path);
                  setOpen(next);
                }}
              >
                {isOpen ? "▾" : "▸"} {name}/
              </button>
              {isOpen ? <ArtifactDir runId={runId} path={file.path} selected={selected} onSelect={onSelect} /> : null}
            </li>
          );
        }
        return (
          <li key={file.path} data-artifact={file.path}>
            <button className={`tree-file${selected?.path === file.path ? " chosen" : ""}`} onClick={() => onSelect(file)}>
              {name}
            </button>{" "}
            <span className="muted">{formatBytes(file.file_size)}</span>
          </li>
        );
      })}
    </ul>
  );
}

export function ArtifactBrowser({ runId }: { runId: string }) {
  const [selected, setSelected] = useState<FileInfo | undefined>();
  return (
    <section className="artifacts">
      <h2>Artifacts</h2>
      <div className="artifact-browser">
        <div className="artifact-list">
          <ArtifactDir runId={runId} path="" selected={selected} onSelect={setSelected} />
        </div>
        <div className="artifact-view">{selected ? <ArtifactPreview key={selected.path} runId={runId} file={selected} /> : <div className="muted">Choose a file to preview it.</div>}</div>
      </div>
    </section>
  );
}
