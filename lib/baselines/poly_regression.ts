/**
 * Polynomial regression baseline: ordinary least squares over every monomial of degree ≤ D.
 *
 * The design matrix is built from the result's own term list ({@link Terms.monomialValues}), so
 * column t is exactly the monomial labelled `terms.label(t)`. Columns are scaled to unit norm
 * (which makes the rank test independent of the inputs' units), then solved by Householder QR
 * (the LINPACK/JAMA algorithm of ml-matrix's `QrDecomposition`, on flat arrays: ~3× faster).
 * When the scaled design is numerically rank-deficient (smallest |R_ii| ≤ rcond · largest), the
 * fit falls back to the SVD minimum-norm solution and says so in `method` and `notes` (minimum norm
 * in the unit-norm-column coordinates, so the choice among equivalent fits does not depend on units).
 *
 * @example
 * ```ts
 * const fit = fitPolynomialRegression(x, y, n, 3, 2);
 * fit.polynomials[0].toString({ maxTerms: 5 });
 * ```
 *
 * @module
 */

import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { getBasis, termCount } from "../poly/basis.ts";
import { Polynomial } from "../poly/polynomial.ts";
import { Terms } from "../poly/terms.ts";

/** Options of {@link fitPolynomialRegression}. */
export interface PolynomialRegressionOptions {
  /**
   * Relative tolerance for the numerical rank (default max(n, terms) · machine epsilon, as in
   * LAPACK/NumPy): singular values (or |R_ii|) below rcond × the largest count as zero.
   */
  rcond?: number;
}

/** Result of {@link fitPolynomialRegression}. */
export interface PolynomialRegressionResult {
  /** One fitted polynomial per output, sharing {@link terms}. */
  polynomials: Polynomial[];
  /** All monomials of degree ≤ degree in graded-lex order (intercept first). */
  terms: Terms;
  /** Numerical rank of the column-scaled design matrix (= terms.count when full rank). */
  rank: number;
  /** True when the design was rank-deficient and the SVD minimum-norm solution was used. */
  rankDeficient: boolean;
  /** `"qr"` (full rank) or `"svd-min-norm"` (rank-deficient fallback). */
  method: "qr" | "svd-min-norm";
  /**
   * 2-norm condition number of the column-scaled design: exact (σ_max/σ_min) on the SVD path, the
   * lower bound max|R_ii|/min|R_ii| on the QR path (see {@link conditionIsEstimate}).
   */
  condition: number;
  /** True when {@link condition} is the QR lower-bound estimate. */
  conditionIsEstimate: boolean;
  /** Residual sum of squares per output. */
  rss: number[];
  /** Root mean squared training residual per output. */
  rmse: number[];
  /** Training R² per output (NaN when the output is constant). */
  r2: number[];
  /** Human-readable notes (rank deficiency and what was done about it). */
  notes: string[];
}

/** Raised for inputs that cannot be fitted (shapes, non-finite values, too few rows). */
export class PolynomialRegressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolynomialRegressionError";
  }
}

/**
 * Design matrix of a term list at n points: row-major n × terms, column t = monomial t.
 * `x` is row-major n × p.
 */
export function designMatrix(terms: Terms, x: ArrayLike<number>, n: number): Float64Array {
  const T = terms.count, p = terms.p;
  if (x.length !== n * p) {
    throw new PolynomialRegressionError(`x: expected ${n}×${p} = ${n * p} values, got ${x.length}`);
  }
  const out = new Float64Array(n * T);
  for (let s = 0; s < n; s++) terms.monomialValues(x, s * p, out.subarray(s * T, (s + 1) * T));
  return out;
}

/**
 * Least-squares polynomial regression of degree ≤ `degree` in p variables.
 *
 * `x` is row-major n × p, `y` row-major n × outputs. Needs n ≥ C(p + degree, degree) rows.
 */
