/**
 * Ground-truth polynomials for simulations, in the label form of the R package nn2poly:
 * a term is a sorted list of 1-based variable indices with repetition (`[1, 1, 3]` = x1²·x3) and
 * the intercept is `[0]`.
 *
 * @module
 */

import { type Rng, shuffle } from "./random.ts";

/** A polynomial of p inputs: `values[t]` multiplies the monomial `labels[t]`. */
export interface TruePolynomial {
  /** Number of input variables p (indices in labels are 1..p). */
  readonly inputs: number;
  /** Terms in nn2poly form: `[0]` intercept, `[2]` = x2, `[1, 1, 3]` = x1²·x3 (sorted ascending). */
  readonly labels: readonly (readonly number[])[];
  /** Coefficient of each term, same order as `labels`. */
  readonly values: Float64Array;
}

/** How to draw a random polynomial (the NN2Poly simulation design). */
export interface RandomPolynomialSpec {
  /** Number of inputs p. */
  readonly inputs: number;
  /** Highest total degree of a term (>= 1). */
  readonly degree: number;
  /** Number of main-effect (degree-1) terms, chosen at random among x1..xp. */
  readonly linearTerms: number;
  /** Number of terms of degree 2..degree (interactions and powers), chosen at random among all such monomials. */
  readonly higherTerms: number;
  /** Coefficients are drawn U(lo, hi). */
  readonly coefficientRange: readonly [number, number];
  /** Whether to add an intercept `[0]` with a U(lo, hi) coefficient (default false). */
  readonly intercept?: boolean;
}

/** Largest number of candidate monomials {@link randomPolynomial} is willing to enumerate. */
export const MAX_ENUMERATED_MONOMIALS = 2_000_000;

/** Number of monomials of total degree exactly d in p variables: C(p + d - 1, d). */
export function monomialCount(p: number, d: number): number {
  let c = 1;
  for (let i = 1; i <= d; i++) c = (c * (p + i - 1)) / i;
  return Math.round(c);
}

/**
 * All monomials of total degree minDegree..maxDegree in p variables, as sorted 1-based index lists,
 * ordered by degree then lexicographically (the canonical term order of this module).
 */
export function enumerateMonomials(p: number, minDegree: number, maxDegree: number): number[][] {
  const out: number[][] = [];
  for (let d = Math.max(minDegree, 1); d <= maxDegree; d++) {
    const term = new Array<number>(d).fill(1);
    while (true) {
      out.push(term.slice());
      let k = d - 1;
      while (k >= 0 && term[k] === p) k--;
      if (k < 0) break;
      const v = term[k] + 1;
      for (let m = k; m < d; m++) term[m] = v;
    }
  }
  return out;
}

/** Compares two labels by degree, then lexicographically (intercept `[0]` first). */
export function compareLabels(a: readonly number[], b: readonly number[]): number {
  const da = a[0] === 0 ? 0 : a.length;
  const db = b[0] === 0 ? 0 : b.length;
  if (da !== db) return da - db;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function requireInteger(value: number, field: string, min: number, max = Infinity): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `in ${min}..${max}`;
    throw new Error(`${field}: expected an integer ${range}, got ${String(value)}`);
  }
}

/**
 * Draws a random polynomial: `linearTerms` distinct main effects, `higherTerms` distinct monomials
 * of degree 2..degree (squares included), coefficients U(lo, hi) drawn in canonical term order.
 *
 * @example
 * ```ts
 * // sim1 of NN2Poly: all 5 linear terms and 5 of the 15 degree-2 terms.
 * randomPolynomial(new Rng(1), { inputs: 5, degree: 2, linearTerms: 5, higherTerms: 5, coefficientRange: [-5, 5] });
 * ```
 */
