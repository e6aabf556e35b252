/**
 * Seeded train/test splits and k-fold cross-validation, stratified for classification so that every part keeps
 * the class proportions. Indices come back sorted, so that taking rows reads the table in order; the same seed
 * always gives the same split.
 */
import type { Column, Frame } from "../core/frame.js";
import { invalidParameter } from "../core/errors.js";

export interface TrainTestSplitOptions {
  /** A fraction of the rows in (0, 1), or a row count (an integer ≥ 1); the test part gets ceil(fraction × rows). */
  readonly testSize: number;
  readonly seed?: number;
  /** Class index per row: keeps each class's share in both parts, and each class in both when it has 2+ rows. */
  readonly stratify?: Int32Array;
}

export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export function trainTestSplit(rowCount: number, options: TrainTestSplitOptions): Split {
  const testCount = testRowCount(rowCount, options.testSize);
  const random = seededRandom(options.seed ?? 0);
  const isTest = new Uint8Array(rowCount);
  if (options.stratify) {
    const y = options.stratify;
    if (y.length !== rowCount) throw invalidParameter(`stratify has ${y.length} labels for ${rowCount} rows`);
    const members = classMembers(y);
    const quota = stratifiedQuota(members.map((m) => m.length), testCount);
    members.forEach((rows, j) => {
      shuffle(rows, random);
      for (let i = 0; i < quota[j]; i++) isTest[rows[i]] = 1;
    });
  } else {
    const order = shuffle(range(rowCount), random);
    for (let i = 0; i < testCount; i++) isTest[order[i]] = 1;
  }
  return partition(isTest, 1);
}

/**
 * k folds for cross-validation with every class spread over the folds as evenly as possible, as scikit-learn's
 * StratifiedKFold(shuffle=True) spreads them. Fold i's `test` is its held-out rows, `train` all the others.
 */
export function stratifiedKFold(y: Int32Array, k: number, seed = 0): Split[] {
  checkFolds(y.length, k);
  const random = seededRandom(seed);
  const members = classMembers(y);
  const fold = new Int32Array(y.length);
  // Dealing the class-sorted labels round-robin to the folds decides how many of each class every fold gets.
  const sorted = Int32Array.from(y).sort();
  const allocation = members.map(() => new Int32Array(k));
  const classIndex = new Map<number, number>();
  members.forEach((rows, j) => classIndex.set(y[rows[0]], j));
  sorted.forEach((label, i) => allocation[classIndex.get(label) as number][i % k]++);
  members.forEach((rows, j) => {
    const folds = new Int32Array(rows.length);
    let at = 0;
    for (let f = 0; f < k; f++) for (let n = 0; n < allocation[j][f]; n++) folds[at++] = f;
    shuffle(folds, random);
    rows.forEach((row, i) => (fold[row] = folds[i]));
  });
  return Array.from({ length: k }, (_, f) => partitionFold(fold, f));
}

/** k folds of a shuffled row order (for regression): the first rows % k folds get one row more, as scikit-learn's KFold. */
export function kFold(rowCount: number, k: number, seed = 0): Split[] {
  checkFolds(rowCount, k);
  const order = shuffle(range(rowCount), seededRandom(seed));
  const fold = new Int32Array(rowCount);
  let at = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(rowCount / k) + (f < rowCount % k ? 1 : 0);
    for (let i = 0; i < size; i++) fold[order[at++]] = f;
  }
  return Array.from({ length: k }, (_, f) => partitionFold(fold, f));
}

/** A new Frame with the rows at `indices`, in that order. */
export function takeRows(frame: Frame, indices: Int32Array): Frame {
  for (const i of indices) {
    if (i < 0 || i >= frame.rowCount) throw invalidParameter(`row ${i} is outside the table's ${frame.rowCount} rows`);
  }
  const columns: Column[] = frame.columns.map((column) => {
    if (column.kind === "number") {
      const values = new Float64Array(indices.length);
      indices.forEach((row, i) => (values[i] = column.values[row]));
      return { kind: "number", name: column.name, values };
    }
    return { kind: "string", name: column.name, values: Array.from(indices, (row) => column.values[row]) };
  });
  return { columns, rowCount: indices.length };
}

