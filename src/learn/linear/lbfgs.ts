/**
 * Limited-memory BFGS for smooth unconstrained problems, with the stopping rules of scipy's L-BFGS-B (which
 * scikit-learn's lbfgs solver calls): the largest gradient component at most `gtol`, or a relative decrease
 * of the objective at most `ftol`. The step satisfies the strong Wolfe conditions, found by bracketing and
 * cubic interpolation (Nocedal & Wright, algorithms 3.5 and 3.6).
 */

/** Returns f(x) and writes ∇f(x) into `grad` (every entry). Must not keep `x` or `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  readonly maxIter: number;
  readonly gtol: number;
  /** Relative-decrease stop; scipy's default, 2.22e-9 (factr 1e7 × machine epsilon). */
  readonly ftol?: number;
  /** Number of correction pairs kept; scipy's default is 10. */
  readonly memory?: number;
  readonly onIteration?: (iteration: number, f: number) => void;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly iterations: number;
  readonly evaluations: number;
  /** False when the iteration budget ran out or no acceptable step could be found. */
  readonly converged: boolean;
}

const SCIPY_FTOL = 2.220446049250313e-9;
const C1 = 1e-4;
const C2 = 0.9;
const MAX_LINE_SEARCH = 30;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db), kept inside the middle 80% of [a, b]. */
function cubicStep(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const margin = 0.1 * (hi - lo);
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const d2sq = d1 * d1 - da * db;
  let t = (a + b) / 2;
  if (d2sq >= 0) {
    const d2 = Math.sign(b - a) * Math.sqrt(d2sq);
    const candidate = b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
    if (Number.isFinite(candidate)) t = candidate;
  }
  return Math.min(Math.max(t, lo + margin), hi - margin);
}

interface Trial {
  step: number;
  f: number;
  slope: number;
}

/**
 * Finds a step along `dir` from (x, f, slope0) meeting the strong Wolfe conditions; on success `xOut`/`gOut`
 * hold the accepted point. Returns the trial, or undefined when no step gives sufficient decrease.
 */
function lineSearch(
  objective: Objective,
  x: Float64Array,
  f: number,
  slope0: number,
  dir: Float64Array,
  initialStep: number,
  xOut: Float64Array,
  gOut: Float64Array,
  counter: { evaluations: number },
): Trial | undefined {
  const evaluate = (step: number): Trial => {
    for (let i = 0; i < x.length; i++) xOut[i] = x[i] + step * dir[i];
    const value = objective(xOut, gOut);
    counter.evaluations++;
    return { step, f: value, slope: dot(gOut, dir) };
  };
  const sufficient = (t: Trial) => Number.isFinite(t.f) && t.f <= f + C1 * t.step * slope0;
  const curvature = (t: Trial) => Math.abs(t.slope) <= -C2 * slope0;

  let prev: Trial = { step: 0, f, slope: slope0 };
  let step = initialStep;
  let lo: Trial | undefined;
  let hi: Trial | undefined;
  for (let i = 0; i < MAX_LINE_SEARCH; i++) {
    const t = evaluate(step);
    if (!sufficient(t) || (i > 0 && t.f >= prev.f)) {
      lo = prev;
      hi = t;
      break;
    }
    if (curvature(t)) return t;
    if (t.slope >= 0) {
      lo = t;
      hi = prev;
      break;
    }
    prev = t;
    step *= 4;
  }
  if (!lo || !hi) return undefined;

  for (let i = 0; i < MAX_LINE_SEARCH; i++) {
    // A non-finite value at `hi` (overflow far along the line) gives no cubic; bisect then.
    const mid = Number.isFinite(hi.f) && Number.isFinite(hi.slope) ? cubicStep(lo.step, lo.f, lo.slope, hi.step, hi.f, hi.slope) : (lo.step + hi.step) / 2;
    if (Math.abs(hi.step - lo.step) <= 1e-16 * Math.max(1, Math.abs(lo.step))) break;
    const t = evaluate(mid);
    if (!sufficient(t) || t.f >= lo.f) {
      hi = t;
      continue;
    }
    if (curvature(t)) return t;
    if (t.slope * (hi.step - lo.step) >= 0) hi = lo;
    lo = t;
  }
  // No Wolfe step; the best point with sufficient decrease still makes progress.
  if (lo.step === 0) return undefined;
  return evaluate(lo.step);
}

/** Minimises `objective` from `x0` (left unchanged). */
export function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const memory = options.memory ?? 10;
  const ftol = options.ftol ?? SCIPY_FTOL;
  const counter = { evaluations: 1 };
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = objective(x, g);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const dir = new Float64Array(n);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  let head = 0;
  let count = 0;

  if (maxAbs(g) <= options.gtol) return { x, f, iterations: 0, evaluations: counter.evaluations, converged: true };
  let converged = false;
  let iteration = 0;
  while (iteration < options.maxIter) {
    // Two-loop recursion: dir = -H·g with H from the last `count` pairs, scaled by s'y / y'y.
    for (let i = 0; i < n; i++) dir[i] = -g[i];
    for (let k = 0; k < count; k++) {
      const j = (head - 1 - k + memory) % memory;
      const a = rho[j] * dot(s[j], dir);
      alpha[j] = a;
      const yj = y[j];
      for (let i = 0; i < n; i++) dir[i] -= a * yj[i];
    }
    if (count > 0) {
      const j = (head - 1 + memory) % memory;
      const gamma = 1 / (rho[j] * dot(y[j], y[j]));
      for (let i = 0; i < n; i++) dir[i] *= gamma;
    }
    for (let k = count - 1; k >= 0; k--) {
      const j = (head - 1 - k + memory) % memory;
      const b = rho[j] * dot(y[j], dir);
      const sj = s[j];
      const coef = alpha[j] - b;
      for (let i = 0; i < n; i++) dir[i] += coef * sj[i];
    }
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (lost curvature): restart from steepest descent.
      count = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i];
      slope = dot(g, dir);
    }
    // Without curvature pairs the direction is -g: a first step of length 1, as scipy takes.
    const initialStep = count === 0 ? 1 / Math.sqrt(-slope) : 1;
    const trial = lineSearch(objective, x, f, slope, dir, initialStep, xNew, gNew, counter);
    if (!trial) break;
    iteration++;

    const slot = head;
    const sv = (s[slot] ??= new Float64Array(n));
    const yv = (y[slot] ??= new Float64Array(n));
    for (let i = 0; i < n; i++) {
      sv[i] = xNew[i] - x[i];
      yv[i] = gNew[i] - g[i];
    }
    const sy = dot(sv, yv);
    // Keep the pair only when it carries positive curvature, so the implied Hessian stays positive definite.
    if (sy > 2.220446049250313e-16 * dot(yv, yv)) {
      rho[slot] = 1 / sy;
      head = (head + 1) % memory;
      count = Math.min(count + 1, memory);
    }
    const previous = f;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = trial.f;
    options.onIteration?.(iteration, f);
    if (maxAbs(g) <= options.gtol || (previous - f) <= ftol * Math.max(Math.abs(previous), Math.abs(f), 1)) {
      converged = true;
      break;
    }
  }
  return { x, f, iterations: iteration, evaluations: counter.evaluations, converged };
}
