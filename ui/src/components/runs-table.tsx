/** One page of runs as a table: a checkbox per run, sortable headers, the run name linking to its page. */
import type { Run } from "../api/mlflow-types";
import { href } from "../router";
import type { Column } from "../runs/run-columns";
import { cellText, columnId, columnLabel, isSortable } from "../runs/run-columns";

export interface RunsTableProps {
  readonly runs: readonly Run[];
  readonly columns: readonly Column[];
  readonly order?: { readonly id: string; readonly desc: boolean };
  onSort(column: Column): void;
  readonly selected: ReadonlySet<string>;
  onSelect(selected: ReadonlySet<string>): void;
}

const KIND_CLASS = { attributes: "", params: "col-param", metrics: "col-metric", tags: "col-tag" } as const;

export function RunsTable({ runs, columns, order, onSort, selected, onSelect }: RunsTableProps) {
  const allChosen = runs.length > 0 && runs.every((r) => selected.has(r.info.run_id));
  const toggle = (id: string): void => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  return (
    <div className="table-scroll">
      <table className="runs">
        <thead>
          <tr>
            <th className="check">
              <input
                type="checkbox"
                aria-label="Select all runs on this page"
                checked={allChosen}
                onChange={() => {
                  const next = new Set(selected);
                  for (const r of runs) if (allChosen) next.delete(r.info.run_id);
                  else next.add(r.info.run_id);
                  onSelect(next);
                }}
              />
            </th>
            {columns.map((column) => {
              const id = columnId(column);
              const sorted = order?.id === id;
              const label = columnLabel(column);
              return (
                <th key={id} className={KIND_CLASS[column.kind]} data-column={id} aria-sort={sorted ? (order.desc ? "descending" : "ascending") : undefined} title={id}>
                  {isSortable(column) ? (
                    <button className="sort" onClick={() => onSort(column)}>
                      {label}
                      <span className="sort-mark">{sorted ? (order.desc ? " ▼" : " ▲") : ""}</span>
                    </button>
                  ) : (
                    label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.info.run_id} data-run-id={run.info.run_id} className={selected.has(run.info.run_id) ? "selected" : ""}>
              <td className="check">
                <input type="checkbox" aria-label={`Select run ${run.info.run_name ?? run.info.run_id}`} checked={selected.has(run.info.run_id)} onChange={() => toggle(run.info.run_id)} />
              </td>
              {columns.map((column) => {
                const id = columnId(column);
                const text = cellText(run, column);
                if (id === "attributes.run_name") {
                  return (
                    <td key={id} data-column={id}>
                      <a href={href(["experiments", run.info.experiment_id, "runs", run.info.run_id])}>{text}</a>
                    </td>
                  );
                }
                return (
                  <td key={id} data-column={id} className={column.kind === "metrics" ? "num" : id === "attributes.status" ? `status-${text.toLowerCase()}` : ""}>
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