export function fitPolynomialRegression(
  x: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  degree: number,
  outputs = 1,
  options: PolynomialRegressionOptions = {},
): PolynomialRegressionResult {
  checkArgs(x, y, n, p, degree, outputs);
  const T = termCount(p, degree);
  if (n < T) {
    throw new PolynomialRegressionError(
      `polynomial regression of degree ${degree} in ${p} variables has ${T} terms but only ${n} rows; ` +
        `use at least ${T} rows or a lower degree`,
    );
  }
  const terms = Terms.fromBasis(getBasis(p, degree));
  const design = designMatrix(terms, x, n);
  // Unit-norm columns: the rank test and condition number no longer depend on the inputs' scale.
  const scale = new Float64Array(T);
  for (let s = 0; s < n; s++) for (let t = 0; t < T; t++) scale[t] += design[s * T + t] ** 2;
  for (let t = 0; t < T; t++) scale[t] = scale[t] > 0 ? Math.sqrt(scale[t]) : 1;
  const rcond = options.rcond ?? Math.max(n, T) * Number.EPSILON;
  const qr = householderQr(design, scale, n, T, y, outputs);
  let maxR = 0, minR = Infinity;
  for (const r of qr.rdiag) {
    maxR = Math.max(maxR, Math.abs(r));
    minR = Math.min(minR, Math.abs(r));
  }
  let beta: (t: number, o: number) => number;
  let rank = T, condition: number, conditionIsEstimate = true;
  let method: PolynomialRegressionResult["method"] = "qr";
  const notes: string[] = [];
  if (maxR > 0 && minR > rcond * maxR) {
    const b = qr.solve();
    beta = (t, o) => b[o * T + t];
    condition = maxR / minR;
  } else {
    const A = new Matrix(Array.from({ length: n }, (_, s) => {
      const row = design.slice(s * T, (s + 1) * T);
      for (let t = 0; t < T; t++) row[t] /= scale[t];
      return row;
    }));
    const Y = new Matrix(Array.from({ length: n }, (_, s) => y.subarray(s * outputs, (s + 1) * outputs)));
    const svd = minNormSolve(A, Y, rcond);
    beta = (t, o) => svd.beta.get(t, o);
    rank = svd.rank;
    condition = svd.condition;
    conditionIsEstimate = false;
    method = "svd-min-norm";
    notes.push(
      `design matrix is rank-deficient (rank ${rank} < ${T} terms): used the SVD minimum-norm solution; ` +
        `coefficients of collinear monomials are not identifiable (use more varied rows or a lower degree)`,
    );
  }
  const polynomials = Array.from({ length: outputs }, (_, o) => {
    const c = new Float64Array(T);
    for (let t = 0; t < T; t++) c[t] = beta(t, o) / scale[t];
    return new Polynomial(terms, c);
  });
  const fit = residuals(design, y, polynomials, n, outputs);
  return {
    polynomials,
    terms,
    rank,
    rankDeficient: rank < T,
    method,
    condition,
    conditionIsEstimate,
    ...fit,
    notes,
  };
}

function checkArgs(x: Float64Array, y: Float64Array, n: number, p: number, degree: number, outputs: number) {
  const positive = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) {
      throw new PolynomialRegressionError(`${name}: expected a positive integer, got ${v}`);
    }
  };
  positive("n", n);
  positive("p", p);
  positive("outputs", outputs);
  if (!Number.isInteger(degree) || degree < 0 || degree > 255) {
    throw new PolynomialRegressionError(`degree: expected an integer in 0..255, got ${degree}`);
  }
  if (x.length !== n * p) {
    throw new PolynomialRegressionError(`x: expected n×p = ${n}×${p} = ${n * p} values, got ${x.length}`);
  }
  if (y.length !== n * outputs) {
    throw new PolynomialRegressionError(
      `y: expected n×outputs = ${n}×${outputs} = ${n * outputs} values, got ${y.length}`,
    );
  }
  const bad = (a: Float64Array) => a.findIndex((v) => !Number.isFinite(v));
  if (bad(x) >= 0) throw new PolynomialRegressionError(`x[${bad(x)}]: not a finite number`);
  if (bad(y) >= 0) throw new PolynomialRegressionError(`y[${bad(y)}]: not a finite number`);
}

/**
 * Householder QR (LINPACK/JAMA layout, as in ml-matrix's QrDecomposition, on flat column-major
 * arrays for speed) of the column-scaled design, with Qᵀ applied to Y on the fly.
 */
