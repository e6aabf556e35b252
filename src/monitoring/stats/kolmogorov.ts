/**
 * Survival function of the two-sided one-sample Kolmogorov statistic D_n, P(D_n > x), following the choice of
 * algorithm scipy.stats.kstwo.sf makes (Simard & L'Ecuyer 2011): closed forms at the ends, the exact one-sided
 * Smirnov sum where 2·P(D_n^+ > x) is exact or accurate, the Durbin matrix (Marsaglia–Tsang–Wang) for small
 * n·x^1.5, and the Pelz–Good expansion otherwise. ks_2samp's asymptotic p-value is this with n = round(en).
 */
import { logGamma } from "./special-functions.js";

const SCALE_EXP = 128;
const SCALE_UP = 2 ** SCALE_EXP;
const SCALE_DOWN = 2 ** -SCALE_EXP;
const MIN_LOG = -708;
const PI2 = Math.PI * Math.PI;
const PI4 = PI2 * PI2;
const PI6 = PI4 * PI2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

const clip01 = (p: number): number => Math.min(1, Math.max(0, p));

/** ln(n! / n^n) by Stirling with n·ln n removed first, so nothing cancels. */
function logFactorialOverPower(n: number): number {
  const r = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (r * r) + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + r * poly;
}

/** Exact one-sided Smirnov tail P(D_n^+ >= e) by the Birnbaum–Tingey sum, terms in logs. */
export function smirnovSf(n: number, e: number): number {
  if (e <= 0) return 1;
  if (e >= 1) return 0;
  const last = Math.floor(n * (1 - e));
  const logNFact = logGamma(n + 1);
  let sum = 0;
  for (let v = 0; v <= last; v++) {
    const evn = e + v / n;
    const rest = 1 - evn;
    if (rest <= 0) continue;
    const logTerm =
      logNFact - logGamma(v + 1) - logGamma(n - v + 1) + (v - 1) * Math.log(evn) + (n - v) * Math.log(rest);
    const term = Math.exp(logTerm);
    sum += term;
    // Terms fall off geometrically once past the peak; stop when they no longer change the sum.
    if (v > 2 && term < sum * 1e-18) break;
  }
  return clip01(sum * e);
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += aik * b[k * m + j];
    }
  }
  return out;
}

/** Durbin matrix CDF P(D_n <= d), with powers of two kept aside so H^n neither overflows nor underflows. */
export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  v[m - 1] = (1 + Math.max(2 * h - 1, 0) ** m - 2 * h ** m) * fac;
  let hm: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) hm[r * m + i] = w[r - i + 1];
  for (let r = 0; r < m; r++) hm[r * m] = v[r];
  for (let c = 0; c < m; c++) hm[(m - 1) * m + c] = v[m - 1 - c];

  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  while (nn > 0) {
    if (nn % 2 === 1) {
      power = matmul(power, hm, m);
      expnt += hExpnt;
    }
    hm = matmul(hm, hm, m);
    hExpnt *= 2;
    if (Math.abs(hm[(k - 1) * m + (k - 1)]) > SCALE_UP) {
      for (let i = 0; i < hm.length; i++) hm[i] /= SCALE_UP;
      hExpnt += SCALE_EXP;
    }
    nn = Math.floor(nn / 2);
  }
  let p = power[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      expnt -= SCALE_EXP;
    }
  }
  return clip01(p * 2 ** expnt);
}

/** Pelz–Good asymptotic expansion of P(D_n > x) (four terms in 1/sqrt(n)). */
export function kolmogorovSfPelzGood(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 1;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const terms = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const qp = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m4 * m2];
    for (let i = 0; i < 4; i++) terms[i] = terms[i] * qp + coeffs[i];
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) terms[i] = (terms[i] * q * SQRT_2PI) / divisors[i];
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qk = q ** k2;
    k2extra += k2 * qk;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k2 * qk;
  }
  terms[2] += (k2extra * PI2 * SQRT_2PI) / (-36 * z ** 3);
  terms[3] += (k3extra * PI2 * SQRT_2PI) / (216 * z6);
  let sf = 1;
  for (let i = 0; i < 4; i++) sf -= terms[i] / n ** (i / 2);
  return sf;
}

/** P(D_n > x) for the two-sided one-sample Kolmogorov statistic, n a positive integer. */
export function kolmogorovSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    // Durbin's matrix is exact, so it stands in for Pomeranz's recursion that scipy uses for 0.754693 < nx² <= 4.
    if (nx2 <= 4) return clip01(1 - kolmogorovCdfDurbin(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnovSf(n, x));
  if (n <= 100000 && n * x ** 1.5 <= 1.4) return clip01(1 - kolmogorovCdfDurbin(n, x));
  return clip01(kolmogorovSfPelzGood(n, x));
}
