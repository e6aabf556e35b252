/**
 * `npm run bench -- drift [--rows N] [--reps K]`: KS + PSI on every column of N reference rows × 20 numeric
 * columns against N current rows, Keel (worker threads, and one thread for comparison) against the Python
 * baseline /work/shared/bench/drift/scipy_baseline.py (scipy.stats.ks_2samp + numpy PSI in a loop), run
 * unchanged. The data is the baseline's own (numpy default_rng(0)), written once by bench/drift/make_data.py
 * into bench/.data/drift. Keel's time runs from the arrays in memory to all results, worker startup included;
 * the baseline's is what it reports for its loop. Repetitions alternate the sides; medians are reported. Keel's
 * values are checked against scipy's (bench/drift/scipy_exact.py): statistic 1e-12 absolute, p-value 1e-8
 * relative, PSI 1e-9 relative.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { numericDriftStatisticsParallel } from "../src/monitoring/drift/parallel-drift.js";
import type { NumericColumnPair } from "../src/monitoring/drift/parallel-drift.js";
import type { NumericDriftStatistics } from "../src/monitoring/stats/numeric-drift-statistics.js";
import { machine, median, numberArg } from "./support.js";

const PYTHON = process.env.KEEL_BENCH_PYTHON ?? "/usr/bin/python3";
const BASELINE = resolve(process.env.KEEL_SHARED_BENCH ?? "../shared/bench", "drift/scipy_baseline.py");
const DATA = resolve("bench/.data/drift");
const COLUMNS = 20;
const TARGET_RATIO = 0.25;

/** The baseline's arrays, written once per row count, read into SharedArrayBuffers (the workers share them). */
function loadColumns(rows: number): NumericColumnPair[] {
  const path = (name: string): string => join(DATA, `${name}-${rows}.f64`);
  if (!existsSync(path("ref")) || !existsSync(path("cur"))) {
    process.stderr.write(`writing the drift data (${rows} rows × ${COLUMNS}) into ${DATA}\n`);
    execFileSync(PYTHON, ["bench/drift/make_data.py", String(rows), DATA], { stdio: "inherit" });
  }
  const read = (name: string): Float64Array => {
    const bytes = readFileSync(path(name));
    if (bytes.length !== rows * COLUMNS * 8) throw new Error(`${path(name)} has ${bytes.length} bytes, expected ${rows * COLUMNS * 8}`);
    const shared = new Float64Array(new SharedArrayBuffer(bytes.length));
    new Uint8Array(shared.buffer).set(bytes);
    return shared;
  };
  const ref = read("ref");
  const cur = read("cur");
  return Array.from({ length: COLUMNS }, (_, j) => ({
    reference: ref.subarray(j * rows, (j + 1) * rows),
    current: cur.subarray(j * rows, (j + 1) * rows),
  }));
}

async function timeKeel(pairs: readonly NumericColumnPair[], threads: number): Promise<{ seconds: number; results: NumericDriftStatistics[] }> {
  const start = performance.now();
  const results = await numericDriftStatisticsParallel(pairs, ["ks", "psi"], { threads });
  return { seconds: (performance.now() - start) / 1000, results };
}

function timeBaseline(rows: number): { seconds: number; output: string } {
  const output = execFileSync(PYTHON, [BASELINE, String(rows)], { encoding: "utf8" });
  const match = /^bench scipy_ks_psi_\d+x20 ([\d.]+) s$/m.exec(output);
  if (!match) throw new Error(`unexpected baseline output:\n${output}`);
  return { seconds: Number(match[1]), output };
}

interface Expected {
  readonly ks: number;
  readonly p: number;
  readonly psi: number;
}

const relative = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

