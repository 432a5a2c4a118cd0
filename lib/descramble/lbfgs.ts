/**
 * Limited-memory BFGS (two-loop recursion, memory m, H₀ = sᵀy/yᵀy) with a strong-Wolfe line search
 * (sufficient decrease c₁ = 10⁻³, curvature c₂ = 0.9, cubic interpolation), configured like SciPy's
 * L-BFGS-B without bounds so that the paper's optimiser can be compared with the fixtures' SciPy
 * figures. Written here rather than taken from npm: no maintained JavaScript L-BFGS offers
 * Float64Array state, SciPy's stopping rules and a per-iteration trace.
 *
 * @module
 */

/** Objective: returns f(x) and writes ∇f(x) into g. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

/** Options of {@link lbfgs}. */
export interface LbfgsOptions {
  /** Correction pairs kept (default 10, as SciPy). */
  memory?: number;
  /** Iteration limit (default 20,000). */
  maxIterations?: number;
  /** Stop when max|gᵢ| ≤ gtol (default 1e-13). */
  gtol?: number;
  /** Stop when (f_old − f)/max(|f_old|, |f|, 1) ≤ ftol (default 0: only when f stops decreasing). */
  ftol?: number;
  /** Called after every iteration with (iteration, f); return true to stop. */
  onIteration?: (iteration: number, f: number) => boolean | void;
}

/** Why {@link lbfgs} stopped. */
export type LbfgsStop = "gtol" | "ftol" | "max-iterations" | "line-search" | "callback";

/** Result of {@link lbfgs}. */
export interface LbfgsResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly stop: LbfgsStop;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Minimiser of the cubic through (a, fa, da), (b, fb, db), or NaN when it has none. */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
}

/**
 * Minimises f from x0. The first step has length 1/‖g‖ along −g, later steps start at 1.
 *
 * @example
 * ```ts
 * const r = lbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2; }, new Float64Array(1));
 * // r.x[0] ≈ 3
 * ```
 */
export function lbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const m = options.memory ?? 10;
  const maxIterations = options.maxIterations ?? 20000;
  const gtol = options.gtol ?? 1e-13;
  const ftol = options.ftol ?? 0;
  const c1 = 1e-3;
  const c2 = 0.9;
  const n = x0.length;
  let x: Float64Array = x0.slice();
  let g: Float64Array = new Float64Array(n);
  let f = objective(x, g);
  let evaluations = 1;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const xt = new Float64Array(n);
  let gt: Float64Array = new Float64Array(n);
  const alphaBuf = new Float64Array(m);
  let iterations = 0;
  if (maxAbs(g) <= gtol) return { x, f, iterations, evaluations, stop: "gtol" };

  while (true) {
    // search direction d = −H g (two-loop recursion)
    d.set(g);
    for (let i = S.length - 1; i >= 0; i--) {
      const a = rho[i] * dot(S[i], d);
      alphaBuf[i] = a;
      const y = Y[i];
      for (let j = 0; j < n; j++) d[j] -= a * y[j];
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let j = 0; j < n; j++) d[j] *= gamma;
    }
    for (let i = 0; i < S.length; i++) {
      const b = rho[i] * dot(Y[i], d);
      const s = S[i];
      const a = alphaBuf[i];
      for (let j = 0; j < n; j++) d[j] += (a - b) * s[j];
    }
    for (let j = 0; j < n; j++) d[j] = -d[j];
    let d0 = dot(g, d);
    if (!(d0 < 0)) {
      // not a descent direction (rounding): restart from steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let j = 0; j < n; j++) d[j] = -g[j];
      d0 = dot(g, d);
    }
    const firstStep = S.length === 0 ? 1 / Math.sqrt(dot(d, d)) : 1;

    // strong-Wolfe line search on φ(a) = f(x + a d)
    const phi = (a: number): [number, number] => {
      for (let j = 0; j < n; j++) xt[j] = x[j] + a * d[j];
      const fa = objective(xt, gt);
      evaluations++;
      return [fa, dot(gt, d)];
    };
    let accepted: { a: number; f: number; x: Float64Array; g: Float64Array } | undefined;
    const take = (a: number, fa: number) => {
      accepted = { a, f: fa, x: xt.slice(), g: gt };
      gt = new Float64Array(n);
    };
    const zoom = (lo: number, flo: number, dlo: number, hi: number, fhi: number, dhi: number) => {
      for (let it = 0; it < 40; it++) {
        let a = cubicMinimizer(lo, flo, dlo, hi, fhi, dhi);
        const w = hi - lo;
        const left = Math.min(lo + 0.1 * w, lo + 0.9 * w);
        const right = Math.max(lo + 0.1 * w, lo + 0.9 * w);
        if (!(a >= left && a <= right)) a = lo + 0.5 * w;
        if (Math.abs(w) <= 1e-16 * Math.max(1, Math.abs(lo))) return;
        const [fa, da] = phi(a);
        if (fa > f + c1 * a * d0 || fa >= flo) {
          hi = a;
          fhi = fa;
          dhi = da;
        } else {
          if (Math.abs(da) <= -c2 * d0) return take(a, fa);
          if (da * (hi - lo) >= 0) {
            hi = lo;
            fhi = flo;
            dhi = dlo;
          }
          // keep the best sufficient-decrease point in case the bracket collapses
          take(a, fa);
          lo = a;
          flo = fa;
          dlo = da;
        }
      }
    };
    let aPrev = 0;
    let fPrev = f;
    let dPrev = d0;
    let a = firstStep;
    for (let it = 0; it < 40; it++) {
      const [fa, da] = phi(a);
      if (fa > f + c1 * a * d0 || (it > 0 && fa >= fPrev)) {
        zoom(aPrev, fPrev, dPrev, a, fa, da);
        break;
      }
      if (Math.abs(da) <= -c2 * d0) {
        take(a, fa);
        break;
      }
      if (da >= 0) {
        take(a, fa);
        zoom(a, fa, da, aPrev, fPrev, dPrev);
        break;
      }
      aPrev = a;
      fPrev = fa;
      dPrev = da;
      take(a, fa);
      a *= 4;
    }
    if (!accepted || !(accepted.f <= f)) {
      return { x, f, iterations, evaluations, stop: "line-search" };
    }
    const acc: { a: number; f: number; x: Float64Array; g: Float64Array } = accepted;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      s[j] = acc.x[j] - x[j];
      y[j] = acc.g[j] - g[j];
    }
    const fOld = f;
    x = acc.x;
    g = acc.g;
    f = acc.f;
    iterations++;
    const sy = dot(s, y);
    if (sy > 2.2e-16 * dot(y, y)) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    if (options.onIteration?.(iterations, f)) return { x, f, iterations, evaluations, stop: "callback" };
    if ((fOld - f) <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) {
      return { x, f, iterations, evaluations, stop: "ftol" };
    }
    if (maxAbs(g) <= gtol) return { x, f, iterations, evaluations, stop: "gtol" };
    if (iterations >= maxIterations) return { x, f, iterations, evaluations, stop: "max-iterations" };
  }
}
