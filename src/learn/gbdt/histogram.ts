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

/** A second thread building the histograms of features [firstFeature, featureCount) (histogram-worker.ts). */
export interface HistogramWorker {
  readonly firstFeature: number;
  /** Where the worker writes: a full-size histogram of which it fills its features only. */
  readonly output: Float64Array;
  /** Starts a build from the shared ordered gradients; `indexed` reads rows through the shared partition. */
  start(indexed: boolean, start: number, count: number): void;
  /** Blocks until the build started last is done. */
  wait(): void;
}

/** What every histogram build of one tree reads. */
export interface HistogramSource {
  /** Column-major bins, rowCount per feature. */
  readonly binned: Uint8Array;
  readonly rowCount: number;
  readonly featureCount: number;
  readonly binsPerFeature: number;
  readonly gradients: Float32Array;
  /** All ones for squared error, so the hessian slot counts samples there. */
  readonly hessians: Float32Array;
  /** Scratch for the node's gradients and hessians in partition order, rowCount long. */
  readonly orderedGradients: Float32Array;
  readonly orderedHessians: Float32Array;
  /** A worker thread sharing the upper features' work (see histogram-worker.ts), or null. */
  readonly worker: HistogramWorker | null;
}

/**
 * Fills `histogram` from the samples `indices[start..stop)`. `indices` of null means every row in order
 * (the root without subsampling), which skips the indirection. With a worker, it builds the upper half of
 * the features while this thread builds the lower half.
 */
export function buildHistogram(histogram: Float64Array, source: HistogramSource, indices: Uint32Array | null, start: number, stop: number): void {
  const { featureCount, rowCount, binned, worker } = source;
  const featureSize = source.binsPerFeature * SLOTS;
  const count = stop - start;
  let g = source.gradients;
  let h = source.hessians;
  if (indices !== null || worker) {
    g = source.orderedGradients;
    h = source.orderedHessians;
    const { gradients, hessians } = source;
    if (indices === null) {
      g.set(gradients.subarray(0, count));
      h.set(hessians.subarray(0, count));
    } else {
      for (let i = start; i < stop; i++) {
        const s = indices[i];
        g[i - start] = gradients[s];
        h[i - start] = hessians[s];
      }
    }
  }
  const split = worker ? worker.firstFeature : featureCount;
  worker?.start(indices !== null, start, count);
  histogram.fill(0, 0, split * featureSize);
  accumulateFeatures(histogram, binned, rowCount, featureSize, indices, start, g, h, count, 0, split, BLOCK);
  if (worker) {
    worker.wait();
    histogram.set(worker.output.subarray(split * featureSize, featureCount * featureSize), split * featureSize);
  }
}

/**
 * Adds features [first, end) of `count` samples to `hist` (which must hold zeros there): g[i], h[i] are
 * sample i's gradient and hessian, its row indices[start + i] (i itself when indices is null).
 *
 * This function and the four below it are also the histogram worker's code (histogram-worker.ts sends their
 * source), so they use nothing but their arguments.
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
      if (indices === null) accumulatePair(hist, a, a + featureSize, binned, f * rowCount, (f + 1) * rowCount, g, h, from, to);
      else accumulatePairIndexed(hist, a, a + featureSize, binned, f * rowCount, (f + 1) * rowCount, indices, start, g, h, from, to);
    }
    if (f < end) {
      if (indices === null) accumulate(hist, f * featureSize, binned, f * rowCount, g, h, from, to);
      else accumulateIndexed(hist, f * featureSize, binned, f * rowCount, indices, start, g, h, from, to);
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

/** `out` = `parent` − `child`: the sibling's histogram without touching its samples. */
export function subtractHistogram(out: Float64Array, parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = parent[i] - child[i];
}
