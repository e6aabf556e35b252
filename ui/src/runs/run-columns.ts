/**
 * The columns of the runs table, named as MLflow's search names them: `attributes.start_time`, `params.lr`,
 * `metrics.rmse`, `tags.team`. The chosen list lives in the URL (`cols`), so a view can be shared.
 */
import type { Run } from "../api/mlflow-types";
import { metricNumber } from "../api/mlflow-types";
import { formatDuration, formatNumber, formatTime } from "../format";

export type ColumnKind = "attributes" | "params" | "metrics" | "tags";

export interface Column {
  readonly kind: ColumnKind;
  readonly key: string;
}

export const ATTRIBUTE_COLUMNS: readonly { readonly key: string; readonly label: string; readonly sortable: boolean }[] = [
  { key: "run_name", label: "Run name", sortable: true },
  { key: "status", label: "Status", sortable: true },
  { key: "start_time", label: "Started", sortable: true },
  { key: "duration", label: "Duration", sortable: false },
  { key: "user_id", label: "User", sortable: true },
];

const KINDS: readonly ColumnKind[] = ["attributes", "params", "metrics", "tags"];

export function columnId(column: Column): string {
  return `${column.kind}.${column.key}`;
}

export function parseColumnId(id: string): Column | undefined {
  const dot = id.indexOf(".");
  const kind = id.slice(0, dot) as ColumnKind;
  return dot > 0 && KINDS.includes(kind) ? { kind, key: id.slice(dot + 1) } : undefined;
}

/** `cols` in the URL: column ids, each URI-encoded so that a key may hold a comma. */
export function parseColumns(text: string): Column[] {
  return text
    .split(",")
    .filter(Boolean)
    .map((part) => parseColumnId(decodeURIComponent(part)))
    .filter((c): c is Column => c !== undefined);
}

export function formatColumns(columns: readonly Column[]): string {
  return columns.map((c) => encodeURIComponent(columnId(c))).join(",");
}

export function columnLabel(column: Column): string {
  if (column.kind === "attributes") return ATTRIBUTE_COLUMNS.find((a) => a.key === column.key)?.label ?? column.key;
  return column.key;
}

export function isSortable(column: Column): boolean {
  return column.kind !== "attributes" || ATTRIBUTE_COLUMNS.some((a) => a.key === column.key && a.sortable);
}

/** MLflow's order_by term: `metrics.\`rmse\` DESC`, `attributes.start_time ASC`. */
export function orderByTerm(column: Column, descending: boolean): string {
  const name = column.kind === "attributes" ? `attributes.${column.key}` : `${column.kind}.\`${column.key}\``;
  return `${name} ${descending ? "DESC" : "ASC"}`;
}

/** The keys of params, metrics and tags that the runs shown have, sorted; tags of MLflow's own (mlflow.*) last. */
export function keysOf(runs: readonly Run[]): Record<Exclude<ColumnKind, "attributes">, string[]> {
  const params = new Set<string>();
  const metrics = new Set<string>();
  const tags = new Set<string>();
  for (const run of runs) {
    for (const p of run.data.params ?? []) params.add(p.key);
    for (const m of run.data.metrics ?? []) metrics.add(m.key);
    for (const t of run.data.tags ?? []) tags.add(t.key);
  }
  const byName = (a: string, b: string): number => Number(a.startsWith("mlflow.")) - Number(b.startsWith("mlflow.")) || a.localeCompare(b);
  return { params: [...params].sort(byName), metrics: [...metrics].sort(byName), tags: [...tags].sort(byName) };
}

/** Without `cols` in the URL: every attribute, then up to 8 metrics and 8 params of the runs shown. */
export function defaultColumns(runs: readonly Run[]): Column[] {
  const keys = keysOf(runs);
  return [
    ...ATTRIBUTE_COLUMNS.map((a) => ({ kind: "attributes" as const, key: a.key })),
    ...keys.metrics.slice(0, 8).map((key) => ({ kind: "metrics" as const, key })),
    ...keys.params.slice(0, 8).map((key) => ({ kind: "params" as const, key })),
  ];
}

/** The text of one cell (the run name cell is a link, rendered by the table). */
export function cellText(run: Run, column: Column): string {
  const { info, data } = run;
  switch (column.kind) {
    case "attributes":
      if (column.key === "run_name") return info.run_name ?? info.run_id;
      if (column.key === "status") return info.status;
      if (column.key === "start_time") return formatTime(info.start_time);
      if (column.key === "duration") return formatDuration(info.start_time, info.end_time);
      if (column.key === "user_id") return info.user_id ?? "";
      return "";
    case "params":
      return data.params?.find((p) => p.key === column.key)?.value ?? "";
    case "metrics": {
      const metric = data.metrics?.find((m) => m.key === column.key);
      return metric ? formatNumber(metricNumber(metric.value)) : "";
    }
    case "tags":
      return data.tags?.find((t) => t.key === column.key)?.value ?? "";
  }
}
