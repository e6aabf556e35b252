import type { Run } from "../client/wire-types.js";

export interface ComparisonRow {
  readonly key: string;
  /** One per run, in the order the runs were given; null where the run has no such key. */
  readonly values: readonly (string | number | null)[];
  /** True when the runs do not all hold the same value (a missing value differs from any value). */
  readonly differs: boolean;
}

export interface RunComparison {
  readonly runs: readonly { readonly run_id: string; readonly run_name: string | null }[];
  readonly params: readonly ComparisonRow[];
  /** Latest value of each metric. */
  readonly metrics: readonly ComparisonRow[];
}

function rows(maps: readonly ReadonlyMap<string, string | number>[]): ComparisonRow[] {
  const keys = [...new Set(maps.flatMap((m) => [...m.keys()]))].sort();
  return keys.map((key) => {
    const values = maps.map((m) => m.get(key) ?? null);
    // Object.is: NaN equals NaN here, as two runs that both diverged hold the same value.
    return { key, values, differs: values.some((v) => !Object.is(v, values[0])) };
  });
}

/** Params and latest metrics of runs side by side, keys sorted, rows whose values differ flagged. */
export function compareRuns(runs: readonly Run[]): RunComparison {
  return {
    runs: runs.map((r) => ({ run_id: r.info.run_id, run_name: r.info.run_name ?? null })),
    params: rows(runs.map((r) => new Map((r.data.params ?? []).map((p) => [p.key, p.value])))),
    metrics: rows(runs.map((r) => new Map((r.data.metrics ?? []).map((m) => [m.key, m.value])))),
  };
}

/** Column titles for runs: their names, with a short id where a name is missing or shared. */
export function runLabels(runs: RunComparison["runs"]): string[] {
  const counts = new Map<string, number>();
  for (const r of runs) if (r.run_name) counts.set(r.run_name, (counts.get(r.run_name) ?? 0) + 1);
  return runs.map((r) => {
    const short = r.run_id.slice(0, 8);
    if (!r.run_name) return short;
    return counts.get(r.run_name) === 1 ? r.run_name : `${r.run_name} (${short})`;
  });
}
