/**
 * The Gram matrix SSᵀ of the wiretapped signals, accumulated in blocks of columns so that S is
 * never held twice (and, for a wiretap, never held at all: each batch of activations is added and
 * dropped).
 *
 * @module
 */

import { WasmBlocks } from "../poly/wasm.ts";

/** Columns per block: k × 512 doubles stay in cache while every pair of rows is dotted. */
const BLOCK = 512;

/** From this many rows on, a block's T·Tᵀ runs on the project's wasm SIMD kernel (full k × k product). */
const WASM_MIN_K = 16;

/**
 * Accumulates G = Σ s sᵀ over columns s ∈ ℝᵏ of S, keeping the lower triangle.
 *
 * @example
 * ```ts
 * const acc = new GramAccumulator(3);
 * acc.addSamples(new Float64Array([1, 2, 3, 4, 5, 6]), 2); // two columns: (1,2,3) and (4,5,6)
 * const G = acc.matrix(); // 3 × 3, symmetric
 * ```
 */
export class GramAccumulator {
  /** Rows of S (units of the wiretapped layer). */
  readonly k: number;
  #lower: Float64Array;
  #columns = 0;
  #scratch: Float64Array;
  #panel?: Float64Array;

  constructor(k: number) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`GramAccumulator: k must be a positive integer`);
    this.k = k;
    this.#lower = new Float64Array(k * k);
    // one extra row of zeros stands in for the missing partner of the last row when k is odd
    this.#scratch = new Float64Array((k + 1) * BLOCK);
  }

  /** Columns added so far (N). */
  get columns(): number {
    return this.#columns;
  }

  /**
   * Adds `n` columns given sample-major (row-major n × k, as a network's forward pass returns
   * activations: sample s, unit i at `x[s·k + i]`).
   */
  addSamples(x: Float64Array, n: number): void {
    const k = this.k;
    if (x.length < n * k) throw new Error(`GramAccumulator.addSamples: need ${n}×${k} values`);
    for (let s0 = 0; s0 < n; s0 += BLOCK) {
      const b = Math.min(BLOCK, n - s0);
      const t = this.#scratch;
      for (let s = 0; s < b; s++) {
        const xs = (s0 + s) * k;
        for (let i = 0; i < k; i++) t[i * b + s] = x[xs + i];
      }
      this.#addBlock(t, b);
    }
    this.#columns += n;
  }

  /**
   * Adds columns [c0, c1) of S given as k rows (row i = unit i over all examples), e.g. the
   * `signals` of a descrambler file; nothing is copied beyond one block.
   */
  addRows(rows: ArrayLike<number>[], c0 = 0, c1 = rows[0]?.length ?? 0): void {
    const k = this.k;
    if (rows.length !== k) throw new Error(`GramAccumulator.addRows: expected ${k} rows`);
    for (let b0 = c0; b0 < c1; b0 += BLOCK) {
      const b = Math.min(BLOCK, c1 - b0);
      const t = this.#scratch;
      for (let i = 0; i < k; i++) {
        const r = rows[i];
        const o = i * b;
        for (let s = 0; s < b; s++) t[o + s] = r[b0 + s];
      }
      this.#addBlock(t, b);
    }
    this.#columns += c1 - c0;
  }

  /** Lower triangle += T·Tᵀ for a unit-major block T (k × b), on wasm for k ≥ 16. */
  #addBlock(t: Float64Array, b: number): void {
    if (this.k < WASM_MIN_K) return this.#addUnitMajor(t, b);
    const k = this.k;
    const wb = WasmBlocks.get();
    wb.reset((k * b + k * k + b * k + k) * 8 + 256);
    const Y = wb.f64(k * b, false);
    Y.set(t.subarray(0, k * b));
    const out = wb.f64(k * k, false);
    // weights in the fixtures' layout: a zero bias row, then Tᵀ (b × k)
    const W = this.#panel ??= new Float64Array((BLOCK + 1) * k);
    W.fill(0, 0, k);
    for (let i = 0; i < k; i++) {
      const o = i * b;
      for (let s = 0; s < b; s++) W[(s + 1) * k + i] = t[o + s];
    }
    wb.affine(Y, b, W.subarray(0, (b + 1) * k), k, k, out);
    const G = this.#lower;
    for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) G[i * k + j] += out[i * k + j];
  }

  /**
   * Lower triangle += T·Tᵀ for a unit-major block T (k × b): 2 × 2 tiles of row pairs, four dot
   * products per pass over the block (one load per multiply–add instead of two).
   */
  #addUnitMajor(t: Float64Array, b: number): void {
    const k = this.k;
    const G = this.#lower;
    t.fill(0, k * b, (k + 1) * b);
    for (let i = 0; i < k; i += 2) {
      const i1 = i + 1; // may be k: the zero row
      const oi = i * b;
      const oi1 = i1 * b;
      for (let j = 0; j <= i; j += 2) {
        const j1 = j + 1;
        const oj = j * b;
        const oj1 = j1 * b;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let s = 0; s < b; s++) {
          const a0 = t[oi + s];
          const a1 = t[oi1 + s];
          const c0 = t[oj + s];
          const c1 = t[oj1 + s];
          s00 += a0 * c0;
          s01 += a0 * c1;
          s10 += a1 * c0;
          s11 += a1 * c1;
        }
        G[i * k + j] += s00;
        if (j1 <= i) G[i * k + j1] += s01; // on the diagonal tile (j = i), (i, i + 1) is above it
        if (i1 < k) {
          G[i1 * k + j] += s10;
          if (j1 <= i1) G[i1 * k + j1] += s11;
        }
      }
    }
  }

  /** The full symmetric k × k matrix Σ s sᵀ (row-major). */
  matrix(): Float64Array {
    const k = this.k;
    const G = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        const v = this.#lower[i * k + j];
        G[i * k + j] = v;
        G[j * k + i] = v;
      }
    }
    return G;
  }
}

/** SSᵀ of a k × N matrix given as k rows. */
export function gramOfRows(rows: ArrayLike<number>[]): Float64Array {
  const acc = new GramAccumulator(rows.length);
  acc.addRows(rows);
  return acc.matrix();
}