function householderQr(
  design: Float64Array,
  scale: Float64Array,
  n: number,
  T: number,
  y: Float64Array,
  outputs: number,
): { rdiag: Float64Array; solve: () => Float64Array } {
  const a = new Float64Array(n * T); // column-major: a[j * n + i]
  for (let i = 0; i < n; i++) for (let j = 0; j < T; j++) a[j * n + i] = design[i * T + j] / scale[j];
  const qty = new Float64Array(n * outputs); // column-major Qᵀ·Y
  for (let i = 0; i < n; i++) for (let o = 0; o < outputs; o++) qty[o * n + i] = y[i * outputs + o];
  const rdiag = new Float64Array(T);
  const reflect = (k: number, c: Float64Array, off: number) => {
    let s = 0;
    for (let i = k; i < n; i++) s += a[k * n + i] * c[off + i];
    s = -s / a[k * n + k];
    for (let i = k; i < n; i++) c[off + i] += s * a[k * n + i];
  };
  for (let k = 0; k < T; k++) {
    let nrm = 0;
    for (let i = k; i < n; i++) nrm += a[k * n + i] ** 2;
    nrm = Math.sqrt(nrm);
    if (nrm !== 0) {
      if (a[k * n + k] < 0) nrm = -nrm;
      for (let i = k; i < n; i++) a[k * n + i] /= nrm;
      a[k * n + k] += 1;
      for (let j = k + 1; j < T; j++) reflect(k, a, j * n);
      for (let o = 0; o < outputs; o++) reflect(k, qty, o * n);
    }
    rdiag[k] = -nrm;
  }
  const solve = () => {
    const beta = new Float64Array(T * outputs); // column-major per output
    for (let o = 0; o < outputs; o++) {
      for (let k = T - 1; k >= 0; k--) {
        let v = qty[o * n + k];
        for (let j = k + 1; j < T; j++) v -= a[j * n + k] * beta[o * T + j];
        beta[o * T + k] = v / rdiag[k];
      }
    }
    return beta;
  };
  return { rdiag, solve };
}

/** β = V Σ⁺ Uᵀ Y with singular values ≤ rcond·σ_max treated as zero. */
function minNormSolve(
  A: Matrix,
  Y: Matrix,
  rcond: number,
): { beta: Matrix; rank: number; condition: number } {
  const svd = new SingularValueDecomposition(A, { autoTranspose: true });
  const s = svd.diagonal;
  const U = svd.leftSingularVectors, V = svd.rightSingularVectors;
  const tol = rcond * s[0];
  const rank = s.filter((v) => v > tol).length;
  // Σ⁺ Uᵀ Y, rows beyond the rank are zero. (ml-matrix arithmetic mutates in place: build fresh.)
  const k = s.length, outputs = Y.columns;
  const W = new Matrix(k, outputs);
  for (let i = 0; i < rank; i++) {
    for (let o = 0; o < outputs; o++) {
      let acc = 0;
      for (let r = 0; r < U.rows; r++) acc += U.get(r, i) * Y.get(r, o);
      W.set(i, o, acc / s[i]);
    }
  }
  return { beta: V.mmul(W), rank, condition: s[0] / s[s.length - 1] };
}

function residuals(
  design: Float64Array,
  y: Float64Array,
  polys: Polynomial[],
  n: number,
  outputs: number,
): { rss: number[]; rmse: number[]; r2: number[] } {
  const T = polys[0].terms.count;
  const rss = new Array<number>(outputs).fill(0);
  const mean = new Array<number>(outputs).fill(0);
  for (let s = 0; s < n; s++) for (let o = 0; o < outputs; o++) mean[o] += y[s * outputs + o] / n;
  const tss = new Array<number>(outputs).fill(0);
  for (let s = 0; s < n; s++) {
    for (let o = 0; o < outputs; o++) {
      const c = polys[o].coefficients;
      let pred = 0;
      for (let t = 0; t < T; t++) pred += c[t] * design[s * T + t];
      const v = y[s * outputs + o];
      rss[o] += (v - pred) ** 2;
      tss[o] += (v - mean[o]) ** 2;
    }
  }
  return {
    rss,
    rmse: rss.map((r) => Math.sqrt(r / n)),
    r2: rss.map((r, o) => (tss[o] > 0 ? 1 - r / tss[o] : NaN)),
  };
}
