/**
 * The polynomial type every method returns: a coefficient per monomial of a {@link Terms} list.
 *
 * @example
 * ```ts
 * const f = Polynomial.fromLabels(3, [[0], [1], [2, 3]], [0.5, 0.73, -1.8]);
 * f.toString();                          // "0.5 + 0.73·x1 − 1.8·x2·x3"
 * f.evaluate(new Float64Array([1, 1, 1]), 1); // [-0.57]
 * ```
 *
 * @module
 */

import { Terms } from "./terms.ts";

/** One term of a polynomial, as returned by {@link Polynomial.topTerms}. */
export interface TermValue {
  /** 1-based label (`[0]` intercept). */
  label: number[];
  /** The coefficient. */
  coefficient: number;
  /** Index in the polynomial's term list. */
  index: number;
}

/** Options for printing a polynomial. */
export interface PrintOptions {
  /** Significant digits of each coefficient (default 4). */
  digits?: number;
  /** Omit terms with |coefficient| below this (default 0: keep all non-zero terms). */
  threshold?: number;
  /** Keep only the k largest terms by |coefficient| (default: all), printed in term order. */
  maxTerms?: number;
  /** Variable names (default x1, x2, …). */
  names?: readonly string[];
}

/** The R package nn2poly's exchange form: `values` has one row per term, one column per output. */
export interface Nn2polyForm {
  /** 1-based labels, `[0]` = intercept. */
  labels: number[][];
  /** Coefficients, rows = terms, columns = outputs. */
  values: number[][];
}

/** JSON form of a single polynomial. */
export interface PolynomialJson {
  /** Number of variables. */
  p: number;
  /** 1-based labels, `[0]` = intercept. */
  labels: number[][];
  /** One coefficient per label. */
  coefficients: number[];
}

/** A real polynomial in p variables. */
export class Polynomial {
  /** The monomials. */
  readonly terms: Terms;
  /** One coefficient per term. */
  readonly coefficients: Float64Array;

  constructor(terms: Terms, coefficients: Float64Array) {
    if (coefficients.length !== terms.count) {
      throw new RangeError(`coefficients: expected ${terms.count} values, got ${coefficients.length}`);
    }
    this.terms = terms;
    this.coefficients = coefficients;
  }

  /** Builds a polynomial from 1-based labels and coefficients. */
  static fromLabels(
    p: number,
    labels: readonly (readonly number[])[],
    coefficients: ArrayLike<number>,
  ): Polynomial {
    return new Polynomial(Terms.fromLabels(p, labels), Float64Array.from(coefficients));
  }

  /** Number of variables. */
  get p(): number {
    return this.terms.p;
  }

  /** Highest degree with a non-zero coefficient. */
  get degree(): number {
    let d = 0;
    for (let t = 0; t < this.terms.count; t++) {
      if (this.coefficients[t] !== 0) d = Math.max(d, this.terms.degree[t]);
    }
    return d;
  }

  /** Value at each of n points; `x` is row-major n × p. */
  evaluate(x: ArrayLike<number>, n: number): Float64Array {
    return evaluatePolynomials([this], x, n);
  }

  /** Value at one point. */
  evaluateAt(point: ArrayLike<number>): number {
    return this.evaluate(point, 1)[0];
  }

  /**
   * Per-term contributions c_t·m_t(x) at each of n points: row-major n × terms. Rows sum to
   * {@link evaluate}; used for local explanations.
   */
  contributions(x: ArrayLike<number>, n: number): Float64Array {
    checkInput(x, n, this.p);
    const T = this.terms.count;
    const out = new Float64Array(n * T);
    const m = new Float64Array(T);
    for (let s = 0; s < n; s++) {
      this.terms.monomialValues(x, s * this.p, m);
      for (let t = 0; t < T; t++) out[s * T + t] = this.coefficients[t] * m[t];
    }
    return out;
  }

