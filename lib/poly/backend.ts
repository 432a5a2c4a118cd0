/**
 * Block backends: one interface over the block kernels, so the NN2Poly and Taylor algorithms are
 * written once and run on plain JavaScript arrays ({@link jsBackend}, the reference) or on
 * WebAssembly SIMD kernels with an arena ({@link wasmBackend}, the fast path). Both give
 * bit-identical results (same operation order).
 *
 * @module
 */

import type { ProductTable } from "./basis.ts";
import { affineBlock, axpyBlock, mulBlockInto, squareBlockInto } from "./block.ts";
import type { WasmBlocks } from "./wasm.ts";

/** Block operations over a graded basis with its product table (see ./block.ts). */
export interface BlockBackend {
  /** A zeroed block of n values. */
  alloc(n: number): Float64Array;
  /** `out = [t=0]·W[0] + Y·W[1:]` for the first `terms` terms (Y, out from {@link alloc}; W any array). */
  affine(
    Y: Float64Array,
    inputs: number,
    W: Float64Array,
    units: number,
    terms: number,
    out: Float64Array,
  ): void;
  /** `out += B ⊙ B` truncated at `maxDegree`, B with degrees 1..bHi (times `scale` per unit). */
  square(
    out: Float64Array,
    B: Float64Array,
    bHi: number,
    units: number,
    maxDegree: number,
    scale?: Float64Array,
  ): void;
  /** `out += A ⊙ B` truncated, A with degrees aLo..aHi, B with degrees 1..bHi (times `scale`). */
  mul(
    out: Float64Array,
    A: Float64Array,
    aLo: number,
    aHi: number,
    B: Float64Array,
    bHi: number,
    units: number,
    maxDegree: number,
    scale?: Float64Array,
  ): void;
  /** `out[t, j] += d[j]·A[t, j]` for t < terms. */
  axpy(out: Float64Array, d: Float64Array, A: Float64Array, units: number, terms: number): void;
}

/** The reference backend on JavaScript typed arrays. */
export function jsBackend(table: ProductTable | undefined): BlockBackend {
  const need = () => {
    if (!table) throw new RangeError("a product table is needed for products (orders ≥ 2)");
    return table;
  };
  return {
    alloc: (n) => new Float64Array(n),
    affine: (Y, inputs, W, units, terms, out) => out.set(affineBlock(Y, inputs, W, units, terms)),
    square: (out, B, bHi, units, maxDegree, scale) =>
      squareBlockInto(out, B, bHi, units, maxDegree, need(), scale),
    mul: (out, A, aLo, aHi, B, bHi, units, maxDegree, scale) =>
      mulBlockInto(out, A, aLo, aHi, B, bHi, units, maxDegree, need(), scale),
    axpy: axpyBlock,
  };
}

/**
 * The WebAssembly SIMD backend. `blocks` must have been reset with room for everything the caller
 * allocates; the product table (and a unit scale of `maxUnits` ones) is copied into the arena once
 * here.
 */
export function wasmBackend(
  blocks: WasmBlocks,
  table: ProductTable | undefined,
  maxUnits = 4096,
): BlockBackend {
  const basis = table?.basis;
  const views = table
    ? {
      rowStart: blocks.i32(table.rowStart),
      product: blocks.i32(table.product),
      degree: blocks.u8(table.basis.degree),
    }
    : undefined;
  const bEnd = blocks.i32(new Int32Array(256));
  const ones = blocks.f64(maxUnits);
  ones.fill(1);
  const scaleOf = (units: number, scale?: Float64Array) => {
    if (scale) return scale;
    if (units > maxUnits) throw new RangeError(`wasm backend: ${units} units but room for ${maxUnits}`);
    return ones;
  };
  const setBEnd = (bHi: number, maxDegree: number) => {
    for (let d = 0; d <= maxDegree; d++) {
      bEnd[d] = basis!.offset(Math.max(0, Math.min(bHi, maxDegree - d)) + 1);
    }
  };
  const need = () => {
    if (!views || !basis) throw new RangeError("a product table is needed for products (orders ≥ 2)");
    return { views, basis };
  };
  return {
    alloc: (n) => blocks.f64(n),
    affine: (Y, inputs, W, units, terms, out) => blocks.affine(Y, inputs, W, units, terms, out),
    square(out, B, bHi, units, maxDegree, scale) {
      const { views, basis } = need();
      setBEnd(bHi, maxDegree);
      const aEnd = basis.offset(Math.min(bHi, maxDegree - 1) + 1);
      blocks.mulPairs(
        out,
        B,
        basis.offset(1),
        aEnd,
        B,
        basis.offset(1),
        units,
        views,
        bEnd,
        true,
        scaleOf(units, scale),
      );
    },
    mul(out, A, aLo, aHi, B, bHi, units, maxDegree, scale) {
      const { views, basis } = need();
      setBEnd(bHi, maxDegree);
      const aStart = basis.offset(Math.max(aLo, 1));
      const aEnd = basis.offset(Math.min(aHi, maxDegree - 1) + 1);
      blocks.mulPairs(
        out,
        A,
        aStart,
        aEnd,
        B,
        basis.offset(1),
        units,
        views,
        bEnd,
        false,
        scaleOf(units, scale),
      );
    },
    axpy: (out, d, A, units, terms) => blocks.axpy(out, d, A, units, terms),
  };
}
