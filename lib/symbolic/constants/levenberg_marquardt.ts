/**
 * Levenberg–Marquardt for small nonlinear least-squares problems (a handful of parameters, a few
 * thousand residuals): minimise S(c) = Σ r(c)². The Jacobian is taken by forward differences
 * (one residual evaluation per parameter, relative steps); the damped normal equations
 * (JᵀJ + λ·diag(JᵀJ)) δ = −Jᵀr are solved by Cholesky; a step is kept only when S decreases, and
 * λ follows Nielsen's gain-ratio rule. No allocation per iteration beyond the first call's buffers.
 *
 * Why not `ml-levenberg-marquardt` (npm): it fits a scalar model y ≈ f(x) point by point through
 * a closure per point, with one absolute finite-difference step (default 0.1) for every parameter,
 * λ·I damping and accepted uphill steps; here the residuals come as a vector from one compiled
 * batch evaluation, the parameters differ in scale by orders of magnitude, and every evaluation
 * counts. The README's "Dependencies and why" has the measured comparison.
 *
 * @module
 */

/** Residual function: writes r(c) into `out`; false when any residual is not finite. */
export type ResidualFunction = (params: Float64Array, out: Float64Array) => boolean;

/** Options of {@link levenbergMarquardt}. */
export interface LmOptions {
  /** Maximum accepted iterations (default 20). */
  maxIterations?: number;
  /** Stop when S falls by less than this relative amount in an iteration (default 1e-10). */
  relativeTolerance?: number;
  /** Stop after this many residual evaluations (default 400). */
  maxEvaluations?: number;
}

/** Result of {@link levenbergMarquardt}. */
export interface LmResult {
  /** Best parameters found. */
  params: Float64Array;
  /** S at them (Σ r²), +∞ when the start was not finite. */
  sumOfSquares: number;
  /** Residual evaluations used. */
  evaluations: number;
  /** Accepted iterations. */
  iterations: number;
}

/** Reusable buffers of one problem size. */
export class LmWorkspace {
  /** Residual count. */
  readonly m: number;
  #k = 0;
  r: Float64Array;
  trial: Float64Array;
  jac = new Float64Array(0);
  a = new Float64Array(0);
  g = new Float64Array(0);
  l = new Float64Array(0);
  delta = new Float64Array(0);
  next = new Float64Array(0);

  constructor(m: number) {
    this.m = m;
    this.r = new Float64Array(m);
    this.trial = new Float64Array(m);
  }

  /** Sizes the per-parameter buffers for k parameters. */
  ensure(k: number): void {
    if (k === this.#k) return;
    this.#k = k;
    this.jac = new Float64Array(k * this.m);
    this.a = new Float64Array(k * k);
    this.g = new Float64Array(k);
    this.l = new Float64Array(k * k);
    this.delta = new Float64Array(k);
    this.next = new Float64Array(k);
  }
}

function sumSquares(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s;
}

/** Solves (A + λ·D) x = b for symmetric positive definite A (k × k) by Cholesky; false if not PD. */
function dampedSolve(
  a: Float64Array,
  lambda: number,
  b: Float64Array,
  k: number,
  l: Float64Array,
  x: Float64Array,
): boolean {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j];
      if (i === j) s += lambda * Math.max(a[i * k + i], 1e-12);
      for (let q = 0; q < j; q++) s -= l[i * k + q] * l[j * k + q];
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * k + i] = Math.sqrt(s);
      } else l[i * k + j] = s / l[j * k + j];
    }
  }
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let q = 0; q < i; q++) s -= l[i * k + q] * x[q];
    x[i] = s / l[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i];
    for (let q = i + 1; q < k; q++) s -= l[q * k + i] * x[q];
    x[i] = s / l[i * k + i];
  }
  return true;
}

