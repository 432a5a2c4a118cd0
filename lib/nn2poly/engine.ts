/**
 * NN2Poly (Morala et al., IEEE TNNLS 2023): the polynomial of a dense network obtained by
 * replacing each activation g with its Taylor polynomial of order q_l around a centre a and
 * propagating truncated multivariate polynomials layer by layer.
 *
 * Formulation: all units of a layer are propagated together as a terms-major block over the
 * graded basis. For each unit the Taylor polynomial Σ_n c_n (u − a)^n is re-expanded exactly
 * around the unit's constant term b as Σ_k d_k v^k with v = u − b, which has no constant term,
 * so v^k only has degrees ≥ k and only max_order − 1 truncated products are needed.
 *
 * With `taylorCenter: "local"` each unit is expanded at its own b (the exact Taylor series of g at
 * b); this is the engine behind the exact high-order Taylor polynomial of lib/taylor.
 *
 * @example
 * ```ts
 * const net = parseNetwork(JSON.parse(await Deno.readTextFile("net.json")));
 * const { polynomials } = nn2poly(net, { maxOrder: 3, taylorOrders: 8 });
 * console.log(polynomials[0].toString({ maxTerms: 5 }));
 * ```
 *
 * @module
 */

import {
  getBasis,
  getProductTable,
  type MonomialBasis,
  productPairCount,
  type ProductTable,
  termCount,
} from "../poly/basis.ts";
import { blockColumn } from "../poly/block.ts";
import { type BlockBackend, jsBackend, wasmBackend } from "../poly/backend.ts";
import { WasmBlocks } from "../poly/wasm.ts";
import { Polynomial } from "../poly/polynomial.ts";
import { Terms } from "../poly/terms.ts";
import {
  type ActivationName,
  isAnalytic,
  taylorCoefficients,
  taylorCoefficientsAt,
} from "../series/activations.ts";
import type { Network } from "../network/network.ts";

/** Options of {@link nn2poly}, named as in the R package. */
export interface Nn2polyOptions {
  /** Highest degree kept (Q). */
  maxOrder: number;
  /**
   * Taylor order per layer: one number (used for every non-linear layer; linear layers use 1)
   * or one number per layer. Default 8.
   */
  taylorOrders?: number | readonly number[];
  /** Expansion centre of every activation (default 0), or `"local"`: each unit's own constant term. */
  taylorCenter?: number | "local";
  /** Also return the polynomials of every layer's potentials and outputs. */
  keepLayers?: boolean;
  /**
   * Kernels: `"wasm"` (WebAssembly SIMD, the default) or `"js"` (the reference typed-array loops);
   * both give bit-identical results.
   */
  backend?: "wasm" | "js";
  /**
   * Refuse networks whose largest block (terms × units) exceeds this many coefficients
   * (default 40 million, about 1.6 GB of working memory).
   */
  maxCoefficients?: number;
}

/** The polynomials of one layer, kept with `keepLayers`. */
export interface LayerPolynomials {
  /** Potentials u_j (the affine map's outputs). */
  potentials: Polynomial[];
  /** Outputs g(u_j) as truncated Taylor polynomials. */
  outputs: Polynomial[];
}

/** Result of {@link nn2poly}. */
export interface Nn2polyResult {
  /** One polynomial per output unit, sharing one term list. */
  polynomials: Polynomial[];
  /** The shared term list (all monomials up to the result's degree). */
  terms: Terms;
  /** Per-layer polynomials when `keepLayers` is set. */
  layers?: LayerPolynomials[];
  /** Taylor order used for each layer. */
  taylorOrders: number[];
}

/** Raised when an option or the network does not allow an expansion. */
export class Nn2polyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Nn2polyError";
  }
}

/** What the size estimate reads of a network: its inputs and each layer's activation and width. */
export interface LayerShapes {
  readonly inputs: number;
  readonly layers: readonly { readonly activation: ActivationName; readonly units: number }[];
}

/** Default limit on terms × units of the largest block. */
export const DEFAULT_MAX_COEFFICIENTS = 40_000_000;

/** Resolves `taylorOrders` to one order per layer (1 for linear layers when given as a number). */
export function resolveTaylorOrders(net: LayerShapes, orders: number | readonly number[] = 8): number[] {
  if (typeof orders === "number") {
    if (!Number.isInteger(orders) || orders < 1) {
      throw new Nn2polyError(`taylor_orders must be a positive integer, got ${orders}`);
    }
    return net.layers.map((l) => (l.activation === "linear" ? 1 : orders));
  }
  if (orders.length !== net.layers.length) {
    throw new Nn2polyError(
      `taylor_orders has ${orders.length} entries but the network has ${net.layers.length} layers; give one per layer`,
    );
  }
  orders.forEach((q, i) => {
    if (!Number.isInteger(q) || q < 1) {
      throw new Nn2polyError(`taylor_orders[${i}] must be a positive integer, got ${q}`);
    }
  });
  return [...orders];
}

