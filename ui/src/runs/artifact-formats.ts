/** Reading artifact files for preview: which kind a path is, CSV rows, and an MLmodel file's signature. */

export type PreviewKind = "mlmodel" | "image" | "html" | "json" | "csv" | "text" | "binary";

const IMAGE = /\.(png|jpe?g|gif|svg|webp|bmp)$/i;
const TEXT = /\.(txt|log|md|py|ya?ml|toml|ini|cfg|sh|ts|js|sql|r|xml|conf|env|requirements|lock)$/i;

export function previewKind(path: string): PreviewKind {
  const name = path.split("/").pop() ?? path;
  if (name === "MLmodel") return "mlmodel";
  if (IMAGE.test(name)) return "image";
  if (/\.html?$/i.test(name)) return "html";
  if (/\.json$/i.test(name)) return "json";
  if (/\.(csv|tsv)$/i.test(name)) return "csv";
  if (TEXT.test(name) || !name.includes(".")) return "text";
  return "binary";
}

/** RFC 4180 rows (quoted fields, doubled quotes, newlines inside quotes), stopping after `limit` rows. */
export function parseCsv(text: string, limit: number, separator = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < limit; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === separator) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if ((field !== "" || row.length > 0) && rows.length < limit) rows.push([...row, field]);
  return rows;
}

export interface SignatureColumn {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
}

export interface MlmodelSignature {
  readonly inputs: readonly SignatureColumn[];
  readonly outputs: readonly SignatureColumn[];
}

/**
 * The `signature:` block of an MLmodel file, as PyYAML writes it: `inputs` and `outputs` are JSON strings in
 * single quotes, folded over several lines. Only that much YAML is read; the file itself is shown as text.
 */
export function mlmodelSignature(yaml: string): MlmodelSignature | undefined {
  const lines = yaml.split(/\r?\n/);
  const start = lines.findIndex((l) => /^signature:\s*$/.test(l));
  if (start < 0) return undefined;
  const fields = new Map<string, string>();
  let current: string | undefined;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const key = /^ {2}(\w+):\s?(.*)$/.exec(line);
    if (key) {
      current = key[1];
      fields.set(current, key[2]);
    } else if (current) fields.set(current, `${fields.get(current) ?? ""} ${line.trim()}`);
  }
  const columns = (raw: string | undefined): SignatureColumn[] => {
    if (!raw || raw === "null") return [];
    const text = raw.trim().startsWith("'") ? raw.trim().slice(1, -1).replaceAll("''", "'") : raw.trim();
    try {
      const specs = JSON.parse(text) as { name?: string; type?: string; required?: boolean; "tensor-spec"?: { dtype: string; shape: number[] } }[];
      return specs.map((s, i) => ({
        name: s.name ?? `#${i}`,
        type: s["tensor-spec"] ? `tensor ${s["tensor-spec"].dtype} [${s["tensor-spec"].shape.join(", ")}]` : (s.type ?? "?"),
        required: s.required ?? true,
      }));
    } catch {
      return [];
    }
  };
  return { inputs: columns(fields.get("inputs")), outputs: columns(fields.get("outputs")) };
}
