/**
 * numpy's summation order, copied so that Keel's metrics round exactly as scikit-learn's do. Rounding order
 * rarely matters, but where a metric divides by a difference of sums (R² of a constant target whose mean numpy
 * does not compute exactly) it decides the answer, and matching numpy there costs nothing.
 */

/** numpy's buffer size: a contiguous float64 reduction is summed pairwise in chunks of this many elements. */
const NUMPY_BUFFER_SIZE = 8192;
/** numpy's PW_BLOCKSIZE: below it, pairwise summation unrolls into eight running sums. */
const PAIRWISE_BLOCK = 128;

/** numpy's pairwise_sum (numpy/core/src/umath/loops_utils.h.src) over values[offset + i * stride], i < count. */
function pairwiseSum(values: ArrayLike<number>, offset: number, count: number, stride: number): number {
  if (count < 8) {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += values[offset + i * stride];
    return sum;
  }
  if (count <= PAIRWISE_BLOCK) {
    let r0 = values[offset];
    let r1 = values[offset + stride];
    let r2 = values[offset + 2 * stride];
    let r3 = values[offset + 3 * stride];
    let r4 = values[offset + 4 * stride];
    let r5 = values[offset + 5 * stride];
    let r6 = values[offset + 6 * stride];
    let r7 = values[offset + 7 * stride];
    let i = 8;
    for (; i < count - (count % 8); i += 8) {
      const at = offset + i * stride;
      r0 += values[at];
      r1 += values[at + stride];
      r2 += values[at + 2 * stride];
      r3 += values[at + 3 * stride];
      r4 += values[at + 4 * stride];
      r5 += values[at + 5 * stride];
      r6 += values[at + 6 * stride];
      r7 += values[at + 7 * stride];
    }
    let sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < count; i++) sum += values[offset + i * stride];
    return sum;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseSum(values, offset, half, stride) + pairwiseSum(values, offset + half * stride, count - half, stride);
}

/**
 * `np.sum` of `count` values starting at `offset`, `stride` apart: what numpy computes for a 1-D float64 array
 * or for one row of a C-ordered matrix (`sum(axis=1)`). Column sums of a matrix are plain loops in numpy.
 */
export function numpySum(values: ArrayLike<number>, offset = 0, count = values.length - offset, stride = 1): number {
  let sum = 0;
  for (let start = 0; start < count; start += NUMPY_BUFFER_SIZE) {
    sum += pairwiseSum(values, offset + start * stride, Math.min(NUMPY_BUFFER_SIZE, count - start), stride);
  }
  return sum;
}

/** `np.average(values, weights=weights)`: the mean, or sum(values × weights) / sum(weights). */
export function numpyAverage(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  if (weights === undefined) return numpySum(values) / values.length;
  const products = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) products[i] = values[i] * weights[i];
  return numpySum(products) / numpySum(weights);
}