/**
 * Minimises Σ r(c)² from `start` (not modified).
 *
 * @example
 * ```ts
 * // fit y = c0·exp(c1·t) to data
 * const res = levenbergMarquardt((c, out) => { ...; return true; }, Float64Array.of(1, -1), new LmWorkspace(m));
 * ```
 */
export function levenbergMarquardt(
  residual: ResidualFunction,
  start: Float64Array,
  ws: LmWorkspace,
  options: LmOptions = {},
): LmResult {
  const maxIterations = options.maxIterations ?? 20;
  const tolerance = options.relativeTolerance ?? 1e-10;
  const maxEvaluations = options.maxEvaluations ?? 400;
  const k = start.length;
  const m = ws.m;
  ws.ensure(k);
  const { r, trial, jac, a, g, l, delta, next } = ws;
  const x = Float64Array.from(start);
  let evaluations = 1;
  if (!residual(x, r)) return { params: x, sumOfSquares: Infinity, evaluations, iterations: 0 };
  let s = sumSquares(r);
  if (k === 0 || s === 0) return { params: x, sumOfSquares: s, evaluations, iterations: 0 };
  let lambda = 1e-3;
  let nu = 2;
  let iterations = 0;
  while (iterations < maxIterations && evaluations + k + 1 <= maxEvaluations) {
    // forward-difference Jacobian, column j at jac[j·m ..]
    for (let j = 0; j < k; j++) {
      const xj = x[j];
      let h = 1.4901161193847656e-8 * Math.max(Math.abs(xj), 1e-3);
      x[j] = xj + h;
      evaluations++;
      let ok = residual(x, trial);
      if (!ok) {
        h = -h;
        x[j] = xj + h;
        evaluations++;
        ok = residual(x, trial);
      }
      x[j] = xj;
      const col = j * m;
      if (!ok) {
        jac.fill(0, col, col + m);
        continue;
      }
      const invH = 1 / h;
      for (let i = 0; i < m; i++) jac[col + i] = (trial[i] - r[i]) * invH;
    }
    let gmax = 0;
    for (let p = 0; p < k; p++) {
      let gs = 0;
      for (let i = 0; i < m; i++) gs += jac[p * m + i] * r[i];
      g[p] = -gs;
      gmax = Math.max(gmax, Math.abs(gs));
      for (let q = 0; q <= p; q++) {
        let as = 0;
        for (let i = 0; i < m; i++) as += jac[p * m + i] * jac[q * m + i];
        a[p * k + q] = as;
        a[q * k + p] = as;
      }
    }
    if (gmax === 0) break;
    let accepted = false;
    for (let attempt = 0; attempt < 12 && evaluations < maxEvaluations; attempt++) {
      if (!dampedSolve(a, lambda, g, k, l, delta)) {
        lambda *= nu;
        nu *= 2;
        continue;
      }
      for (let p = 0; p < k; p++) next[p] = x[p] + delta[p];
      evaluations++;
      const sNew = residual(next, trial) ? sumSquares(trial) : Infinity;
      // predicted decrease δᵀ(λ·D·δ + g) with D = diag(A), g = −Jᵀr
      let predicted = 0;
      for (let p = 0; p < k; p++) {
        predicted += delta[p] * (lambda * Math.max(a[p * k + p], 1e-12) * delta[p] + g[p]);
      }
      if (sNew < s) {
        const rho = predicted > 0 ? (s - sNew) / predicted : 1;
        const shrink = 1 - Math.pow(2 * rho - 1, 3);
        lambda *= Math.max(1 / 3, Math.min(shrink, 1));
        nu = 2;
        x.set(next);
        r.set(trial);
        const decrease = (s - sNew) / s;
        s = sNew;
        accepted = true;
        iterations++;
        if (decrease < tolerance) return { params: x, sumOfSquares: s, evaluations, iterations };
        break;
      }
      lambda *= nu;
      nu *= 2;
    }
    if (!accepted) break;
  }
  return { params: x, sumOfSquares: s, evaluations, iterations };
}
