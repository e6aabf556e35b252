/**
 * The small dense solvers the least-squares learners need, on p × p symmetric matrices stored row-major:
 * Cholesky for the (usual) positive definite case, and a Jacobi eigendecomposition for the minimum-norm
 * answer when columns are collinear (one-hot encodings with an intercept make that common).
 */

/** Solves A·w = b for symmetric positive definite A; undefined when a pivot shows A is (numerically) singular. */
export function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array | undefined {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j];
    for (let k = 0; k < j; k++) d -= l[j * p + k] * l[j * p + k];
    // Relative to the original diagonal: an exactly collinear column leaves only rounding noise here.
    if (!(d > 1e-10 * a[j * p + j]) || !(d > 0)) return undefined;
    const ljj = Math.sqrt(d);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = s / ljj;
    }
  }
  const w = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * w[k];
    w[i] = s / l[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = w[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * w[k];
    w[i] = s / l[i * p + i];
  }
  return w;
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major) of symmetric A, by cyclic Jacobi rotations. */
export function symmetricEigen(a: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < p; i++) {
      diag += m[i * p + i] * m[i * p + i];
      for (let j = i + 1; j < p; j++) off += m[i * p + j] * m[i * p + j];
    }
    if (off <= 1e-32 * diag || off === 0) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = m[i * p + j];
        if (aij === 0) continue;
        const theta = (m[j * p + j] - m[i * p + i]) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const mki = m[k * p + i];
          const mkj = m[k * p + j];
          m[k * p + i] = c * mki - s * mkj;
          m[k * p + j] = s * mki + c * mkj;
        }
        for (let k = 0; k < p; k++) {
          const mik = m[i * p + k];
          const mjk = m[j * p + k];
          m[i * p + k] = c * mik - s * mjk;
          m[j * p + k] = s * mik + c * mjk;
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i];
          const vkj = v[k * p + j];
          v[k * p + i] = c * vki - s * vkj;
          v[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = m[i * p + i];
  return { values, vectors: v };
}

/**
 * The minimum-norm w minimising ||A·w - b|| for symmetric positive semi-definite A (the normal equations of a
 * rank-deficient least squares, where it equals lstsq's answer): directions with eigenvalues below 1e-12 of the
 * largest count as null.
 */
export function minimumNormSolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const { values, vectors } = symmetricEigen(a, p);
  let largest = 0;
  for (let i = 0; i < p; i++) largest = Math.max(largest, Math.abs(values[i]));
  const w = new Float64Array(p);
  for (let e = 0; e < p; e++) {
    if (!(values[e] > 1e-12 * largest)) continue;
    let proj = 0;
    for (let k = 0; k < p; k++) proj += vectors[k * p + e] * b[k];
    const scale = proj / values[e];
    for (let k = 0; k < p; k++) w[k] += scale * vectors[k * p + e];
  }
  return w;
}
