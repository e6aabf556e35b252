/** A drop-down of checkboxes choosing the runs table's columns: attributes, params, metrics and tags. */
import type { Column, ColumnKind } from "../runs/run-columns";
import { ATTRIBUTE_COLUMNS, columnId } from "../runs/run-columns";

export interface ColumnPickerProps {
  readonly chosen: readonly Column[];
  readonly available: Readonly<Record<Exclude<ColumnKind, "attributes">, readonly string[]>>;
  onChange(columns: Column[]): void;
}

const GROUPS: readonly { kind: Exclude<ColumnKind, "attributes">; title: string }[] = [
  { kind: "params", title: "Params" },
  { kind: "metrics", title: "Metrics" },
  { kind: "tags", title: "Tags" },
];

export function ColumnPicker({ chosen, available, onChange }: ColumnPickerProps) {
  const ids = new Set(chosen.map(columnId));
  const toggle = (column: Column): void => {
    const id = columnId(column);
    onChange(ids.has(id) ? chosen.filter((c) => columnId(c) !== id) : [...chosen, column]);
  };
  const box = (column: Column, label: string) => (
    <label key={columnId(column)} className="picker-option">
      <input type="checkbox" checked={ids.has(columnId(column))} onChange={() => toggle(column)} /> {label}
    </label>
  );
  return (
    <details className="column-picker">
      <summary>Columns ({chosen.length})</summary>
      <div className="picker-panel" role="group" aria-label="Columns">
        <fieldset>
          <legend>Attributes</legend>
          {ATTRIBUTE_COLUMNS.map((a) => box({ kind: "attributes", key: a.key }, a.label))}
        </fieldset>
        {GROUPS.map(({ kind, title }) => {
          // Keys chosen earlier stay offered even when no run on this page has them.
          const keys = [...new Set([...available[kind], ...chosen.filter((c) => c.kind === kind).map((c) => c.key)])];
          return (
            <fieldset key={kind}>
              <legend>{title}</legend>
              {keys.length === 0 ? <span className="muted">none on this page</span> : keys.map((key) => box({ kind, key }, key))}
            </fieldset>
          );
        })}
      </div>
    </details>
  );
}
