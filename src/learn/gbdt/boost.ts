/**
 * The boosting loop of scikit-learn's BaseHistGradientBoosting.fit: hold out a validation part when early
 * stopping is on, bin the features, start from the baseline, then each iteration compute gradients and grow
 * one tree per class, until max_iter or until the last n_iter_no_change scores improve on the one before
 * them by no more than tol.
 */
import type { Matrix, ProgressCallback } from "../types.js";
import type { BinMapper } from "./bin-mapper.js";
import { growTree } from "./grow-tree.js";
import type { BoostedTree, GrowContext, GrowOptions } from "./grow-tree.js";
import { createHistogramPool, SLOTS } from "./histogram.js";
import type { HistogramHalves } from "./histogram.js";
import { PARALLEL_MIN_VALUES, startHistogramWorker } from "./histogram-worker.js";
import type { HgbParams } from "./hgb-params.js";
import type { BoostingLoss } from "./losses.js";
import { createRandom, sampleSorted } from "./random.js";
import type { Random } from "./random.js";
import { prepareTrainingData } from "./training-data.js";
import type { TrainingData } from "./training-data.js";

/** Rows above which early_stopping "auto" turns on, as in scikit-learn. */
export const AUTO_EARLY_STOPPING_ROWS = 10_000;
/** scikit-learn's min_hessian_to_split. */
const MIN_HESSIAN = 1e-3;

export interface BoostingInput {
  readonly x: Matrix;
  /** Class index (as a number) or regression target, per row of x. */
  readonly y: Float64Array;
  /** Class indices, to stratify the validation split; null for regression. */
  readonly stratify: Int32Array | null;
  readonly loss: BoostingLoss;
  readonly params: HgbParams;
  readonly seed: number;
  readonly onProgress?: ProgressCallback;
  /** Rows × features from which histograms are summed in two halves, with a worker thread for one. */
  readonly parallelMinValues?: number;
  /** false sums both halves on this thread (tests check that the model does not change). */
  readonly useWorker?: boolean;
}

export interface BoostingResult {
  /** Per iteration, one tree per class (one for binary and regression). */
  readonly trees: readonly (readonly BoostedTree[])[];
  readonly baseline: Float64Array;
  /** -loss on the training rows, before the first tree and after each iteration (scikit-learn's sign). */
  readonly trainScore: readonly number[];
  /** The same on the held-out rows, when early stopping held some out. */
  readonly validationScore: readonly number[];
  readonly featureGains: Float64Array;
  readonly mapper: BinMapper;
  /** Threads that built histograms: 2 when a worker helped. */
  readonly histogramThreads: number;
}

/** Adds `boosted`'s leaf value to out[offset + i] for every row i of a column-major binned matrix. */
export function addBinnedPredictions(boosted: BoostedTree, binned: Uint8Array, rowCount: number, missingBin: number, out: Float64Array, offset: number): void {
  const { feature, left, right, missingGoesLeft, value } = boosted.tree;
  const { bins } = boosted;
  for (let i = 0; i < rowCount; i++) {
    let node = 0;
    while (feature[node] >= 0) {
      const b = binned[feature[node] * rowCount + i];
      const goLeft = b === missingBin ? missingGoesLeft[node] === 1 : b <= bins[node];
      node = goLeft ? left[node] : right[node];
    }
    out[offset + i] += value[node];
  }
}

/** A row-major copy of column-major bins, in a SharedArrayBuffer for the worker. */
function rowMajor(binned: Uint8Array, rowCount: number, featureCount: number): Uint8Array {
  const rows = new Uint8Array(new SharedArrayBuffer(rowCount * featureCount));
  for (let f = 0; f < featureCount; f++) {
    const column = f * rowCount;
    for (let i = 0; i < rowCount; i++) rows[i * featureCount + f] = binned[column + i];
  }
  return rows;
}

function shouldStop(scores: readonly number[], nIterNoChange: number, tol: number): boolean {
  const reference = nIterNoChange + 1;
  if (scores.length < reference) return false;
  const referenceScore = scores[scores.length - reference] + tol;
  for (let i = scores.length - reference + 1; i < scores.length; i++) if (scores[i] > referenceScore) return false;
  return true;
}

export async function boost(input: BoostingInput): Promise<BoostingResult> {
  const { x, params } = input;
  const earlyStopping = params.earlyStopping === "auto" ? x.rows > AUTO_EARLY_STOPPING_ROWS : params.earlyStopping;
  const random = createRandom(input.seed);
  const data = prepareTrainingData(x, input.y, {
    validationFraction: earlyStopping ? params.validationFraction : null,
    stratify: input.stratify,
    maxBins: params.maxBins,
    seed: input.seed,
    random,
  });
  const n = data.y.length;
  const k = input.loss.treesPerIteration;
  const float32s = (length: number): Float32Array => new Float32Array(new SharedArrayBuffer(length * 4));
  const partition = new Uint32Array(new SharedArrayBuffer(n * 4));
  const scratch = new Uint32Array(new SharedArrayBuffer(n * 4));
  const gradients = float32s(k * n);
  const hessians = float32s(k * n);
  const orderedGradients = float32s(n);
  const orderedHessians = float32s(n);
  const binsPerFeature = params.maxBins + 1;
  const twoHalves = n * x.cols >= (input.parallelMinValues ?? PARALLEL_MIN_VALUES);
  // Row-major bins pay for their copy only on large data, where nodes read through the partition are big.
  const binnedRows = twoHalves ? rowMajor(data.binned, n, x.cols) : null;
  const shared = { binned: data.binned, binnedRows, rowCount: n, featureCount: x.cols, binsPerFeature, partition, scratch, gradients, hessians, orderedGradients, orderedHessians };
  const worker = twoHalves && input.useWorker !== false ? await startHistogramWorker(shared) : null;
  const halves = twoHalves ? { worker, scratch: new Float64Array(x.cols * binsPerFeature * SLOTS) } : null;
  try {
    return await iterate(input, data, earlyStopping, random, { partition, scratch, gradients, hessians, orderedGradients, orderedHessians, halves, binnedRows });
  } finally {
    await worker?.close();
  }
}

