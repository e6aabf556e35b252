/**
 * Two-sample Kolmogorov–Smirnov test with scipy.stats.ks_2samp semantics (two-sided, method "auto").
 */
import { KeelError } from "../../core/errors.js";
import { kolmogorovSf } from "./kolmogorov.js";
import type { StatTestResult } from "./types.js";
import { sortedWithoutNaN } from "./radix-sort.js";

/** scipy switches from the exact to the asymptotic p-value when the larger sample exceeds this. */
export const KS_MAX_EXACT_N = 10000;

export type KsMethod = "auto" | "exact" | "asymp";

export interface Ks2SampOptions {
  /** "auto" (default): exact when max(n1, n2) <= 10000, else asymptotic — scipy's rule. */
  readonly method?: KsMethod;
}

export interface Ks2SampResult extends StatTestResult {
  readonly pValue: number;
  /** Which p-value was computed (after scipy's fallback from exact to asymptotic). */
  readonly method: "exact" | "asymp";
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** numpy's round: half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Largest positive and negative gaps of ECDF1 − ECDF2, evaluated at every observation (ties grouped). */
function ecdfGaps(a: Float64Array, b: Float64Array): { maxS: number; minS: number } {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  while (i < n1 || j < n2) {
    const x = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] <= x) i++;
    while (j < n2 && b[j] <= x) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  return { maxS, minS: Math.min(1, Math.max(0, -minS)) };
}

/** P(D_{n,n} >= h/n): scipy's Horner-like alternating sum, divided through by C(2n, n) to avoid cancellation. */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * Share of lattice paths (0,0)→(m,n) that leave the band |x/m − y/n| < h/lcm(m,n), computed directly as
 * 1 − p by Viehmann's stable recursion over one sliding column (Hodges' inside method), as scipy does.
 */
export function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1];
}

/** scipy's choice: "auto" is exact up to 10000 per sample; "exact" falls back when lcm(n1, n2) overflows int32. */
function pickMethod(requested: KsMethod, n1: number, n2: number, g: number): "exact" | "asymp" {
  if (requested === "auto") return Math.max(n1, n2) <= KS_MAX_EXACT_N ? "exact" : "asymp";
  if (requested === "exact" && n1 / g >= 2147483647 / (n2 / g)) return "asymp";
  return requested;
}

/**
 * Two-sided two-sample Kolmogorov–Smirnov test, equal to scipy.stats.ks_2samp(a, b) (statistic to 1e-12,
 * p-value to 1e-8 relative). NaN values are dropped first (as Evidently does before its tests); the inputs are
 * not modified. In exact mode the statistic is h/lcm(n1, n2), the lattice value scipy reports.
 * @throws KeelError INVALID_PARAMETER_VALUE when either sample is empty after dropping NaN.
 * @example
 * const { statistic, pValue } = ks2Samp(Float64Array.of(1, 2, 3), Float64Array.of(2, 3, 4, 5));
 */
export function ks2Samp(reference: Float64Array, current: Float64Array, options: Ks2SampOptions = {}): Ks2SampResult {
  return ks2SampSorted(sortedWithoutNaN(reference), sortedWithoutNaN(current), options);
}

/** ks2Samp() for samples already sorted ascending and free of NaN (sort a shared reference once). */
export function ks2SampSorted(a: Float64Array, b: Float64Array, options: Ks2SampOptions = {}): Ks2SampResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) {
    throw new KeelError(
      "INVALID_PARAMETER_VALUE",
      `ks_2samp needs two non-empty samples (got ${n1} and ${n2} non-NaN values); check the column is not all missing`,
    );
  }
  const { maxS, minS } = ecdfGaps(a, b);
  let d = minS > maxS ? minS : maxS;
  const g = gcd(n1, n2);
  let method = pickMethod(options.method ?? "auto", n1, n2, g);
  let prob = Number.NaN;
  if (method === "exact") {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) prob = 1;
    else prob = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    if (!(prob >= 0 && prob <= 1)) method = "asymp";
  }
  if (method === "asymp") {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    prob = kolmogorovSf(roundHalfEven((m * n) / (m + n)), d);
  }
  return { statistic: d, pValue: Math.min(1, Math.max(0, prob)), method };
}
