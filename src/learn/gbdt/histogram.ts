/**
 * Gradient histograms: for every feature and bin, the sums of gradients and hessians and the count of the
 * node's samples that fall in it. One Float64Array per node, laid out [feature][bin][gradient, hessian,
 * count]; buffers come from a pool, so growing trees allocates no histogram memory after the first few nodes.
 */

/** Slots per bin: sum of gradients, sum of hessians, count. */
export const SLOTS = 3;

/**
 * Samples per block: the block's gradients, hessians and indices stay in the L1 cache while every feature
 * reads them, which measured about twice as fast as one pass over all samples per feature.
 */
export const BLOCK = 2048;

export interface HistogramPool {
  /** A buffer of the pool's size; its contents are stale until a build or subtraction overwrites them. */
  acquire(): Float64Array;
  release(histogram: Float64Array): void;
}

export function createHistogramPool(featureCount: number, binsPerFeature: number): HistogramPool {
  const free: Float64Array[] = [];
  const size = featureCount * binsPerFeature * SLOTS;
  return {
    acquire: () => free.pop() ?? new Float64Array(size),
    release: (histogram) => {
      free.push(histogram);
    },
  };
}

/** A second thread that sums the second half of a node's samples (histogram-worker.ts). */
export interface HistogramWorker {
  /** Where the worker writes its half: a full histogram. */
  readonly output: Float64Array;
  /**
   * Starts partitioning samples [start, stop) of the shared partition as partitionRange does, on the node's
   * split: feature column offset, bin, the missing-values bin and the side missing values go (1 left).
   */
  startPartition(start: number, stop: number, column: number, bin: number, missingBin: number, missingLeft: number): void;
  /** Blocks until the partition started last is done; returns how many of its samples went left. */
  waitPartition(): number;
  /**
   * Starts summing samples [start, stop) of the shared partition (`indexed`) or rows [start, stop) in order,
   * reading the shared gradients and hessians from `gradientOffset` (the class's block).
   */
  start(indexed: boolean, start: number, stop: number, gradientOffset: number): void;
  /** Blocks until the build started last is done. */
  wait(): void;
}

/**
 * Large data sums every histogram as two halves of the node's samples, the second on a worker thread (or,
 * without one, into `scratch` on this thread), then adds them. The halves are the same with or without the
 * worker, so the model is the same bit for bit on any number of cores.
 */
export interface HistogramHalves {
  readonly worker: HistogramWorker | null;
  readonly scratch: Float64Array;
}

/** What every histogram build of one tree reads. */
export interface HistogramSource {
  /** Column-major bins, rowCount per feature. */
  readonly binned: Uint8Array;
  /** The same bins row-major (featureCount per row), for nodes read through the partition; or null. */
  readonly binnedRows: Uint8Array | null;
  readonly rowCount: number;
  readonly featureCount: number;
  readonly binsPerFeature: number;
  /** The tree's class's gradients and hessians, rowCount long; hessians are all ones for squared error. */
  readonly gradients: Float32Array;
  readonly hessians: Float32Array;
  /** Where `gradients` starts in the shared array of every class (the worker reads that array). */
  readonly gradientOffset: number;
  /** Scratch for gradients and hessians in partition order, rowCount long. */
  readonly orderedGradients: Float32Array;
  readonly orderedHessians: Float32Array;
  /** Two-halves summing for large data, or null to sum each node in one pass. */
  readonly halves: HistogramHalves | null;
}

/**
 * Fills `histogram` from the samples `indices[start..stop)`. `indices` of null means rows start..stop in
 * order (the root without subsampling), which skips the indirection.
 */
export function buildHistogram(histogram: Float64Array, source: HistogramSource, indices: Uint32Array | null, start: number, stop: number): void {
  const { halves } = source;
  if (halves === null) {
    sumRange(histogram, source, indices, start, stop);
    return;
  }
  const middle = start + ((stop - start) >> 1);
  halves.worker?.start(indices !== null, middle, stop, source.gradientOffset);
  sumRange(histogram, source, indices, start, middle);
  let other = halves.scratch;
  if (halves.worker) {
    halves.worker.wait();
    other = halves.worker.output;
  } else {
    sumRange(other, source, indices, middle, stop);
  }
  for (let i = 0; i < histogram.length; i++) histogram[i] += other[i];
}

function sumRange(histogram: Float64Array, source: HistogramSource, indices: Uint32Array | null, start: number, stop: number): void {
  const { binned, binnedRows, rowCount, featureCount, binsPerFeature, gradients, hessians, orderedGradients, orderedHessians } = source;
  accumulateRange(histogram, binned, binnedRows, rowCount, featureCount, binsPerFeature * SLOTS, indices, start, stop, gradients, hessians, orderedGradients, orderedHessians, BLOCK);
}

/**
 * Sets `hist` to the sums of samples [start, stop): gathers their gradients and hessians into the ordered
 * scratch at the same positions (so two threads summing disjoint ranges never share a slot), then adds them
 * feature by feature.
 *
 * This function and the ones below it are also the histogram worker's code (histogram-worker.ts sends their
 * source), so they use nothing but their arguments.
 */
export function accumulateRange(
  hist: Float64Array,
  binned: Uint8Array,
  binnedRows: Uint8Array | null,
  rowCount: number,
  featureCount: number,
  featureSize: number,
  indices: Uint32Array | null,
  start: number,
  stop: number,
  gradients: Float32Array,
  hessians: Float32Array,
  orderedGradients: Float32Array,
  orderedHessians: Float32Array,
  block: number,
): void {
  hist.fill(0);
  if (indices !== null && binnedRows !== null) {
    accumulateRows(hist, binnedRows, featureCount, featureSize, indices, start, stop, gradients, hessians);
    return;
  }
  const count = stop - start;
  let g = gradients.subarray(start, stop);
  let h = hessians.subarray(start, stop);
  if (indices !== null) {
    g = orderedGradients.subarray(start, stop);
    h = orderedHessians.subarray(start, stop);
    for (let i = start; i < stop; i++) {
      const s = indices[i];
      g[i - start] = gradients[s];
      h[i - start] = hessians[s];
    }
  }
  accumulateFeatures(hist, binned, rowCount, featureSize, indices, start, g, h, count, 0, featureCount, block);
}

