/**
 * `npm run bench -- learn [--only logreg,tree,rf,gbdt] [--datasets breast_cancer,digits,wine,big]`: Keel's
 * built-in learners against their scikit-learn counterparts on the same CSV files, in the same run, one side
 * after the other: held-out accuracy and AUC, fit time, and batch prediction of 100,000 rows (Keel through
 * onnxruntime-node, scikit-learn through predict_proba). Prints one markdown table per dataset.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { DATASETS, PYTHON, ensureDatasets, loadDataset } from "./learn/dataset.js";
import type { DatasetName } from "./learn/dataset.js";
import { LEARNERS, runKeel } from "./learn/keel-side.js";
import type { LearnerName } from "./learn/keel-side.js";
import { markdownTable, notes, verdict } from "./learn/report.js";
import type { Quiet, Row } from "./learn/report.js";
import { machine } from "./support.js";

const DATA_DIR = "bench/.data/learn";
const PREDICT_ROWS = 100_000;
const PREDICT_REPEATS = 5;
/** The machine is shared: wait while the 1-minute load is above this (`--max-load`), for at most QUIET_WAIT_MS. */
const MAX_LOAD = 1.5;
const QUIET_WAIT_MS = 10 * 60_000;

const TITLES: Readonly<Record<DatasetName, string>> = {
  breast_cancer: "breast_cancer (569 rows × 30, 2 classes; 455 train / 114 test, stratified)",
  digits: "digits (1,797 rows × 64, 10 classes; 1,437 train / 360 test, stratified; AUC one-vs-rest, macro)",
  wine: "wine (178 rows × 13, 3 classes; 142 train / 36 test, stratified; AUC one-vs-rest, macro)",
  big: "big: make_classification (250,000 rows × 20, 12 informative, 2 classes; first 200,000 train / last 50,000 test)",
};

function listArg<T extends string>(argv: readonly string[], flag: string, allowed: readonly T[]): T[] {
  const i = argv.indexOf(flag);
  if (i < 0) return [...allowed];
  const values = (argv[i + 1] ?? "").split(",").filter((v) => v !== "");
  for (const v of values) if (!(allowed as readonly string[]).includes(v)) throw new Error(`${flag} takes a comma-separated list of ${allowed.join(", ")}; got '${v}'`);
  return values as T[];
}

function numberArg(argv: readonly string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  const whole = flag !== "--max-load";
  if (!(value > 0) || (whole && !Number.isInteger(value))) throw new Error(`${flag} takes a ${whole ? "whole " : ""}number > 0; got '${argv[i + 1]}'`);
  return value;
}

function cpuTimes(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3] - (fields[4] ?? 0), total };
}

/** CPU use of everything else over 2 s, in cores, sampled while this process sits idle. */
async function othersCores(): Promise<number> {
  const before = cpuTimes();
  await new Promise((r) => setTimeout(r, 2000));
  const after = cpuTimes();
  return ((after.busy - before.busy) / Math.max(1, after.total - before.total)) * cpus().length;
}

/**
 * Waits until the 1-minute load is at most MAX_LOAD (it includes this benchmark's own last measurement, which
 * also gives the machine a pause between the two sides), then reports the load and what others use now.
 */
async function waitForQuiet(maxLoad: number): Promise<Quiet> {
  const deadline = Date.now() + QUIET_WAIT_MS;
  while (loadavg()[0] > maxLoad && Date.now() < deadline) {
    process.stderr.write(`  load ${loadavg()[0].toFixed(2)} > ${maxLoad}: waiting\n`);
    await new Promise((r) => setTimeout(r, 20_000));
  }
  return { loadavg: loadavg()[0], othersCores: await othersCores() };
}

async function runSklearn(path: string, learner: LearnerName, fitRepeats: number): Promise<Row["sklearn"]> {
  const child = spawn(PYTHON, ["bench/learn/sklearn_side.py", path, learner, String(fitRepeats), String(PREDICT_ROWS), String(PREDICT_REPEATS)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`sklearn_side.py ${learner} on ${path} exited with ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Row["sklearn"];
}

export async function main(argv: readonly string[]): Promise<void> {
  const learners = listArg(argv, "--only", LEARNERS);
  const datasets = listArg(argv, "--datasets", DATASETS);
  const smallFitRepeats = numberArg(argv, "--fit-repeats", 3);
  const bigFitRepeats = numberArg(argv, "--big-fit-repeats", 1);
  const maxLoad = numberArg(argv, "--max-load", MAX_LOAD);
  ensureDatasets(DATA_DIR);
  const rows: Row[] = [];
  const tables: string[] = [];
  for (const name of datasets) {
    const dataset = await loadDataset(DATA_DIR, name);
    const fitRepeats = name === "big" ? bigFitRepeats : smallFitRepeats;
    const datasetRows: Row[] = [];
    for (const learner of learners) {
      process.stderr.write(`${name} / ${learner}: scikit-learn\n`);
      const sklearnQuiet = await waitForQuiet(maxLoad);
      const sklearn = await runSklearn(dataset.path, learner, fitRepeats);
      process.stderr.write(`${name} / ${learner}: Keel\n`);
      const keelQuiet = await waitForQuiet(maxLoad);
      const keel = await runKeel(dataset, learner, { fitRepeats, predictRows: PREDICT_ROWS, predictRepeats: PREDICT_REPEATS });
      const row: Row = { dataset: name, learner, keel, sklearn, load: { sklearn: sklearnQuiet, keel: keelQuiet } };
      process.stdout.write(`${JSON.stringify({ bench: "learn", ...row, verdict: verdict(row) })}\n`);
      datasetRows.push(row);
    }
    rows.push(...datasetRows);
    tables.push(markdownTable(datasetRows, TITLES[name]));
  }
  const date = new Date().toISOString().slice(0, 10);
  const command = `npm run bench -- learn${argv.length > 0 ? ` ${argv.join(" ")}` : ""}`;
  const sklearnVersion = readFileSync(join(DATA_DIR, "VERSION"), "utf8").trim();
  const report = [
    `Machine: ${machine()}; ${sklearnVersion} (Debian, ${PYTHON}); onnxruntime-node 1.30 (CPU).`,
    `Reproduce: \`${command}\``,
    "",
    tables.join("\n\n"),
    "",
    notes(rows),
  ].join("\n");
  process.stdout.write(`\n${report}\n`);
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(join("bench/results", `learn-${date}-${Date.now()}.json`), JSON.stringify({ date, command, machine: machine(), rows }, null, 2));
}