/**
 * Predicted size of the expansion before any allocation: the terms of the final basis and the
 * largest block (terms × units), for the memory guard.
 */
export function estimateSize(
  net: LayerShapes,
  maxOrder: number,
  orders: readonly number[],
): { terms: number; largestBlock: number; productPairs: number; degree: number } {
  let degree = 1;
  let largest = 0;
  net.layers.forEach((layer, l) => {
    degree = layer.activation === "linear" ? degree : Math.min(degree * orders[l], maxOrder);
    largest = Math.max(largest, termCount(net.inputs, degree) * layer.units);
  });
  return {
    terms: termCount(net.inputs, degree),
    largestBlock: largest,
    productPairs: productPairCount(net.inputs, degree),
    degree: Math.min(degree, maxOrder),
  };
}

/**
 * Throws an {@link Nn2polyError} naming the layer, stage, unit and term of the first non-finite
 * coefficient of a terms-major block (float64 overflow, e.g. weights of 1e300), if there is one.
 */
function requireFinite(
  block: Float64Array,
  units: number,
  basis: MonomialBasis,
  layer: number,
  stage: "potentials" | "activation output",
  net: Network,
): void {
  for (let i = 0; i < block.length; i++) {
    if (Number.isFinite(block[i])) continue;
    const t = Math.floor(i / units), j = i % units;
    const label = JSON.stringify(Terms.fromBasis(basis, t + 1).labels("nn2poly")[t]);
    let largest = 0;
    for (const w of net.layers[layer].weights) largest = Math.max(largest, Math.abs(w));
    throw new Nn2polyError(
      `non-finite coefficients (float64 overflow): the first is in layers[${layer}] ${stage}, unit ${
        j + 1
      }, ` +
        `term ${label} (= ${block[i]}; largest |weight| of that layer ${largest.toExponential(2)}); ` +
        `rescale the weights or lower max_order/taylor_orders`,
    );
  }
}

/**
 * Coefficients d_0..d_K of the activation's order-q Taylor polynomial around `center`,
 * re-expanded around b: Σ_{n≤q} c_n (u − a)^n = Σ_k d_k (u − b)^k, for every unit.
 * Returns `d[k]` as a Float64Array over units.
 */
function reexpandedCoefficients(
  activation: ActivationName,
  q: number,
  center: number | "local",
  b: Float64Array,
  K: number,
  alpha?: number,
): Float64Array[] {
  const units = b.length;
  const d = Array.from({ length: K + 1 }, () => new Float64Array(units));
  if (center === "local") {
    const c = taylorCoefficientsAt(activation, b, Math.min(q, K), alpha);
    c.forEach((ck, k) => d[k].set(ck));
    return d;
  }
  const c = taylorCoefficients(activation, center, q, alpha);
  // binomial[n][k] via Pascal's triangle
  const binom: number[][] = [];
  for (let n = 0; n <= q; n++) {
    binom.push([]);
    for (let k = 0; k <= n; k++) binom[n][k] = k === 0 || k === n ? 1 : binom[n - 1][k - 1] + binom[n - 1][k];
  }
  const pw = new Float64Array(q + 1);
  for (let j = 0; j < units; j++) {
    const delta = b[j] - center;
    pw[0] = 1;
    for (let n = 1; n <= q; n++) pw[n] = pw[n - 1] * delta;
    for (let k = 0; k <= K; k++) {
      let s = 0;
      for (let n = q; n >= k; n--) s += c[n] * binom[n][k] * pw[n - k];
      d[k][j] = s;
    }
  }
  return d;
}

/** A block after an elementwise activation, with its polynomial degree. */
export interface ActivatedBlock {
  /** Terms-major block over the first `basis.offset(degree + 1)` terms. */
  block: Float64Array;
  /** Degree of the block's polynomials. */
  degree: number;
}

/**
 * Applies an activation's order-q Taylor polynomial (around `center`, or each unit's own constant
 * term with `"local"`) to a block of potentials of degree `degree`, truncating at `maxOrder`.
 * Shared by NN2Poly and the exact Taylor engine (which also uses it after convolution and
 * pooling modules). `into.alpha` is the layer's α for leaky_relu / elu.
 */