/** Worst deviations from scipy over the columns, and whether each is within tolerance. */
function check(results: readonly NumericDriftStatistics[], expected: readonly Expected[]): { line: string; ok: boolean } {
  let ks = 0;
  let p = 0;
  let psi = 0;
  results.forEach((r, j) => {
    ks = Math.max(ks, Math.abs((r.ks?.statistic ?? NaN) - expected[j].ks));
    p = Math.max(p, relative(r.ks?.pValue ?? NaN, expected[j].p));
    psi = Math.max(psi, relative(r.psi?.statistic ?? NaN, expected[j].psi));
  });
  const ok = ks <= 1e-12 && p <= 1e-8 && psi <= 1e-9;
  const fmt = (x: number): string => x.toExponential(1);
  return {
    ok,
    line: `Check against scipy over ${results.length} columns: max |ΔKS| ${fmt(ks)} (≤ 1e-12), max relative Δp ${fmt(p)} (≤ 1e-8), max relative ΔPSI ${fmt(psi)} (≤ 1e-9): ${ok ? "PASS" : "FAIL"}`,
  };
}

export async function main(argv: readonly string[]): Promise<void> {
  const rows = numberArg(argv, "--rows", 1_000_000);
  const reps = numberArg(argv, "--reps", 3);
  const threads = Math.min(2, availableParallelism());
  const pairs = loadColumns(rows);
  const keel: number[] = [];
  const keelOne: number[] = [];
  const scipy: number[] = [];
  let results: NumericDriftStatistics[] = [];
  let baselineOutput = "";
  for (let rep = 0; rep < reps; rep++) {
    const parallel = await timeKeel(pairs, threads);
    keel.push(parallel.seconds);
    results = parallel.results;
    const baseline = timeBaseline(rows);
    scipy.push(baseline.seconds);
    baselineOutput = baseline.output;
    keelOne.push((await timeKeel(pairs, 1)).seconds);
    process.stderr.write(`rep ${rep + 1}/${reps}: Keel ${threads} threads ${keel[rep].toFixed(3)} s, 1 thread ${keelOne[rep].toFixed(3)} s, scipy ${scipy[rep].toFixed(3)} s\n`);
  }
  const expected = JSON.parse(execFileSync(PYTHON, ["bench/drift/scipy_exact.py", String(rows), DATA], { encoding: "utf8", maxBuffer: 1 << 24 })) as Expected[];
  const verdict = check(results, expected);
  const keelLines = [0, 1, 3].map((j) => {
    const r = results[j];
    return `col${j} ks=${r.ks?.statistic.toFixed(6)} p=${r.ks?.pValue.toExponential(3)} psi=${r.psi?.statistic.toFixed(5)}`;
  });
  const scipyMedian = median(scipy);
  const cores = `${availableParallelism()} cores, Node ${process.version}`;
  const row = (figure: string, seconds: number): string => {
    const ratio = seconds / scipyMedian;
    return `| ${figure} | ${seconds.toFixed(3)} s | ${scipyMedian.toFixed(3)} s | ${ratio.toFixed(3)} | ${ratio <= TARGET_RATIO && verdict.ok ? "yes" : "no"} | ${cores} |`;
  };
  const label = `KS + PSI, ${rows.toLocaleString("en-US")} × ${COLUMNS} vs ${rows.toLocaleString("en-US")} rows`;
  const report = [
    `Machine: ${machine()} (${availableParallelism()} cores available); Python: ${PYTHON}.`,
    `Reproduce: \`npm run bench -- drift${argv.length > 0 ? ` ${argv.join(" ")}` : ""}\` (median of ${reps}, Keel and scipy alternating; target: Keel ≤ ${TARGET_RATIO} × scipy)`,
    "",
    "| figure | Keel median | scipy median | Keel / scipy | target met? | machine |",
    "|---|---|---|---|---|---|",
    row(`${label}, Keel ${threads} worker threads (startup included)`, median(keel)),
    row(`${label}, Keel 1 thread (for reference)`, median(keelOne)),
    "",
    verdict.line,
    "",
    `Baseline printed: ${baselineOutput.trim().split("\n").join("; ")}`,
    `Keel:             ${keelLines.join("; ")}`,
  ].join("\n");
  process.stdout.write(`\n${report}\n`);
}
