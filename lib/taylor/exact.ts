/**
 * The exact multivariate Taylor polynomial of a network at x0: every ∂^α f(x0)/α! with |α| ≤ K.
 *
 * Writing x = x0 + h, the first layer's bias absorbs x0, and each unit's activation is expanded
 * at the unit's own potential u(x0) (NN2Poly with a per-unit "local" centre). The potential
 * minus its value at x0 has no constant term, so truncating every series at order K is exact up
 * to degree K: the result equals nested automatic differentiation, up to float64 rounding.
 * Module graphs (convolution, pooling) are handled by `exactTaylorModules` in exact_modules.ts.
 *
 * @example
 * ```ts
 * const { polynomials } = exactTaylor(net, new Float64Array([0.1, -0.2]), 4);
 * polynomials[0].coefficient([1, 2]); // ∂²f/∂x1∂x2 at x0
 * ```
 *
 * @module
 */

import type { DenseLayer, Network } from "../network/network.ts";
import { nn2poly } from "../nn2poly/engine.ts";
import type { Polynomial } from "../poly/polynomial.ts";
import type { Terms } from "../poly/terms.ts";

/** Result of a Taylor engine: one polynomial in h = x − x0 per output unit. */
export interface TaylorResult {
  /** Polynomials in h = x − x0 (term labels via `terms.labels("taylor")`). */
  polynomials: Polynomial[];
  /** The shared term list: all monomials of degree ≤ K. */
  terms: Terms;
}

/** The network with inputs re-centred at x0: f'(h) = f(x0 + h). */
export function shiftInputs(net: Network, x0: ArrayLike<number>): Network {
  if (x0.length !== net.inputs) {
    throw new RangeError(`x0: expected ${net.inputs} values (one per input), got ${x0.length}`);
  }
  const [first, ...rest] = net.layers;
  const weights = first.weights.slice();
  for (let i = 0; i < first.inputs; i++) {
    for (let j = 0; j < first.units; j++) weights[j] += x0[i] * first.weights[(i + 1) * first.units + j];
  }
  const shifted: DenseLayer = { ...first, weights };
  return { inputs: net.inputs, layers: [shifted, ...rest] };
}

/** Exact Taylor coefficients of every output at x0 up to order K. */
export function exactTaylor(net: Network, x0: ArrayLike<number>, order: number): TaylorResult {
  if (!Number.isInteger(order) || order < 0) {
    throw new RangeError(`order must be a non-negative integer, got ${order}`);
  }
  const { polynomials, terms } = nn2poly(shiftInputs(net, x0), {
    maxOrder: order,
    taylorOrders: Math.max(order, 1),
    taylorCenter: "local",
  });
  return { polynomials, terms };
}