interface Buffers {
  readonly binnedRows: Uint8Array | null;
  readonly partition: Uint32Array;
  readonly scratch: Uint32Array;
  readonly gradients: Float32Array;
  readonly hessians: Float32Array;
  readonly orderedGradients: Float32Array;
  readonly orderedHessians: Float32Array;
  readonly halves: HistogramHalves | null;
}

async function iterate(input: BoostingInput, data: TrainingData, earlyStopping: boolean, random: Random, buffers: Buffers): Promise<BoostingResult> {
  const { x, loss, params } = input;
  const { mapper, binned, y, validation } = data;
  const n = y.length;
  const nValidation = validation ? validation.y.length : 0;
  const k = loss.treesPerIteration;
  const baseline = loss.baseline(y);
  const raw = new Float64Array(k * n);
  const rawValidation = new Float64Array(k * nValidation);
  for (let c = 0; c < k; c++) {
    raw.fill(baseline[c], c * n, (c + 1) * n);
    rawValidation.fill(baseline[c], c * nValidation, (c + 1) * nValidation);
  }
  const { gradients, hessians } = buffers;
  const binsPerFeature = params.maxBins + 1;
  const { partition } = buffers;
  const base = {
    rules: {
      featureCount: x.cols,
      binsPerFeature,
      binCounts: mapper.binCounts,
      hasMissing: data.hasMissing,
      minSamplesLeaf: params.minSamplesLeaf,
      minHessian: MIN_HESSIAN,
      l2: params.l2Regularization,
    },
    pool: createHistogramPool(x.cols, binsPerFeature),
    mapper,
    options: {
      maxLeafNodes: params.maxLeafNodes,
      maxDepth: params.maxDepth,
      minSamplesLeaf: params.minSamplesLeaf,
      l2: params.l2Regularization,
      shrinkage: params.learningRate,
      growPolicy: params.growPolicy,
    } satisfies GrowOptions,
    featureGains: new Float64Array(x.cols),
    partition,
    scratch: buffers.scratch,
  };
  const subsampleCount = params.subsample < 1 ? Math.max(1, Math.floor(params.subsample * n)) : n;

  const trees: BoostedTree[][] = [];
  let trainLoss = loss.gradients(y, raw, gradients, hessians);
  const trainScore = [-trainLoss];
  const validationScore = validation ? [-loss.loss(validation.y, rawValidation)] : [];
  for (let iteration = 0; iteration < params.maxIter; iteration++) {
    // One row sample per iteration, shared by the classes' trees.
    const sample = subsampleCount < n ? sampleSorted(n, subsampleCount, random) : null;
    const iterationTrees: BoostedTree[] = [];
    for (let c = 0; c < k; c++) {
      if (sample) partition.set(sample);
      else for (let i = 0; i < n; i++) partition[i] = i;
      const context: GrowContext = {
        ...base,
        source: {
          binned,
          binnedRows: buffers.binnedRows,
          rowCount: n,
          featureCount: x.cols,
          binsPerFeature,
          gradients: gradients.subarray(c * n, (c + 1) * n),
          hessians: hessians.subarray(c * n, (c + 1) * n),
          gradientOffset: c * n,
          orderedGradients: buffers.orderedGradients,
          orderedHessians: buffers.orderedHessians,
          halves: buffers.halves,
        },
      };
      const grown = growTree(context, subsampleCount, subsampleCount === n);
      iterationTrees.push({ tree: grown.tree, bins: grown.bins });
      const offset = c * n;
      if (subsampleCount === n) {
        for (const leaf of grown.leaves) for (let i = leaf.start; i < leaf.stop; i++) raw[offset + partition[i]] += leaf.value;
      } else {
        addBinnedPredictions(grown, binned, n, mapper.maxBins, raw, offset);
      }
      if (validation) addBinnedPredictions(grown, validation.binned, nValidation, mapper.maxBins, rawValidation, c * nValidation);
    }
    trees.push(iterationTrees);
    trainLoss = loss.gradients(y, raw, gradients, hessians);
    trainScore.push(-trainLoss);
    let validationLoss: number | undefined;
    if (validation) {
      validationLoss = loss.loss(validation.y, rawValidation);
      validationScore.push(-validationLoss);
    }
    input.onProgress?.({ step: iteration + 1, total: params.maxIter, trainLoss, ...(validationLoss !== undefined ? { validationLoss } : {}) });
    if (earlyStopping && shouldStop(validation ? validationScore : trainScore, params.nIterNoChange, params.tol)) break;
    // Let timers (a progress bar, a server's heartbeats) run between iterations.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { trees, baseline, trainScore, validationScore, featureGains: base.featureGains, mapper, histogramThreads: buffers.halves?.worker ? 2 : 1 };
}