/**
 * Adds features [first, end) of `count` samples to `hist` (which must hold zeros there): g[i], h[i] are
 * sample i's gradient and hessian, its row indices[start + i] (start + i when indices is null).
 */
export function accumulateFeatures(
  hist: Float64Array,
  binned: Uint8Array,
  rowCount: number,
  featureSize: number,
  indices: Uint32Array | null,
  start: number,
  g: Float32Array,
  h: Float32Array,
  count: number,
  first: number,
  end: number,
  block: number,
): void {
  for (let from = 0; from < count; from += block) {
    const to = Math.min(count, from + block);
    let f = first;
    // Two features per pass over the block: each gradient and hessian is loaded once for both.
    for (; f + 1 < end; f += 2) {
      const a = f * featureSize;
      if (indices === null) accumulatePair(hist, a, a + featureSize, binned, f * rowCount + start, (f + 1) * rowCount + start, g, h, from, to);
      else accumulatePairIndexed(hist, a, a + featureSize, binned, f * rowCount, (f + 1) * rowCount, indices, start, g, h, from, to);
    }
    if (f < end) {
      if (indices === null) accumulate(hist, f * featureSize, binned, f * rowCount + start, g, h, from, to);
      else accumulateIndexed(hist, f * featureSize, binned, f * rowCount, indices, start, g, h, from, to);
    }
  }
}

/**
 * Adds samples indices[start..stop) row by row: one cache line of a row gives every feature's bin, where
 * reading a column per feature would touch a line per feature for each sample. Each bin still receives its
 * samples in order, so the sums are those of the column-wise loops bit for bit.
 */
export function accumulateRows(hist: Float64Array, rows: Uint8Array, featureCount: number, featureSize: number, indices: Uint32Array, start: number, stop: number, gradients: Float32Array, hessians: Float32Array): void {
  for (let i = start; i < stop; i++) {
    const s = indices[i];
    const base = s * featureCount;
    const gi = gradients[s];
    const hi = hessians[s];
    for (let f = 0, a = 0; f < featureCount; f++, a += featureSize) {
      const o = a + rows[base + f] * 3;
      hist[o] += gi;
      hist[o + 1] += hi;
      hist[o + 2] += 1;
    }
  }
}

// The loops below are the hot path of training, kept separate and monomorphic so that V8 compiles each to
// a tight loop over typed arrays.

export function accumulatePair(hist: Float64Array, a: number, b: number, binned: Uint8Array, columnA: number, columnB: number, g: Float32Array, h: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const gi = g[i];
    const hi = h[i];
    const o = a + binned[columnA + i] * 3;
    hist[o] += gi;
    hist[o + 1] += hi;
    hist[o + 2] += 1;
    const p = b + binned[columnB + i] * 3;
    hist[p] += gi;
    hist[p + 1] += hi;
    hist[p + 2] += 1;
  }
}

export function accumulate(hist: Float64Array, a: number, binned: Uint8Array, column: number, g: Float32Array, h: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const o = a + binned[column + i] * 3;
    hist[o] += g[i];
    hist[o + 1] += h[i];
    hist[o + 2] += 1;
  }
}

export function accumulatePairIndexed(
  hist: Float64Array,
  a: number,
  b: number,
  binned: Uint8Array,
  columnA: number,
  columnB: number,
  indices: Uint32Array,
  start: number,
  g: Float32Array,
  h: Float32Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const s = indices[start + i];
    const gi = g[i];
    const hi = h[i];
    const o = a + binned[columnA + s] * 3;
    hist[o] += gi;
    hist[o + 1] += hi;
    hist[o + 2] += 1;
    const p = b + binned[columnB + s] * 3;
    hist[p] += gi;
    hist[p + 1] += hi;
    hist[p + 2] += 1;
  }
}

export function accumulateIndexed(hist: Float64Array, a: number, binned: Uint8Array, column: number, indices: Uint32Array, start: number, g: Float32Array, h: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const o = a + binned[column + indices[start + i]] * 3;
    hist[o] += g[i];
    hist[o + 1] += h[i];
    hist[o + 2] += 1;
  }
}

/**
 * Stable partition of samples [start, stop) on "bin <= `bin`" (missing values by `missingLeft`): the left
 * ones compacted in place from `start`, the right ones written to `scratch` from `start`; returns the left
 * count. Two threads can partition the two halves of a node at once, as their ranges are disjoint.
 */
export function partitionRange(partition: Uint32Array, scratch: Uint32Array, binned: Uint8Array, column: number, start: number, stop: number, bin: number, missingBin: number, missingLeft: number): number {
  let l = start;
  let r = start;
  for (let i = start; i < stop; i++) {
    const s = partition[i];
    const b = binned[column + s];
    // Branch-free: which side a sample goes is unpredictable, and a mispredicted branch costs more than
    // the two stores.
    const goLeft = b === missingBin ? missingLeft : +(b <= bin);
    partition[l] = s;
    scratch[r] = s;
    l += goLeft;
    r += 1 - goLeft;
  }
  return l - start;
}

/** `out` = `parent` − `child`: the sibling's histogram without touching its samples. */
export function subtractHistogram(out: Float64Array, parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = parent[i] - child[i];
}