export function activateBlock(
  pot: Float64Array,
  degree: number,
  units: number,
  activation: ActivationName,
  q: number,
  center: number | "local",
  maxOrder: number,
  basis: MonomialBasis,
  table: ProductTable | undefined,
  backend: BlockBackend = jsBackend(table),
  into: { out?: Float64Array; consumePotentials?: boolean; alpha?: number } = {},
): ActivatedBlock {
  if (activation === "linear") {
    if (!into.out) return { block: pot, degree };
    into.out.set(pot);
    return { block: into.out, degree };
  }
  const potTerms = pot.length / units;
  const outDegree = Math.min(degree * q, maxOrder);
  const outTerms = basis.offset(outDegree + 1);
  const K = Math.min(q, outDegree);
  const d = reexpandedCoefficients(activation, q, center, pot.slice(0, units), K, into.alpha).map((dk) => {
    const view = backend.alloc(units);
    view.set(dk);
    return view;
  });
  // v = potentials without their constant term (degrees 1..degree: the first potTerms rows);
  // every product below reads only those rows
  let v: Float64Array;
  if (into.consumePotentials) {
    v = pot;
    v.fill(0, 0, units);
  } else {
    v = backend.alloc(potTerms * units);
    v.set(pot.subarray(units), units);
  }
  const out = into.out ?? backend.alloc(outTerms * units);
  if (into.out) out.fill(0);
  out.set(d[0], 0);
  if (K >= 1) backend.axpy(out, d[1], v, units, potTerms);
  let power = v;
  for (let k = 2; k <= K; k++) {
    // the last power is accumulated straight into out, scaled by d_K: no block of its own
    const last = k === K;
    const next = last ? out : backend.alloc(outTerms * units);
    const scale = last ? d[k] : undefined;
    if (k === 2) backend.square(next, v, degree, units, outDegree, scale);
    else {
      backend.mul(
        next,
        power,
        k - 1,
        Math.min((k - 1) * degree, outDegree),
        v,
        degree,
        units,
        outDegree,
        scale,
      );
    }
    if (!last) backend.axpy(out, d[k], next, units, outTerms);
    power = next;
  }
  return { block: out, degree: outDegree };
}

/** Bytes of wasm arena one layer needs (weights, potentials, activation buffers), upper bound. */
function layerBytes(inputs: number, units: number, potTerms: number, outTerms: number, K: number): number {
  const align = (n: number) => Math.ceil((n * 8) / 16) * 16;
  return align(potTerms * units) + (K + 1) * align(units) + Math.max(K - 2, 0) * align(outTerms * units) +
    align((inputs + 1) * units);
}

/**
 * Computes the NN2Poly polynomial(s) of a dense network: one polynomial per output unit over all
 * monomials of degree ≤ min(max_order, the network's polynomial degree).
 */
