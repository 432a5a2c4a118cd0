/**
 * The exact Taylor polynomial of a module graph (the modules HOPE supports: affine, elementwise,
 * conv2d, avgpool2d, maxpool2d) at x0, up to total degree K, so HOPE and the exact coefficients can
 * be compared on every network.
 *
 * Every module maps a terms-major block (`block[t * units + j]`, graded basis in h = x − x0) to the
 * next. The input block is x0 + h (constant x0, linear part the identity), so any module may come
 * first and no bias needs shifting. Affine maps, convolution and average pooling are linear maps of
 * the series, applied to every term. An activation is expanded at each unit's own value at x0 (its
 * constant term, centre "local") to order K and truncated at degree K, which is exact because the
 * series minus its constant has no constant term. Max pooling selects, per window, the unit with the
 * largest value at x0 (ties: the first in row-major window order, as in HOPE's rule); this is the
 * exact local series wherever that maximum is strict, and at a tie (a kink of max) it is the series
 * of the selected branch.
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
import { affineBlock, avgPool2dBlock, conv2dBlock, gatherBlock } from "../poly/block.ts";
import { activateBlock } from "../nn2poly/engine.ts";
import { Polynomial } from "../poly/polynomial.ts";
import { Terms } from "../poly/terms.ts";
import type { TaylorResult } from "./exact.ts";
import { type HopeModule, type MaxPool2dModule, moduleInputSize, moduleOutputSize } from "./modules.ts";

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
  let width = p;
  modules.forEach((m, idx) => {
    if (moduleInputSize(m) !== width) {
      throw new RangeError(
        `modules[${idx}] (${m.kind}): expects ${moduleInputSize(m)} inputs but receives ${width}`,
      );
    }
    width = moduleOutputSize(m);
    if (fullTerms * Math.max(width, moduleInputSize(m)) > limit) {
      throw new RangeError(
        `modules[${idx}] (${m.kind}): block of ${fullTerms} terms × ${width} units exceeds ${limit} coefficients; lower the order`,
      );
    }
  });
  if (K >= 2 && productPairCount(p, K) > limit) {
    throw new RangeError(
      `order ${K} with ${p} inputs: product table exceeds ${limit} pairs; lower the order`,
    );
  }

  const basis = getBasis(p, Math.max(K, 1));
  const table = K >= 2 ? getProductTable(p, K) : undefined;
  // input block x0 + h: degree 1 (0 when K = 0)
  let degree = Math.min(1, K);
  let units = p;
  let Y: Float64Array = new Float64Array(basis.offset(degree + 1) * p);
  for (let i = 0; i < p; i++) {
    Y[i] = x0[i];
    if (degree === 1) Y[(1 + i) * p + i] = 1;
  }
  for (const m of modules) {
    const terms = basis.offset(degree + 1);
    switch (m.kind) {
      case "affine":
        Y = affineBlock(Y, m.inputs, m.weights, m.units, terms);
        break;
      case "conv2d":
        Y = conv2dBlock(Y, terms, m, m.kernel, m.bias);
        break;
      case "avgpool2d":
        Y = avgPool2dBlock(Y, terms, m.channels, m.height, m.width, m.size);
        break;
      case "maxpool2d":
        Y = gatherBlock(Y, units, maxPoolArgmax(m, Y), terms);
        break;
      case "elementwise": {
        const step = activateBlock(Y, degree, units, m.activation, Math.max(K, 1), "local", K, basis, table);
        Y = step.block;
        degree = step.degree;
        break;
      }
    }
    units = moduleOutputSize(m);
  }

  const have = basis.offset(degree + 1);
  const terms = Terms.fromBasis(basis, fullTerms);
  const polynomials = Array.from({ length: units }, (_, j) => {
    const c = new Float64Array(fullTerms);
    for (let t = 0; t < Math.min(have, fullTerms); t++) c[t] = Y[t * units + j];
    return new Polynomial(terms, c);
  });
  return { polynomials, terms };
}

/**
 * Per pooling window, the input unit with the largest value at x0 (the block's constant term);
 * ties go to the first unit in row-major window order. Output order is channels-first.
 */
export function maxPoolArgmax(m: MaxPool2dModule, Y: ArrayLike<number>): Int32Array {
  const { channels, height, width, size } = m;
  const oh = Math.floor(height / size), ow = Math.floor(width / size);
  const index = new Int32Array(channels * oh * ow);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        let best = (c * height + y * size) * width + x * size;
        for (let dy = 0; dy < size; dy++) {
          for (let dx = 0; dx < size; dx++) {
            const u = (c * height + y * size + dy) * width + x * size + dx;
            if (Y[u] > Y[best]) best = u;
          }
        }
        index[(c * oh + y) * ow + x] = best;
      }
    }
  }
  return index;
}
