/**
 * A list of monomials (the "terms" of a polynomial), dense graded or sparse.
 *
 * Each term is a sorted tuple of 0-based variable indices with repetition. Labels exchanged with
 * the outside are 1-based: the R package nn2poly writes the intercept as `[0]`, the Taylor
 * fixtures as `[]`.
 *
 * @module
 */

import type { MonomialBasis } from "./basis.ts";

/** How the constant term is labelled: nn2poly uses `[0]`, the Taylor fixtures use `[]`. */
export type LabelStyle = "nn2poly" | "taylor";

const basisTerms = new WeakMap<MonomialBasis, Map<number, Terms>>();

/** An immutable list of monomials with what fast evaluation needs. */
export class Terms {
  /** Number of variables. */
  readonly p: number;
  /** Number of terms. */
  readonly count: number;
  /** Degree of each term. */
  readonly degree: Uint8Array;
  /** CSR start of each term's variables in `vars` (length count + 1). */
  readonly start: Int32Array;
  /** Concatenated 0-based variables, each term's sorted ascending. */
  readonly vars: Int32Array;
  /** Term with the last variable removed, or −1 if absent from the list. */
  readonly parent: Int32Array;
  /** Terms ordered by non-decreasing degree (evaluation order). */
  readonly evalOrder: Int32Array;
  #index?: Map<string, number>;

  private constructor(
    p: number,
    tuples: readonly (readonly number[])[],
    parent?: Int32Array,
    built?: { degree: Uint8Array; start: Int32Array; vars: Int32Array; parent: Int32Array },
  ) {
    this.p = p;
    if (built) {
      this.count = built.degree.length;
      this.degree = built.degree;
      this.start = built.start;
      this.vars = built.vars;
      this.parent = built.parent;
      // graded order is already by degree, so evaluation order is the identity
      this.evalOrder = new Int32Array(this.count);
      for (let t = 0; t < this.count; t++) this.evalOrder[t] = t;
      return;
    }
    this.count = tuples.length;
    this.degree = new Uint8Array(this.count);
    this.start = new Int32Array(this.count + 1);
    let total = 0;
    tuples.forEach((t, i) => {
      this.degree[i] = t.length;
      total += t.length;
      this.start[i + 1] = total;
    });
    this.vars = new Int32Array(total);
    tuples.forEach((t, i) => this.vars.set(t, this.start[i]));
    if (parent) {
      this.parent = parent;
    } else {
      const index = this.index();
      this.parent = new Int32Array(this.count).fill(-1);
      tuples.forEach((t, i) => {
        if (t.length > 0) this.parent[i] = index.get(t.slice(0, -1).join(",")) ?? -1;
      });
    }
    this.evalOrder = Int32Array.from(tuples.keys()).sort((a, b) => this.degree[a] - this.degree[b] || a - b);
  }

  /**
   * The first `size` terms of a graded basis (all monomials up to some degree), built from the
   * basis arrays directly and cached per (basis, size).
   */
  static fromBasis(basis: MonomialBasis, size = basis.size): Terms {
    let cache = basisTerms.get(basis);
    if (!cache) basisTerms.set(basis, cache = new Map());
    let terms = cache.get(size);
    if (!terms) {
      const stride = Math.max(basis.maxDegree, 1);
      const degree = basis.degree.slice(0, size);
      const start = new Int32Array(size + 1);
      for (let t = 0; t < size; t++) start[t + 1] = start[t] + degree[t];
      const vars = new Int32Array(start[size]);
      for (let t = 0; t < size; t++) {
        for (let k = 0; k < degree[t]; k++) vars[start[t] + k] = basis.vars[t * stride + k];
      }
      terms = new Terms(basis.p, [], undefined, { degree, start, vars, parent: basis.parent.slice(0, size) });
      cache.set(size, terms);
    }
    return terms;
  }

  /**
   * Terms from 0-based variable tuples (each sorted on the way in). Duplicates are refused.
   */
  static fromTuples(p: number, tuples: readonly (readonly number[])[]): Terms {
    const sorted = tuples.map((t, i) => {
      const s = [...t].sort((a, b) => a - b);
      for (const v of s) {
        if (!Number.isInteger(v) || v < 0 || v >= p) {
          throw new RangeError(`term ${i}: variable index ${v} is outside 0..${p - 1}`);
        }
      }
      return s;
    });
    const terms = new Terms(p, sorted);
    if (terms.index().size !== sorted.length) throw new RangeError("terms: duplicate monomials");
    return terms;
  }

  /**
   * Terms from 1-based labels (`[1,1,3]` = x1²·x3). Both `[0]` and `[]` mean the intercept.
   */
  static fromLabels(p: number, labels: readonly (readonly number[])[]): Terms {
    return Terms.fromTuples(
      p,
      labels.map((l) => (l.length === 1 && l[0] === 0 ? [] : l.map((v) => v - 1))),
    );
  }

  /** The 0-based sorted variables of term t. */
  tuple(t: number): number[] {
    return Array.from(this.vars.subarray(this.start[t], this.start[t + 1]));
  }

  /** The 1-based label of term t in the given style. */
  label(t: number, style: LabelStyle = "nn2poly"): number[] {
    if (this.degree[t] === 0) return style === "nn2poly" ? [0] : [];
    return this.tuple(t).map((v) => v + 1);
  }

  /** All labels in the given style. */
  labels(style: LabelStyle = "nn2poly"): number[][] {
    return Array.from({ length: this.count }, (_, t) => this.label(t, style));
  }

  /** Index of the term with these 0-based variables (any order), or −1. */
  indexOf(tuple: readonly number[]): number {
    return this.index().get([...tuple].sort((a, b) => a - b).join(",")) ?? -1;
  }

  /** Highest degree among the terms (0 for an empty list). */
  get maxDegree(): number {
    let m = 0;
    for (const d of this.degree) m = Math.max(m, d);
    return m;
  }

  private index(): Map<string, number> {
    if (!this.#index) {
      this.#index = new Map();
      for (let t = 0; t < this.count; t++) this.#index.set(this.tuple(t).join(","), t);
    }
    return this.#index;
  }

  /**
   * Fills `m` with the value of every monomial at one point `x[offset .. offset + p)`.
   * No allocation: the caller reuses `m` across points.
   */
  monomialValues(x: ArrayLike<number>, offset: number, m: Float64Array): void {
    const { evalOrder, parent, start, vars } = this;
    for (let k = 0; k < evalOrder.length; k++) {
      const t = evalOrder[k];
      const s = start[t], e = start[t + 1];
      if (s === e) {
        m[t] = 1;
      } else if (parent[t] >= 0) {
        m[t] = m[parent[t]] * x[offset + vars[e - 1]];
      } else {
        let v = 1;
        for (let i = s; i < e; i++) v *= x[offset + vars[i]];
        m[t] = v;
      }
    }
  }
}