export function randomPolynomial(rng: Rng, spec: RandomPolynomialSpec): TruePolynomial {
  const { inputs, degree, linearTerms, higherTerms, coefficientRange } = spec;
  requireInteger(inputs, "polynomial.inputs", 1);
  requireInteger(degree, "polynomial.degree", 1);
  requireInteger(linearTerms, "polynomial.linearTerms", 0, inputs);
  let higherCount = 0;
  for (let d = 2; d <= degree; d++) higherCount += monomialCount(inputs, d);
  requireInteger(higherTerms, "polynomial.higherTerms", 0, higherCount);
  if (
    !Array.isArray(coefficientRange) || coefficientRange.length !== 2 ||
    !(coefficientRange[0] <= coefficientRange[1])
  ) {
    throw new Error("polynomial.coefficientRange: expected [lo, hi] with lo <= hi, e.g. [-5, 5]");
  }
  if (higherTerms > 0 && higherCount > MAX_ENUMERATED_MONOMIALS) {
    throw new Error(
      `polynomial.degree: ${higherCount} candidate monomials for p=${inputs}, degree=${degree}; ` +
        `lower the degree or the number of inputs (limit ${MAX_ENUMERATED_MONOMIALS})`,
    );
  }
  const linearPick = shuffle(rng, Array.from({ length: inputs }, (_, i) => i + 1)).slice(0, linearTerms);
  const higherPool = higherTerms > 0 ? enumerateMonomials(inputs, 2, degree) : [];
  const higherPick = partialShuffle(rng, higherPool, higherTerms);
  const labels: number[][] = [
    ...(spec.intercept ? [[0]] : []),
    ...linearPick.map((i) => [i]),
    ...higherPick,
  ].sort(compareLabels);
  const [lo, hi] = coefficientRange;
  const values = new Float64Array(labels.length);
  for (let t = 0; t < labels.length; t++) values[t] = rng.uniform(lo, hi);
  return { inputs, labels, values };
}

/** The first k elements of a Fisher–Yates shuffle of `pool` (pool is permuted in place). */
function partialShuffle<T>(rng: Rng, pool: T[], k: number): T[] {
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(pool.length - i);
    const tmp = pool[i];
    pool[i] = pool[j];
    pool[j] = tmp;
  }
  return pool.slice(0, k);
}

/** Evaluates a polynomial on a row-major `n × p` batch; returns n values. */
export function evaluatePolynomial(poly: TruePolynomial, x: Float64Array, n: number): Float64Array {
  const p = poly.inputs;
  if (x.length !== n * p) throw new Error(`x: expected ${n}×${p} = ${n * p} values, got ${x.length}`);
  const out = new Float64Array(n);
  const { labels, values } = poly;
  for (let s = 0; s < n; s++) {
    const row = s * p;
    let sum = 0;
    for (let t = 0; t < labels.length; t++) {
      const label = labels[t];
      let m = values[t];
      if (label[0] !== 0) { for (let k = 0; k < label.length; k++) m *= x[row + label[k] - 1]; }
      sum += m;
    }
    out[s] = sum;
  }
  return out;
}

/** Human-readable form, e.g. `4*x1 - 3*x2*x3 + 0.5*x1^2`. */
export function polynomialToString(poly: TruePolynomial): string {
  if (poly.labels.length === 0) return "0";
  return poly.labels.map((label, t) => {
    const v = poly.values[t];
    const sign = v < 0 ? "-" : "+";
    const abs = Math.abs(v);
    const powers = new Map<number, number>();
    if (label[0] !== 0) { for (const i of label) powers.set(i, (powers.get(i) ?? 0) + 1); }
    const factors = [...powers].map(([i, k]) => (k === 1 ? `x${i}` : `x${i}^${k}`));
    const body = factors.length === 0
      ? `${abs}`
      : abs === 1
      ? factors.join("*")
      : `${abs}*${factors.join("*")}`;
    return t === 0 ? (v < 0 ? `-${body}` : body) : ` ${sign} ${body}`;
  }).join("");
}
