/**
 * The runs of one experiment (`#/experiments/<id>`) or of several (`#/runs?experiments=1,2`): a page of 100
 * runs at a time from runs/search with page tokens (never all runs), MLflow's filter grammar, sorting by any
 * column, a column picker, selection for compare, delete and restore. Filter, sort, columns and view are in
 * the URL; the page tokens are not (a shared link opens on the first page).
 */
import { useState } from "react";
import { apiGet, apiPost } from "../api/client";
import type { SearchRunsResponse } from "../api/mlflow-types";
import { useAction } from "../api/use-action";
import { useApi } from "../api/use-api";
import { ColumnPicker } from "../components/column-picker";
import { RunsTable } from "../components/runs-table";
import { Empty, ErrorBox } from "../components/status";
import type { Location } from "../router";
import { href, navigate } from "../router";
import type { Column } from "../runs/run-columns";
import { columnId, defaultColumns, formatColumns, keysOf, orderByTerm, parseColumnId, parseColumns } from "../runs/run-columns";
import "./runs.css";

export const PAGE_SIZE = 100;

interface RunsView {
  readonly filter: string;
  readonly order: string;
  readonly desc: boolean;
  readonly cols: string;
  readonly view: "active" | "deleted";
}

function viewOf(query: URLSearchParams): RunsView {
  return {
    filter: query.get("filter") ?? "",
    order: query.get("order") ?? "",
    desc: query.get("desc") === "1",
    cols: query.get("cols") ?? "",
    view: query.get("view") === "deleted" ? "deleted" : "active",
  };
}

export interface RunsTablePageProps {
  readonly location: Location;
  readonly experimentIds: readonly string[];
  /** Where this page lives: ["experiments", id] or ["runs"] (with `experiments` kept in the query). */
  readonly base: readonly string[];
}

export function RunsTablePage({ location, experimentIds, base }: RunsTablePageProps) {
  const view = viewOf(location.query);
  const go = (changes: Partial<RunsView>, replace = false): void => {
    const next = { ...view, ...changes };
    const query: Record<string, string> = { filter: next.filter, order: next.order, desc: next.desc ? "1" : "", cols: next.cols, view: next.view === "deleted" ? "deleted" : "" };
    if (base[0] === "runs") query.experiments = experimentIds.join(",");
    navigate(href(base, query), { replace });
  };
  const title = useApi(
    async (signal) => {
      if (experimentIds.length !== 1) return `Runs of experiments ${experimentIds.join(", ")}`;
      const { experiment } = await apiGet<{ experiment: { name: string } }>("/mlflow/experiments/get", { experiment_id: experimentIds[0] }, signal);
      return experiment.name;
    },
    [experimentIds.join(",")],
  );
  if (experimentIds.length === 0) return <Empty>No experiment chosen: open one from the experiments list, or give #/runs?experiments=1,2.</Empty>;
  return (
    <>
      <div className="crumbs">
        <a href={href(["experiments"])}>Experiments</a> /
      </div>
      <h1>{title.state === "ready" ? title.data : `Experiment ${experimentIds.join(", ")}`}</h1>
      {title.state === "error" ? <ErrorBox error={title.error} /> : null}
      <RunsPager
        key={`${experimentIds.join(",")}|${view.filter}|${view.order}|${view.desc}|${view.view}`}
        experimentIds={experimentIds}
        view={view}
        go={go}
      />
    </>
  );
}