export function nn2poly(net: Network, options: Nn2polyOptions): Nn2polyResult {
  const requestedQ = options.maxOrder;
  if (!Number.isInteger(requestedQ) || requestedQ < 0) {
    throw new Nn2polyError(`max_order must be a non-negative integer, got ${requestedQ}`);
  }
  const center = options.taylorCenter ?? 0;
  if (center !== "local" && !Number.isFinite(center)) {
    throw new Nn2polyError(`taylor_center must be a finite number or "local", got ${center}`);
  }
  const orders = resolveTaylorOrders(net, options.taylorOrders);
  net.layers.forEach((layer, l) => {
    // a local expansion of a piecewise-linear unit is exact away from its kink
    if (center !== "local" && !isAnalytic(layer.activation)) {
      throw new Nn2polyError(
        `layers[${l}].activation "${layer.activation}" has no Taylor expansion at its kink (x = 0), so NN2Poly ` +
          `cannot represent it; use an analytic activation (tanh, sigmoid, softplus, silu, gelu…), or for a ` +
          `relu/leaky_relu network \`deno task poly shallow\` (exact: activation regions, local linear models, ` +
          `±∞-weight shallow network)`,
      );
    }
  });
  const limit = options.maxCoefficients ?? DEFAULT_MAX_COEFFICIENTS;
  const size = estimateSize(net, requestedQ, orders);
  if (size.largestBlock > limit || size.productPairs > limit) {
    throw new Nn2polyError(
      `expansion too large: ${size.terms} terms (C(p+Q, Q) with p=${net.inputs}, Q=${size.degree}), largest ` +
        `layer block ${size.largestBlock} coefficients, product table ${size.productPairs} pairs, above the ` +
        `limit of ${limit}; lower max_order or the Taylor orders (or raise the limit, maxCoefficients)`,
    );
  }

  // the basis and product table are built for the degree the expansion reaches, min(degree, Q): the
  // guard above estimated exactly that size (a Q above the network's degree gives the same result)
  const Q = Math.min(size.degree, requestedQ);
  const p = net.inputs;
  const basis = getBasis(p, Math.max(Q, 1));
  const table = Q >= 2 ? getProductTable(p, Q) : undefined;

  // plan the degrees and the arena before any allocation
  const plan: { potTerms: number; outTerms: number; outDegree: number; K: number }[] = [];
  let degree = 1;
  let slot = basis.offset(2) * p;
  let arena = 0;
  let prevUnits = p;
  net.layers.forEach((layer, l) => {
    const potTerms = basis.offset(Math.min(degree, Math.max(Q, 1)) + 1);
    const outDegree = layer.activation === "linear" ? degree : Math.min(degree * orders[l], Q);
    const outTerms = basis.offset(outDegree + 1);
    const K = layer.activation === "linear" ? 0 : Math.min(orders[l], outDegree);
    plan.push({ potTerms, outTerms, outDegree, K });
    slot = Math.max(slot, outTerms * layer.units, potTerms * layer.units);
    arena = Math.max(arena, layerBytes(prevUnits, layer.units, potTerms, outTerms, K));
    prevUnits = layer.units;
    degree = outDegree;
  });
  const wasm = options.backend !== "js" ? WasmBlocks.get() : undefined;
  if (wasm) {
    const tableBytes = table ? 4 * (table.product.length + table.rowStart.length) + basis.size + 2048 : 2048;
    wasm.reset(
      2 * (slot * 8 + 16) + arena + tableBytes + 8 * Math.max(p, ...net.layers.map((l) => l.units)) + 4096,
    );
  }
  const maxUnits = Math.max(p, ...net.layers.map((l) => l.units));
  const backend = wasm ? wasmBackend(wasm, table, maxUnits) : jsBackend(table);
  // two blocks carry the layers: `slot` holds a layer's input and, once the affine step has read
  // it, the layer's output; `potBlock` holds the potentials (fewer fresh pages to fault in)
  const slotBlock = backend.alloc(slot);
  const potBlock = backend.alloc(slot);
  const layerMark = wasm?.mark() ?? 0;

  // input block: Y[1 + i, i] = 1 (x_i), degree 1
  degree = 1;
  let inputs = p;
  let Y = slotBlock.subarray(0, basis.offset(2) * p);
  for (let i = 0; i < p; i++) Y[(1 + i) * p + i] = 1;
  const layers: LayerPolynomials[] = [];

  net.layers.forEach((layer, l) => {
    wasm?.release(layerMark);
    const units = layer.units;
    const { potTerms } = plan[l];
    const pot = potBlock.subarray(0, potTerms * units); // fully written by the affine step
    backend.affine(Y, inputs, layer.weights, units, potTerms, pot);
    requireFinite(pot, units, basis, l, "potentials", net);
    const { outTerms } = plan[l];
    const potentials = options.keepLayers
      ? Array.from({ length: units }, (_, j) => blockColumn(pot, units, j, potTerms))
      : [];
    // Y is no longer needed: the output goes into its slot; the potentials are consumed as v
    const next = slotBlock.subarray(0, outTerms * units);
    const step = activateBlock(
      pot,
      degree,
      units,
      layer.activation,
      orders[l],
      center,
      Q,
      basis,
      table,
      backend,
      {
        out: next,
        consumePotentials: true,
        alpha: layer.alpha,
      },
    );
    const outDegree = step.degree;
    requireFinite(next, units, basis, l, "activation output", net);
    if (options.keepLayers) {
      const potTermList = Terms.fromBasis(basis, potTerms);
      const outTermList = Terms.fromBasis(basis, outTerms);
      layers.push({
        potentials: potentials.map((c) => new Polynomial(potTermList, c)),
        outputs: Array.from(
          { length: units },
          (_, j) => new Polynomial(outTermList, blockColumn(next, units, j, outTerms)),
        ),
      });
    }
    Y = next;
    inputs = units;
    degree = outDegree;
  });

  const finalDegree = Math.min(degree, Q);
  const nTerms = basis.offset(finalDegree + 1);
  const terms = Terms.fromBasis(basis, nTerms);
  const polynomials = Array.from(
    { length: inputs },
    (_, j) => new Polynomial(terms, blockColumn(Y, inputs, j, nTerms)),
  );
  return { polynomials, terms, layers: options.keepLayers ? layers : undefined, taylorOrders: orders };
}
