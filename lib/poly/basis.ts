/**
 * The graded-lexicographic monomial basis of all monomials of degree ≤ Q in p variables.
 *
 * A monomial is a sorted tuple of 0-based variable indices with repetition (`[0, 0, 2]` is
 * x1²·x3). Terms are ordered by degree, then lexicographically by tuple, so the polynomials of
 * degree ≤ R are exactly the prefix of the first `offset(R + 1)` terms. Ranks are computed by
 * the combinatorial number system (no hashing), and product tables are built once per (p, Q).
 *
 * @module
 */

/** Number of multisets of size m drawn from n values: C(n + m − 1, m). */
export function multisetCount(n: number, m: number): number {
  if (m === 0) return 1;
  if (n <= 0) return 0;
  let r = 1;
  for (let i = 1; i <= m; i++) r = (r * (n + i - 1)) / i;
  return Math.round(r);
}

/** Number of monomials of degree ≤ Q in p variables: C(p + Q, Q). */
export function termCount(p: number, Q: number): number {
  return multisetCount(p + 1, Q);
}

/**
 * A graded-lex basis. `vars` holds each term's variables padded to Q entries (unused = −1).
 */
export class MonomialBasis {
  /** Number of variables. */
  readonly p: number;
  /** Maximum degree. */
  readonly maxDegree: number;
  /** Number of terms, C(p + Q, Q). */
  readonly size: number;
  /** Degree of each term. */
  readonly degree: Uint8Array;
  /** Variables of each term, row-major `size × maxDegree`, padded with −1. */
  readonly vars: Int32Array;
  /** For each term of degree ≥ 1: the term with its last variable removed. */
  readonly parent: Int32Array;
  /** For each term of degree ≥ 1: its last (largest) variable. */
  readonly lastVar: Int32Array;
  /** `offsets[d]` is the index of the first term of degree d; `offsets[Q + 1] = size`. */
  readonly offsets: Int32Array;
  /** `suffixCount[d * (p + 1) + v]` = number of multisets of size d from values v..p−1. */
  readonly #suffixCount: Float64Array;
  /** `rankTable[r * (p+1) + v]` = Σ_{u<v} suffixCount(r, u): tuples of size r+1 starting below v. */
  readonly #startBelow: Float64Array;

  constructor(p: number, maxDegree: number) {
    if (!Number.isInteger(p) || p < 1) throw new RangeError(`p must be a positive integer, got ${p}`);
    if (!Number.isInteger(maxDegree) || maxDegree < 0 || maxDegree > 255) {
      throw new RangeError(`maxDegree must be an integer in 0..255, got ${maxDegree}`);
    }
    this.p = p;
    this.maxDegree = maxDegree;
    const Q = maxDegree;
    this.offsets = new Int32Array(Q + 2);
    for (let d = 0; d <= Q; d++) this.offsets[d + 1] = this.offsets[d] + multisetCount(p, d);
    this.size = this.offsets[Q + 1];
    // suffixCount(d, v): multisets of size d from the p − v values v..p−1.
    this.#suffixCount = new Float64Array((Q + 1) * (p + 1));
    for (let d = 0; d <= Q; d++) {
      for (let v = 0; v <= p; v++) this.#suffixCount[d * (p + 1) + v] = multisetCount(p - v, d);
    }
    // startBelow(r, v): number of sorted tuples of length r + 1 (from values ≥ 0) whose first
    // element is < v, i.e. Σ_{u<v} suffixCount(r, u).
    this.#startBelow = new Float64Array((Q + 1) * (p + 1));
    for (let r = 0; r <= Q; r++) {
      let acc = 0;
      for (let v = 0; v <= p; v++) {
        this.#startBelow[r * (p + 1) + v] = acc;
        if (v < p) acc += this.#suffixCount[r * (p + 1) + v];
      }
    }
    this.degree = new Uint8Array(this.size);
    this.vars = new Int32Array(this.size * Math.max(Q, 1)).fill(-1);
    this.parent = new Int32Array(this.size).fill(-1);
    this.lastVar = new Int32Array(this.size).fill(-1);
    const stride = Math.max(Q, 1);
    let t = 1;
    const tuple = new Int32Array(Q);
    for (let d = 1; d <= Q; d++) {
      tuple.fill(0, 0, d);
      for (;;) {
        this.degree[t] = d;
        for (let k = 0; k < d; k++) this.vars[t * stride + k] = tuple[k];
        this.lastVar[t] = tuple[d - 1];
        this.parent[t] = this.rank(tuple.subarray(0, d - 1));
        t++;
        // next sorted tuple in lex order
        let k = d - 1;
        while (k >= 0 && tuple[k] === p - 1) k--;
        if (k < 0) break;
        const v = tuple[k] + 1;
        for (let m = k; m < d; m++) tuple[m] = v;
      }
    }
  }

