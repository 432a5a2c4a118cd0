/**
 * The exact Taylor polynomial of a module graph (the modules HOPE supports: affine, elementwise,
 * conv1d/conv2d, avgpool1d/avgpool2d, maxpool1d/maxpool2d, residual) at x0, up to total degree K,
 * so HOPE and the exact coefficients can be compared on every network.
 *
 * Every module maps a terms-major block (`block[t * units + j]`, graded basis in h = x − x0) to the
 * next. The input block is x0 + h (constant x0, linear part the identity), so any module may come
 * first and no bias needs shifting. Affine maps, convolution and average pooling are linear maps of
 * the series, applied to every term. An activation is expanded at each unit's own value at x0 (its
 * constant term, centre "local") to order K and truncated at degree K, which is exact because the
 * series minus its constant has no constant term. Max pooling selects, per window, the unit with the
 * largest value at x0 (ties: the first in row-major window order, as in HOPE's rule); this is the
 * exact local series wherever that maximum is strict, and at a tie (a kink of max) it is the series
 * of the selected branch. The 1-D modules are the 2-D ones with height 1. A residual block
 * z = u + F(u) runs its body F on the block of u and adds the two series term by term (the body's
 * may have the higher degree), which is exact: the series of a sum is the sum of the series.
 *
 * @example
 * ```ts
 * const { polynomials } = exactTaylorModules(modules, 2, [0, 0], 8);
 * polynomials[0].coefficient([1, 2]); // ∂²f/∂x1∂x2 (0) / 1!1!
 * ```
 *
 * @module
 */

import { getBasis, getProductTable, productPairCount, termCount } from "../poly/basis.ts";
import {
  affineBlock,
  avgPool1dBlock,
  avgPool2dBlock,
  conv1dBlock,
  conv2dBlock,
  gatherBlock,
} from "../poly/block.ts";
import { activateBlock } from "../nn2poly/engine.ts";
import { Polynomial } from "../poly/polynomial.ts";
import { Terms } from "../poly/terms.ts";
import type { TaylorResult } from "./exact.ts";
import type { MonomialBasis, ProductTable } from "../poly/basis.ts";
import {
  checkResidual,
  type HopeModule,
  type MaxPool1dModule,
  type MaxPool2dModule,
  moduleInputSize,
  moduleOutputSize,
} from "./modules.ts";

/** Default limit on terms × units of the largest block (about 320 MB of float64). */
export const DEFAULT_MAX_BLOCK = 40_000_000;

/** Options of {@link exactTaylorModules}. */
export interface ExactModulesOptions {
  /** Refuse graphs whose largest block (terms × units) or product table exceeds this. */
  readonly maxCoefficients?: number;
}

/**
 * Exact Taylor coefficients ∂^α f(x0)/α!, |α| ≤ `order`, of every output of a module graph with
 * `inputs` inputs. Terms are all monomials of degree ≤ `order` in graded-lex order.
 */
export function exactTaylorModules(
  modules: readonly HopeModule[],
  inputs: number,
  x0: ArrayLike<number>,
  order: number,
  options: ExactModulesOptions = {},
): TaylorResult {
  if (!Number.isInteger(inputs) || inputs < 1) {
    throw new RangeError(`inputs: expected a positive integer, got ${inputs}`);
  }
  if (!x0 || x0.length !== inputs) {
    throw new RangeError(`x0: expected ${inputs} values (one per input), got ${x0?.length}`);
  }
  for (let i = 0; i < inputs; i++) {
    if (!Number.isFinite(x0[i])) throw new RangeError(`x0[${i}]: expected a finite number, got ${x0[i]}`);
  }
  if (!Number.isInteger(order) || order < 0) {
    throw new RangeError(`order must be a non-negative integer, got ${order}`);
  }
  if (modules.length === 0) throw new RangeError("modules: expected at least one module");
  const limit = options.maxCoefficients ?? DEFAULT_MAX_BLOCK;
  const K = order;
  const p = inputs;
  const fullTerms = termCount(p, K);
  const check = (mods: readonly HopeModule[], width: number, where: string): void => {
    mods.forEach((m, idx) => {
      const at = `${where}[${idx}]`;
      if (m.kind === "residual") checkResidual(m, at);
      if (moduleInputSize(m) !== width) {
        throw new RangeError(
          `${at} (${m.kind}): expects ${moduleInputSize(m)} inputs but receives ${width}`,
        );
      }
      if (m.kind === "residual") check(m.body, width, `${at}.body`);
      width = moduleOutputSize(m);
      if (fullTerms * Math.max(width, moduleInputSize(m)) > limit) {
        throw new RangeError(
          `${at} (${m.kind}): block of ${fullTerms} terms × ${width} units exceeds ${limit} coefficients; lower the order`,
        );
      }
    });
  };
  check(modules, p, "modules");
  if (K >= 2 && productPairCount(p, K) > limit) {
    throw new RangeError(
      `order ${K} with ${p} inputs: product table exceeds ${limit} pairs; lower the order`,
    );
  }

  const basis = getBasis(p, Math.max(K, 1));
  const table = K >= 2 ? getProductTable(p, K) : undefined;
  // input block x0 + h: degree 1 (0 when K = 0)
  const d0 = Math.min(1, K);
  const X = new Float64Array(basis.offset(d0 + 1) * p);
  for (let i = 0; i < p; i++) {
    X[i] = x0[i];
    if (d0 === 1) X[(1 + i) * p + i] = 1;
  }
  const { block: Y, degree, units } = runModules(
    modules,
    { block: X, degree: d0, units: p },
    K,
    basis,
    table,
  );
  const have = basis.offset(degree + 1);
  const terms = Terms.fromBasis(basis, fullTerms);
  const polynomials = Array.from({ length: units }, (_, j) => {
    const c = new Float64Array(fullTerms);
    for (let t = 0; t < Math.min(have, fullTerms); t++) c[t] = Y[t * units + j];
    return new Polynomial(terms, c);
  });
  return { polynomials, terms };
}