function testRowCount(rowCount: number, testSize: number): number {
  let count: number;
  if (testSize > 0 && testSize < 1) count = Math.ceil(testSize * rowCount);
  else if (Number.isInteger(testSize) && testSize >= 1) count = testSize;
  else throw invalidParameter(`test size ${testSize} is neither a fraction in (0, 1) nor a row count; use e.g. 0.2`);
  if (count >= rowCount) {
    throw invalidParameter(`a test size of ${testSize} leaves no training rows out of ${rowCount}; use a smaller test size`);
  }
  return count;
}

function checkFolds(rowCount: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) throw invalidParameter(`cross-validation needs at least 2 folds, got ${k}`);
  if (k > rowCount) throw invalidParameter(`cannot make ${k} folds out of ${rowCount} rows; use at most ${rowCount} folds`);
}

/** Rows of each class present, classes in ascending label order. */
function classMembers(y: Int32Array): Int32Array[] {
  const byLabel = new Map<number, number[]>();
  y.forEach((label, row) => {
    const rows = byLabel.get(label);
    if (rows) rows.push(row);
    else byLabel.set(label, [row]);
  });
  return [...byLabel.keys()].sort((a, b) => a - b).map((label) => Int32Array.from(byLabel.get(label) as number[]));
}

/**
 * Test rows per class: proportional to class size, rounded by largest remainder, and at least one row in each
 * part for every class with two rows or more whenever the sizes allow it.
 */
function stratifiedQuota(counts: readonly number[], testCount: number): Int32Array {
  const total = counts.reduce((a, b) => a + b, 0);
  const exact = counts.map((c) => (testCount * c) / total);
  const quota = Int32Array.from(counts, (c, j) => clamp(Math.floor(exact[j]), c >= 2 ? 1 : 0, c >= 2 ? c - 1 : 0));
  const adjust = (limit: (j: number) => number, step: 1 | -1): void => {
    let missing = testCount - quota.reduce((a, b) => a + b, 0);
    while (missing * step > 0) {
      let best = -1;
      for (let j = 0; j < counts.length; j++) {
        if (quota[j] === limit(j)) continue;
        const gap = (exact[j] - quota[j]) * step;
        if (best < 0 || gap > (exact[best] - quota[best]) * step) best = j;
      }
      if (best < 0) return;
      quota[best] += step;
      missing -= step;
    }
  };
  adjust((j) => (counts[j] >= 2 ? counts[j] - 1 : 0), 1);
  adjust((j) => (counts[j] >= 2 ? 1 : 0), -1);
  // Too few rows to give every class a place in both parts: fall back to plain proportions.
  adjust((j) => counts[j], 1);
  adjust(() => 0, -1);
  return quota;
}

function partition(flags: Uint8Array, value: number): Split {
  let n = 0;
  for (const f of flags) if (f === value) n++;
  const test = new Int32Array(n);
  const train = new Int32Array(flags.length - n);
  let t = 0;
  let r = 0;
  flags.forEach((f, row) => {
    if (f === value) test[t++] = row;
    else train[r++] = row;
  });
  return { train, test };
}

function partitionFold(fold: Int32Array, f: number): Split {
  return partition(Uint8Array.from(fold, (v) => (v === f ? 1 : 0)), 1);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Fisher–Yates in place. */
function shuffle(values: Int32Array, random: () => number): Int32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
  return values;
}

/** mulberry32 after a splitmix32 scramble of the seed: small, fast and the same on every platform. */
function seededRandom(seed: number): () => number {
  let z = (Math.trunc(seed) + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  let state = (z ^ (z >>> 16)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