  /** First term index of degree d (d may be maxDegree + 1, giving `size`). */
  offset(d: number): number {
    return this.offsets[Math.min(d, this.maxDegree + 1)];
  }

  /**
   * Index of the monomial given by a sorted tuple of 0-based variables (length ≤ maxDegree).
   */
  rank(tuple: ArrayLike<number>): number {
    const d = tuple.length;
    const P = this.p + 1;
    let r = this.offsets[d];
    let prev = 0;
    for (let k = 0; k < d; k++) {
      const v = tuple[k];
      const rem = d - k - 1;
      // tuples at position k with first value in [prev, v), remaining rem values ≥ that value
      r += this.#startBelow[rem * P + v] - this.#startBelow[rem * P + prev];
      prev = v;
    }
    return r;
  }

  /** The sorted 0-based variables of term t. */
  termVars(t: number): number[] {
    const d = this.degree[t];
    const stride = Math.max(this.maxDegree, 1);
    return Array.from(this.vars.subarray(t * stride, t * stride + d));
  }
}

/**
 * Index table for products of two polynomials without constant term, truncated at degree Q.
 *
 * For a term a of degree da ≥ 1, its partners are the terms b of degree 1..Q−da, which form the
 * contiguous range `[offset(1), offset(Q − da + 1))`; `product[rowStart[a] + (b − offset(1))]`
 * is the index of a·b.
 */
export class ProductTable {
  /** The basis the table indexes. */
  readonly basis: MonomialBasis;
  /** Start of term a's row in `product` (−1 when a has no partner). */
  readonly rowStart: Int32Array;
  /** Product indices, rows concatenated. */
  readonly product: Int32Array;

  constructor(basis: MonomialBasis) {
    this.basis = basis;
    const Q = basis.maxDegree;
    const first = basis.offset(1);
    this.rowStart = new Int32Array(basis.size).fill(-1);
    let total = 0;
    for (let a = first; a < basis.offset(Q); a++) {
      this.rowStart[a] = total;
      total += basis.offset(Q - basis.degree[a] + 1) - first;
    }
    if (total > 2 ** 31 - 1) throw new RangeError(`product table of ${total} pairs is too large`);
    this.product = new Int32Array(total);
    const merged = new Int32Array(Q);
    const stride = Math.max(Q, 1);
    for (let a = first; a < basis.offset(Q); a++) {
      const da = basis.degree[a];
      const end = basis.offset(Q - da + 1);
      let pos = this.rowStart[a];
      for (let b = first; b < end; b++) {
        const db = basis.degree[b];
        // merge two sorted tuples
        let i = 0, j = 0, k = 0;
        while (i < da && j < db) {
          const va = basis.vars[a * stride + i], vb = basis.vars[b * stride + j];
          if (va <= vb) {
            merged[k++] = va;
            i++;
          } else {
            merged[k++] = vb;
            j++;
          }
        }
        while (i < da) merged[k++] = basis.vars[a * stride + i++];
        while (j < db) merged[k++] = basis.vars[b * stride + j++];
        this.product[pos++] = basis.rank(merged.subarray(0, k));
      }
    }
  }

  /** Number of (a, b) pairs stored. */
  get pairs(): number {
    return this.product.length;
  }
}

/** Estimated number of (a, b) pairs of a product table for (p, Q), without building it. */
export function productPairCount(p: number, Q: number): number {
  let total = 0;
  for (let da = 1; da < Q; da++) {
    let partners = 0;
    for (let db = 1; db <= Q - da; db++) partners += multisetCount(p, db);
    total += multisetCount(p, da) * partners;
  }
  return total;
}

const basisCache = new Map<string, MonomialBasis>();
const tableCache = new Map<string, ProductTable>();

/** A shared basis for (p, Q), built once per process. */
export function getBasis(p: number, Q: number): MonomialBasis {
  const key = `${p}:${Q}`;
  let b = basisCache.get(key);
  if (!b) basisCache.set(key, b = new MonomialBasis(p, Q));
  return b;
}

/** A shared product table for (p, Q), built once per process. */
export function getProductTable(p: number, Q: number): ProductTable {
  const key = `${p}:${Q}`;
  let t = tableCache.get(key);
  if (!t) tableCache.set(key, t = new ProductTable(getBasis(p, Q)));
  return t;
}
