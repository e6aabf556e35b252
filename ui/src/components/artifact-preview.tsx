/**
 * A preview of one artifact file: text, pretty JSON, the first 100 rows of a CSV as a table, an image, an HTML
 * report in a srcdoc frame with every sandbox restriction (`sandbox=""`: no scripts, an opaque origin), and an MLmodel
 * file with its signature as tables. Files over 2 MB are offered for download only.
 */
import { artifactUrl } from "../api/client";
import type { FileInfo } from "../api/mlflow-types";
import { useApi } from "../api/use-api";
import { formatBytes } from "../format";
import type { SignatureColumn } from "../runs/artifact-formats";
import { mlmodelSignature, parseCsv, previewKind } from "../runs/artifact-formats";
import { ErrorBox } from "./status";

const MAX_PREVIEW_BYTES = 2 * 1024 * 1024;
const CSV_ROWS = 100;

async function fetchText(url: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`the server answered ${response.status} for this file`);
  return response.text();
}

function SignatureTable({ title, columns }: { title: string; columns: readonly SignatureColumn[] }) {
  return (
    <>
      <h3>{title}</h3>
      {columns.length === 0 ? (
        <p className="muted">None declared.</p>
      ) : (
        <table className={`kv signature-${title.toLowerCase()}`}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Required</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.type}</td>
                <td>{c.required ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function TextPreview({ runId, file }: { runId: string; file: FileInfo }) {
  const kind = previewKind(file.path);
  const text = useApi((signal) => fetchText(artifactUrl(runId, file.path), signal), [runId, file.path]);
  if (text.state === "loading") return <div className="loading">Loading…</div>;
  if (text.state === "error") return <ErrorBox error={text.error} />;
  const content = text.data;
  if (kind === "html") {
    // The server sends HTML artifacts as text/plain (a report must not run as the UI's origin), so the frame
    // gets the markup as srcdoc, with every sandbox restriction on: no scripts, no forms, an opaque origin.
    return <iframe className="preview-html" title={`HTML report ${file.path}`} sandbox="" srcDoc={content} />;
  }
  if (/\.svg$/i.test(file.path)) {
    // An SVG inside an <img> runs no script; the server sends it as text, so it arrives as a data URL.
    return <img className="preview-image" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(content)}`} alt={file.path} />;
  }
  if (kind === "json") {
    let pretty = content;
    try {
      pretty = JSON.stringify(JSON.parse(content), null, 2);
    } catch {
      return (
        <>
          <p className="muted">Not valid JSON; shown as text.</p>
          <pre className="preview-text">{content}</pre>
        </>
      );
    }
    return <pre className="preview-text preview-json">{pretty}</pre>;
  }
  if (kind === "csv") {
    const rows = parseCsv(content, CSV_ROWS + 1, file.path.toLowerCase().endsWith(".tsv") ? "\t" : ",");
    const [header = [], ...body] = rows;
    return (
      <div className="table-scroll">
        <table className="preview-csv">
          <thead>
            <tr>
              {header.map((h, i) => (
                <th key={i}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {body.map((r, i) => (
              <tr key={i}>
                {r.map((v, j) => (
                  <td key={j}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">{body.length === CSV_ROWS ? `The first ${CSV_ROWS} rows; download the file for the rest.` : `${body.length} rows.`}</p>
      </div>
    );
  }
  if (kind === "mlmodel") {
    const signature = mlmodelSignature(content);
    return (
      <div className="preview-mlmodel">
        {signature ? (
          <>
            <SignatureTable title="Inputs" columns={signature.inputs} />
            <SignatureTable title="Outputs" columns={signature.outputs} />
          </>
        ) : (
          <p className="muted">This model declares no signature.</p>
        )}
        <h3>MLmodel</h3>
        <pre className="preview-text">{content}</pre>
      </div>
    );
  }
  return <pre className="preview-text">{content}</pre>;
}

export function ArtifactPreview({ runId, file }: { runId: string; file: FileInfo }) {
  const url = artifactUrl(runId, file.path);
  const kind = previewKind(file.path);
  const tooLarge = (file.file_size ?? 0) > MAX_PREVIEW_BYTES;
  return (
    <div className="artifact-preview" data-preview-kind={kind}>
      <div className="preview-head">
        <strong>{file.path}</strong> <span className="muted">{formatBytes(file.file_size)}</span>{" "}
        <a href={url} download={file.path.split("/").pop()}>
          Download
        </a>
      </div>
      {kind === "image" && !/\.svg$/i.test(file.path) ? (
        <img className="preview-image" src={url} alt={file.path} />
      ) : kind === "binary" ? (
        <p className="muted">No preview for this kind of file; download it instead.</p>
      ) : tooLarge ? (
        <p className="muted">Too large to preview ({formatBytes(file.file_size)}); download it instead.</p>
      ) : (
        <TextPreview runId={runId} file={file} />
      )}
    </div>
  );
}