  /** The k terms with the largest |coefficient|, largest first (ties by term order). */
  topTerms(k: number): TermValue[] {
    const idx = Array.from(this.coefficients.keys());
    idx.sort((a, b) => Math.abs(this.coefficients[b]) - Math.abs(this.coefficients[a]) || a - b);
    return idx.slice(0, k).map((t) => ({
      label: this.terms.label(t),
      coefficient: this.coefficients[t],
      index: t,
    }));
  }

  /** Coefficient of the monomial with these 1-based variables (`[]` or `[0]` = intercept), 0 if absent. */
  coefficient(label: readonly number[]): number {
    const tuple = label.length === 1 && label[0] === 0 ? [] : label.map((v) => v - 1);
    const t = this.terms.indexOf(tuple);
    return t < 0 ? 0 : this.coefficients[t];
  }

  /** Partial derivative ∂/∂x_v with v 1-based, as a polynomial over the derived monomials. */
  derivative(v: number): Polynomial {
    if (!Number.isInteger(v) || v < 1 || v > this.p) {
      throw new RangeError(`derivative: variable must be in 1..${this.p}, got ${v}`);
    }
    const acc = new Map<string, { tuple: number[]; c: number }>();
    for (let t = 0; t < this.terms.count; t++) {
      const tuple = this.terms.tuple(t);
      const power = tuple.filter((u) => u === v - 1).length;
      if (power === 0 || this.coefficients[t] === 0) continue;
      const reduced = [...tuple];
      reduced.splice(reduced.indexOf(v - 1), 1);
      const key = reduced.join(",");
      const entry = acc.get(key) ?? { tuple: reduced, c: 0 };
      entry.c += power * this.coefficients[t];
      acc.set(key, entry);
    }
    const entries = [...acc.values()].sort((a, b) => compareTuples(a.tuple, b.tuple));
    return new Polynomial(
      Terms.fromTuples(this.p, entries.map((e) => e.tuple)),
      Float64Array.from(entries, (e) => e.c),
    );
  }

  /** A copy without terms whose |coefficient| is below `threshold`. */
  prune(threshold: number): Polynomial {
    const keep = Array.from(this.coefficients.keys()).filter((t) =>
      Math.abs(this.coefficients[t]) >= threshold
    );
    return new Polynomial(
      Terms.fromTuples(this.p, keep.map((t) => this.terms.tuple(t))),
      Float64Array.from(keep, (t) => this.coefficients[t]),
    );
  }

  /** Plain-text form, e.g. `0.73·x1 − 1.8·x2·x3 + 0.2·x1^2`. */
  toString(options: PrintOptions = {}): string {
    return format(this, options, false);
  }

  /** LaTeX form, e.g. `0.73 x_{1} - 1.8 x_{2} x_{3} + 0.2 x_{1}^{2}`. */
  toLatex(options: PrintOptions = {}): string {
    return format(this, options, true);
  }

  /** JSON form `{p, labels, coefficients}` (labels 1-based, intercept `[0]`). */
  toJSON(): PolynomialJson {
    return { p: this.p, labels: this.terms.labels("nn2poly"), coefficients: Array.from(this.coefficients) };
  }

  /** Inverse of {@link toJSON}; validates shapes. */
  static fromJSON(json: PolynomialJson): Polynomial {
    if (!json || !Array.isArray(json.labels) || !Array.isArray(json.coefficients)) {
      throw new TypeError("polynomial JSON: expected {p, labels, coefficients}");
    }
    if (json.labels.length !== json.coefficients.length) {
      throw new RangeError("polynomial JSON: labels and coefficients differ in length");
    }
    return Polynomial.fromLabels(json.p, json.labels, json.coefficients);
  }
}

/** Exports polynomials over the same terms in the R package's `{labels, values}` form. */
export function toNn2polyForm(polys: readonly Polynomial[]): Nn2polyForm {
  const terms = sharedTerms(polys);
  return {
    labels: terms.labels("nn2poly"),
    values: Array.from({ length: terms.count }, (_, t) => polys.map((f) => f.coefficients[t])),
  };
}