function RunsPager({ experimentIds, view, go }: { experimentIds: readonly string[]; view: RunsView; go: (changes: Partial<RunsView>, replace?: boolean) => void }) {
  const [draft, setDraft] = useState(view.filter);
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const orderColumn = view.order ? parseColumnId(view.order) : undefined;
  const runs = useApi(
    async (signal) => {
      const response = await apiPost<SearchRunsResponse>(
        "/mlflow/runs/search",
        {
          experiment_ids: experimentIds,
          filter: view.filter,
          run_view_type: view.view === "deleted" ? "DELETED_ONLY" : "ACTIVE_ONLY",
          max_results: PAGE_SIZE,
          order_by: orderColumn ? [orderByTerm(orderColumn, view.desc)] : [],
          ...(tokens[page] ? { page_token: tokens[page] } : {}),
        },
        signal,
      );
      return { runs: response.runs ?? [], next: response.next_page_token, page };
    },
    [page],
  );
  const data = runs.state === "ready" ? runs.data : undefined;
  const columns: Column[] = view.cols ? parseColumns(view.cols) : defaultColumns(data?.runs ?? []);
  const filterError = runs.state === "error" ? runs.error : null;

  const { error: actionError, run: runAction } = useAction(() => runs.reload());
  const act = async (verb: "delete" | "restore"): Promise<void> => {
    const ids = [...selected];
    const what = `${ids.length} run${ids.length === 1 ? "" : "s"}`;
    if (verb === "delete" && !window.confirm(`Delete ${what}? They can be restored from the Deleted view.`)) return;
    if (await runAction(async () => {
      for (const run_id of ids) await apiPost(`/mlflow/runs/${verb}`, { run_id });
    })) setSelected(new Set());
  };

  return (
    <>
      <div className="toolbar">
        <form
          className="filter-form"
          onSubmit={(e) => {
            e.preventDefault();
            go({ filter: draft.trim() });
          }}
        >
          <input
            type="search"
            className="filter-box"
            aria-label="Filter runs"
            placeholder={"metrics.rmse < 1 and params.model = 'tree'"}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit">Search</button>
        </form>
        <select aria-label="Show runs" value={view.view} onChange={(e) => go({ view: e.target.value as RunsView["view"] })}>
          <option value="active">Active runs</option>
          <option value="deleted">Deleted runs</option>
        </select>
        <ColumnPicker chosen={columns} available={keysOf(data?.runs ?? [])} onChange={(cols) => go({ cols: formatColumns(cols) || "none" }, true)} />
        <a
          className={`button primary${selected.size < 2 ? " disabled" : ""}`}
          aria-disabled={selected.size < 2}
          href={selected.size >= 2 ? href(["compare"], { runs: [...selected].join(",") }) : undefined}
        >
          Compare ({selected.size})
        </a>
        {view.view === "deleted" ? (
          <button disabled={selected.size === 0} onClick={() => void act("restore")}>
            Restore
          </button>
        ) : (
          <button className="danger" disabled={selected.size === 0} onClick={() => void act("delete")}>
            Delete
          </button>
        )}
      </div>
      {filterError ? (
        <div className="filter-error">
          <ErrorBox error={filterError} />
        </div>
      ) : null}
      {actionError ? <ErrorBox error={actionError} /> : null}
      {runs.state === "loading" ? <div className="loading">Loading…</div> : null}
      {data ? (
        data.runs.length === 0 && data.page === 0 ? (
          <Empty>
            {view.filter
              ? `No run matches the filter “${view.filter}”. Loosen it, or clear the box to see every run.`
              : view.view === "deleted"
                ? "No run of this experiment is deleted."
                : "No run in this experiment yet: start one from the SDK (keel.startRun) or the CLI (keel train), and it appears here."}
          </Empty>
        ) : (
          <>
            <RunsTable
              runs={data.runs}
              columns={columns}
              order={orderColumn ? { id: columnId(orderColumn), desc: view.desc } : undefined}
              onSort={(column) => {
                const id = columnId(column);
                go({ order: id, desc: view.order === id ? !view.desc : false });
              }}
              selected={selected}
              onSelect={setSelected}
            />
            <div className="pager">
              <button disabled={data.page === 0} onClick={() => setPage(data.page - 1)}>
                Previous
              </button>
              <span className="page-info">
                Page {data.page + 1} · runs {data.page * PAGE_SIZE + 1}–{data.page * PAGE_SIZE + data.runs.length}
              </span>
              <button
                disabled={!data.next}
                onClick={() => {
                  setTokens((t) => [...t.slice(0, data.page + 1), data.next]);
                  setPage(data.page + 1);
                }}
              >
                Next
              </button>
            </div>
          </>
        )
      ) : null}
    </>
  );
}
