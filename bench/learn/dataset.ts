/**
 * The learners benchmark's datasets: generated once by make_datasets.py (Debian's scikit-learn) into a
 * git-ignored directory, then read by Keel's own table reader into train and test matrices.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { getNumberColumn, getStringColumn } from "../../src/learn/data/frame-columns.js";
import { readTable } from "../../src/learn/data/read-table.js";
import type { Matrix, Target } from "../../src/learn/types.js";

export const DATASETS = ["breast_cancer", "digits", "wine", "big"] as const;
export type DatasetName = (typeof DATASETS)[number];

/** Debian's Python, which has scikit-learn 1.2.1 (the `python3` on PATH may be a pyenv without it). */
export const PYTHON = process.env.KEEL_BENCH_PYTHON ?? "/usr/bin/python3";

export interface Dataset {
  readonly name: DatasetName;
  readonly path: string;
  readonly train: Matrix;
  readonly trainTarget: Target & { readonly task: "classification" };
  readonly test: Matrix;
  /** Class index per test row, into trainTarget.classes. */
  readonly testY: Int32Array;
}

export function datasetPath(dataDir: string, name: DatasetName): string {
  return join(dataDir, `${name}.csv`);
}

/** Writes the CSVs with make_datasets.py unless they are all there already (the big one takes ~5 s). */
export function ensureDatasets(dataDir: string): void {
  if (DATASETS.every((name) => existsSync(datasetPath(dataDir, name)))) return;
  process.stderr.write(`writing the datasets into ${dataDir} with ${PYTHON} bench/learn/make_datasets.py\n`);
  const result = spawnSync(PYTHON, ["bench/learn/make_datasets.py", dataDir], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error(`make_datasets.py failed (${result.status ?? result.error?.message}); it needs scikit-learn for ${PYTHON}`);
}

function rowMajor(columns: readonly Float64Array[], rows: readonly number[]): Matrix {
  const cols = columns.length;
  const data = new Float64Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) {
    for (let c = 0; c < cols; c++) data[i * cols + c] = columns[c][rows[i]];
  }
  return { rows: rows.length, cols, data };
}

export async function loadDataset(dataDir: string, name: DatasetName): Promise<Dataset> {
  const path = datasetPath(dataDir, name);
  const frame = await readTable(path, { types: { split: "string" } });
  const featureNames = frame.columns.map((c) => c.name).filter((n) => /^f\d+$/.test(n));
  const features = featureNames.map((n) => getNumberColumn(frame, n));
  const labels = getNumberColumn(frame, "target");
  const split = getStringColumn(frame, "split");
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let r = 0; r < frame.rowCount; r++) (split[r] === "test" ? testRows : trainRows).push(r);
  // Classes are the integer labels in ascending order, as scikit-learn's classes_ are.
  const values = [...new Set(labels)].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const indices = (rows: readonly number[]): Int32Array => Int32Array.from(rows, (r) => index.get(labels[r]) ?? -1);
  return {
    name,
    path,
    train: rowMajor(features, trainRows),
    trainTarget: { task: "classification", classes: values.map(String), y: indices(trainRows) },
    test: rowMajor(features, testRows),
    testY: indices(testRows),
  };
}

/** The test rows repeated until `rows` rows, as float32: the batch both sides predict. */
export function predictionBatch(test: Matrix, rows: number): Float32Array {
  const out = new Float32Array(rows * test.cols);
  const size = test.rows * test.cols;
  for (let i = 0; i < out.length; i++) out[i] = test.data[i % size];
  return out;
}