/** A terms-major block with its degree and width. */
interface BlockState {
  readonly block: Float64Array;
  readonly degree: number;
  readonly units: number;
}

/** Applies a (checked) module list to a block, recursing into residual bodies. */
function runModules(
  modules: readonly HopeModule[],
  start: BlockState,
  K: number,
  basis: MonomialBasis,
  table: ProductTable | undefined,
): BlockState {
  let { block: Y, degree, units } = start;
  for (const m of modules) {
    const terms = basis.offset(degree + 1);
    switch (m.kind) {
      case "affine":
        Y = affineBlock(Y, m.inputs, m.weights, m.units, terms);
        break;
      case "conv2d":
        Y = conv2dBlock(Y, terms, m, m.kernel, m.bias);
        break;
      case "conv1d":
        Y = conv1dBlock(Y, terms, m, m.kernel, m.bias);
        break;
      case "avgpool2d":
        Y = avgPool2dBlock(Y, terms, m.channels, m.height, m.width, m.size);
        break;
      case "avgpool1d":
        Y = avgPool1dBlock(Y, terms, m.channels, m.length, m.size);
        break;
      case "maxpool2d":
      case "maxpool1d":
        Y = gatherBlock(Y, units, maxPoolArgmax(m, Y), terms);
        break;
      case "elementwise": {
        const step = activateBlock(
          Y,
          degree,
          units,
          m.activation,
          Math.max(K, 1),
          "local",
          K,
          basis,
          table,
          undefined,
          {
            alpha: m.alpha,
          },
        );
        Y = step.block;
        degree = step.degree;
        break;
      }
      case "residual": {
        // z = u + F(u): the sum of the two series, at the higher of the two degrees
        const body = runModules(m.body, { block: Y, degree, units }, K, basis, table);
        const sum = new Float64Array(Math.max(body.block.length, Y.length));
        sum.set(body.block.length >= Y.length ? body.block : Y);
        const other = body.block.length >= Y.length ? Y : body.block;
        for (let i = 0; i < other.length; i++) sum[i] += other[i];
        Y = sum;
        degree = Math.max(degree, body.degree);
        break;
      }
    }
    units = moduleOutputSize(m);
  }
  return { block: Y, degree, units };
}

/**
 * Per pooling window, the input unit with the largest value at x0 (the block's constant term);
 * ties go to the first unit in row-major window order. Output order is channels-first. A 1-D
 * module is read as height 1 with a `1 × size` window.
 */
export function maxPoolArgmax(m: MaxPool2dModule | MaxPool1dModule, Y: ArrayLike<number>): Int32Array {
  const { channels, size } = m;
  const [height, width, kh] = m.kind === "maxpool1d" ? [1, m.length, 1] : [m.height, m.width, size];
  const oh = Math.floor(height / kh), ow = Math.floor(width / size);
  const index = new Int32Array(channels * oh * ow);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        let best = (c * height + y * kh) * width + x * size;
        for (let dy = 0; dy < kh; dy++) {
          for (let dx = 0; dx < size; dx++) {
            const u = (c * height + y * kh + dy) * width + x * size + dx;
            if (Y[u] > Y[best]) best = u;
          }
        }
        index[(c * oh + y) * ow + x] = best;
      }
    }
  }
  return index;
}