/** Imports the R package's `{labels, values}` form: one polynomial per column of `values`. */
export function fromNn2polyForm(form: Nn2polyForm, p?: number): Polynomial[] {
  if (
    !Array.isArray(form?.labels) || !Array.isArray(form?.values) || form.labels.length !== form.values.length
  ) {
    throw new TypeError("nn2poly form: expected {labels, values} with one values row per label");
  }
  const inferred = p ?? Math.max(1, ...form.labels.flat());
  const terms = Terms.fromLabels(inferred, form.labels);
  const outputs = form.values[0]?.length ?? 0;
  return Array.from(
    { length: outputs },
    (_, o) => new Polynomial(terms, Float64Array.from(form.values, (row) => row[o])),
  );
}

/**
 * Evaluates several polynomials over the same points at once: row-major n × polys.length.
 * When they share one {@link Terms} list the monomials are computed once per point.
 */
export function evaluatePolynomials(
  polys: readonly Polynomial[],
  x: ArrayLike<number>,
  n: number,
): Float64Array {
  const k = polys.length;
  const out = new Float64Array(n * k);
  if (k === 0) return out;
  const p = polys[0].p;
  checkInput(x, n, p);
  const groups = new Map<Terms, number[]>();
  polys.forEach((f, i) => groups.set(f.terms, [...(groups.get(f.terms) ?? []), i]));
  for (const [terms, members] of groups) {
    const m = new Float64Array(terms.count);
    for (let s = 0; s < n; s++) {
      terms.monomialValues(x, s * p, m);
      for (const i of members) {
        const c = polys[i].coefficients;
        let y = 0;
        for (let t = 0; t < m.length; t++) y += c[t] * m[t];
        out[s * k + i] = y;
      }
    }
  }
  return out;
}

function sharedTerms(polys: readonly Polynomial[]): Terms {
  if (polys.length === 0) throw new RangeError("expected at least one polynomial");
  const terms = polys[0].terms;
  if (polys.some((f) => f.terms !== terms)) throw new RangeError("polynomials must share one term list");
  return terms;
}

function checkInput(x: ArrayLike<number>, n: number, p: number): void {
  if (x.length !== n * p) throw new RangeError(`x: expected ${n}×${p} = ${n * p} values, got ${x.length}`);
}

function compareTuples(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function formatNumber(v: number, digits: number): string {
  const s = Number(Math.abs(v).toPrecision(digits)).toString();
  return s;
}

function format(f: Polynomial, opts: PrintOptions, latex: boolean): string {
  const digits = opts.digits ?? 4;
  const threshold = opts.threshold ?? 0;
  let keep = Array.from(f.coefficients.keys()).filter((t) =>
    f.coefficients[t] !== 0 && Math.abs(f.coefficients[t]) >= threshold
  );
  if (opts.maxTerms !== undefined) {
    keep = keep.sort((a, b) => Math.abs(f.coefficients[b]) - Math.abs(f.coefficients[a]) || a - b)
      .slice(0, opts.maxTerms)
      .sort((a, b) => a - b);
  }
  if (keep.length === 0) return "0";
  const name = (v: number) => opts.names?.[v] ?? (latex ? `x_{${v + 1}}` : `x${v + 1}`);
  const parts = keep.map((t, i) => {
    const c = f.coefficients[t];
    const tuple = f.terms.tuple(t);
    const factors: string[] = [];
    for (let k = 0; k < tuple.length;) {
      let e = k;
      while (e < tuple.length && tuple[e] === tuple[k]) e++;
      const pow = e - k;
      factors.push(
        pow === 1 ? name(tuple[k]) : latex ? `${name(tuple[k])}^{${pow}}` : `${name(tuple[k])}^${pow}`,
      );
      k = e;
    }
    const mag = formatNumber(c, digits);
    const body = factors.length === 0 ? mag : `${mag}${latex ? " " : "·"}${factors.join(latex ? " " : "·")}`;
    const minus = latex ? "-" : "−";
    if (i === 0) return c < 0 ? `${minus}${body}` : body;
    return c < 0 ? ` ${minus} ${body}` : ` + ${body}`;
  });
  return parts.join("");
}
