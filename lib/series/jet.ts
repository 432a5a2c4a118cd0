/**
 * Univariate truncated Taylor series ("jets"): `u[k]` is the coefficient of h^k in u(a + h).
 *
 * Every elementary function is applied by the recurrence that follows from its differential
 * equation (e.g. `tanh' = 1 − tanh²`), so the coefficients are exact up to float64 rounding, at
 * any centre and any order, with no finite differences.
 *
 * @module
 */

/** A jet of order K: K + 1 coefficients of h^0 … h^K. */
export type Jet = Float64Array;

/** The jet of the identity at `a`: a + h. */
export function variableJet(a: number, order: number): Jet {
  const j = new Float64Array(order + 1);
  j[0] = a;
  if (order >= 1) j[1] = 1;
  return j;
}

/** Product of two jets of the same order (Cauchy product, truncated). */
export function jetMul(a: Jet, b: Jet): Jet {
  const K = a.length - 1;
  const out = new Float64Array(K + 1);
  for (let k = 0; k <= K; k++) {
    let s = 0;
    for (let i = 0; i <= k; i++) s += a[i] * b[k - i];
    out[k] = s;
  }
  return out;
}

/** `c + s·a` elementwise on a jet (affine map of the value). */
export function jetAffine(a: Jet, scale: number, shift: number): Jet {
  const out = a.map((v) => v * scale);
  out[0] += shift;
  return out;
}

/**
 * Solves y' = z · u' for y given y0, where z depends on y through `zOf(y, m)` (the m-th
 * coefficient of z computed from y[0..m]). This is the common recurrence
 * `k·y_k = Σ_{j=1..k} j·u_j·z_{k−j}`.
 */
function odeJet(u: Jet, y0: number, zOf: (y: Jet, m: number) => number): Jet {
  const K = u.length - 1;
  const y = new Float64Array(K + 1);
  const z = new Float64Array(K + 1);
  y[0] = y0;
  for (let k = 1; k <= K; k++) {
    z[k - 1] = zOf(y, k - 1);
    let s = 0;
    for (let j = 1; j <= k; j++) s += j * u[j] * z[k - j];
    y[k] = s / k;
  }
  return y;
}

/** Coefficient m of y² for a jet y (uses y[0..m]). */
function squareCoefficient(y: Jet, m: number): number {
  let s = 0;
  for (let i = 0; i <= m; i++) s += y[i] * y[m - i];
  return s;
}

/** exp of a jet. */
export function jetExp(u: Jet): Jet {
  const K = u.length - 1;
  const y = new Float64Array(K + 1);
  y[0] = Math.exp(u[0]);
  for (let k = 1; k <= K; k++) {
    let s = 0;
    for (let j = 1; j <= k; j++) s += j * u[j] * y[k - j];
    y[k] = s / k;
  }
  return y;
}

/** tanh of a jet, from tanh' = 1 − tanh². */
export function jetTanh(u: Jet): Jet {
  return odeJet(u, Math.tanh(u[0]), (y, m) => (m === 0 ? 1 : 0) - squareCoefficient(y, m));
}

/** Logistic sigmoid of a jet, from σ' = σ − σ². */
export function jetSigmoid(u: Jet): Jet {
  return odeJet(u, sigmoid(u[0]), (y, m) => y[m] - squareCoefficient(y, m));
}

/** softplus = log(1 + e^u) of a jet, from softplus' = σ. */
export function jetSoftplus(u: Jet): Jet {
  const s = jetSigmoid(u);
  return odeJet(u, softplus(u[0]), (_y, m) => s[m]);
}

/** sin and cos of a jet together, from sin' = cos, cos' = −sin. */
export function jetSinCos(u: Jet): [Jet, Jet] {
  const K = u.length - 1;
  const s = new Float64Array(K + 1);
  const c = new Float64Array(K + 1);
  s[0] = Math.sin(u[0]);
  c[0] = Math.cos(u[0]);
  for (let k = 1; k <= K; k++) {
    let ss = 0, cc = 0;
    for (let j = 1; j <= k; j++) {
      ss += j * u[j] * c[k - j];
      cc -= j * u[j] * s[k - j];
    }
    s[k] = ss / k;
    c[k] = cc / k;
  }
  return [s, c];
}

/** erf of a jet, from erf' = (2/√π)·exp(−u²). */
export function jetErf(u: Jet): Jet {
  const e = jetExp(jetMul(u, u).map((v) => -v));
  const z = e.map((v) => v * (2 / Math.sqrt(Math.PI)));
  return odeJet(u, erf(u[0]), (_y, m) => z[m]);
}

/** Logistic sigmoid 1/(1 + e^−x), stable for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** softplus log(1 + e^x), stable for large |x|. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * The error function to about 1e-15: power series for |x| ≤ 2.5, continued fraction of erfc beyond.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax <= 2.5) {
    let term = x, sum = x;
    const x2 = x * x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) evaluated by modified Lentz.
  const tiny = 1e-300;
  let f = ax, c = ax, d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = ax + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x > 0 ? 1 - erfc : erfc - 1;
}
