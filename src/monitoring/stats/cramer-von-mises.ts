/**
 * The two-sample Cramér–von Mises test with scipy.stats.cramervonmises_2samp's semantics: T from the midranks
 * of both samples in the pooled one; the exact p-value when neither sample has more than 20 values (Xiao,
 * Gordon and Yakovlev's recursion over the frequency tables of Anderson's statistic), else the asymptotic one
 * (Csörgő and Faraway's series, with scipy's rule for where to stop it).
 */
import { KeelError } from "../../core/errors.js";
import { compensatedSum } from "./binning.js";
import { sortedWithoutNaN } from "./radix-sort.js";
import type { StatTestResult } from "./types.js";

export type CvmMethod = "exact" | "asymptotic";

export interface CvmResult extends StatTestResult {
  readonly pValue: number;
  readonly method: CvmMethod;
}

/** Largest sample size for which scipy's "auto" computes the exact p-value. */
export const CVM_MAX_EXACT_N = 20;

/** Midranks (1-based, ties averaged) of sorted x and sorted y in their pooled sample. */
function midranks(x: Float64Array, y: Float64Array): { rx: Float64Array; ry: Float64Array } {
  const n = x.length + y.length;
  const rx = new Float64Array(x.length);
  const ry = new Float64Array(y.length);
  let i = 0;
  let j = 0;
  let position = 0;
  while (position < n) {
    const value = i < x.length && (j >= y.length || x[i] <= y[j]) ? x[i] : y[j];
    let ci = i;
    let cj = j;
    while (ci < x.length && x[ci] === value) ci++;
    while (cj < y.length && y[cj] === value) cj++;
    const count = ci - i + (cj - j);
    const rank = position + (count + 1) / 2;
    for (let k = i; k < ci; k++) rx[k] = rank;
    for (let k = j; k < cj; k++) ry[k] = rank;
    position += count;
    i = ci;
    j = cj;
  }
  return { rx, ry };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Python's float floor division (CPython's float_floor_div), so the exact test's threshold is scipy's. */
function pythonFloorDiv(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0;
  let floor = Math.floor(div);
  if (div - floor > 0.5) floor += 1;
  return floor;
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

/** P(U >= u) under the null for samples of m and n values, counted over every arrangement of the pooled ranks. */
function exactPValue(u: number, m: number, n: number): number {
  const lcm = (m * n) / gcd(m, n);
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = pythonFloorDiv(lcm ** 2 * (m + n) * (6 * u - mn * (4 * mn - 1)), 6 * mn ** 2);
  // gs[v]: how many lattice paths reach (u, v) with each value of the partial sum, as value → count.
  let gs: Map<number, number>[] = [new Map([[0, 1]]), ...Array.from({ length: m }, () => new Map<number, number>())];
  for (let row = 0; row <= n; row++) {
    const next: Map<number, number>[] = [];
    let carried = new Map<number, number>();
    gs.forEach((g, v) => {
      const merged = new Map<number, number>();
      const step = (a * v - b * row) ** 2;
      for (const [value, count] of carried) merged.set(value + step, count);
      for (const [value, count] of g) merged.set(value + step, (merged.get(value + step) ?? 0) + count);
      next.push(merged);
      carried = merged;
    });
    gs = next;
  }
  let at = 0;
  for (const [value, count] of gs[m]) if (value >= zeta) at += count;
  return at / binomial(m + n, m);
}

/**
 * K_ν(q), the modified Bessel function of the second kind, from ∫₀^∞ exp(−q·cosh t)·cosh(νt) dt by the
 * trapezoid rule, which converges geometrically for this analytic, doubly exponentially decaying integrand.
 */
export function besselK(nu: number, q: number): number {
  const h = 0.01;
  // Kahan summation: a thousand terms summed plainly lose about 1e-14, which the far tail's 1 − cdf would show.
  let sum = 0.5 * Math.exp(-q);
  let compensation = 0;
  for (let i = 1; ; i++) {
    const t = i * h;
    const term = Math.exp(-q * Math.cosh(t)) * Math.cosh(nu * t);
    const y = term - compensation;
    const next = sum + y;
    compensation = next - sum - y;
    sum = next;
    if (term < sum * 1e-18) break;
  }
  return sum * h;
}

/** The limiting distribution function of T, summed until a term drops below 1e-7, as scipy's _cdf_cvm_inf. */
function cdfCvmInf(x: number): number {
  let total = 0;
  // Γ(k + 1/2) / Γ(k + 1), updated term by term.
  let gammaRatio = Math.sqrt(Math.PI);
  for (let k = 0; ; k++) {
    const u = gammaRatio / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const z = u * Math.sqrt(y) * Math.exp(-q) * besselK(0.25, q);
    total += z;
    if (Math.abs(z) < 1e-7) return total;
    gammaRatio *= (k + 0.5) / (k + 1);
  }
}

/**
 * scipy.stats.cramervonmises_2samp(reference, current) with method "auto". NaN values are dropped first.
 * @throws KeelError INVALID_PARAMETER_VALUE when a sample has fewer than two values.
 * @example
 * const { statistic, pValue } = cramerVonMises2Samp(trainAges, todayAges);
 */
export function cramerVonMises2Samp(reference: Float64Array, current: Float64Array): CvmResult {
  const x = sortedWithoutNaN(reference);
  const y = sortedWithoutNaN(current);
  if (x.length <= 1 || y.length <= 1) {
    throw new KeelError("INVALID_PARAMETER_VALUE", `the Cramér–von Mises test needs at least two values in each sample (got ${x.length} and ${y.length})`);
  }
  const nx = x.length;
  const ny = y.length;
  const { rx, ry } = midranks(x, y);
  const u = nx * compensatedSum(rx.map((r, i) => (r - (i + 1)) ** 2)) + ny * compensatedSum(ry.map((r, j) => (r - (j + 1)) ** 2));
  const k = nx * ny;
  const N = nx + ny;
  const statistic = u / (k * N) - (4 * k - 1) / (6 * N);
  if (Math.max(nx, ny) <= CVM_MAX_EXACT_N) return { statistic, pValue: exactPValue(u, nx, ny), method: "exact" };
  const et = (1 + 1 / N) / 6;
  const vt = ((N + 1) * (4 * k * N - 3 * (nx ** 2 + ny ** 2) - 2 * k)) / (45 * N ** 2 * 4 * k);
  const tn = 1 / 6 + (statistic - et) / Math.sqrt(45 * vt);
  const pValue = tn < 0.003 ? 1 : Math.max(0, 1 - cdfCvmInf(tn));
  return { statistic, pValue, method: "asymptotic" };
}
