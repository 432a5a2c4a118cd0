/**
 * The piecewise-linear view of a network value: hidden layers `relu` or `leaky_relu` (slope α on
 * the negative side), a `linear` output layer. Everything in `lib/relu/` works on this view.
 *
 * @module
 */

import type { DenseLayer, Network } from "../network/network.ts";
import { activationAlpha } from "../series/activations.ts";

/** A network that is not a dense ReLU network; `field` names what is wrong. */
export class ReluNetworkError extends Error {
  /** The offending field, e.g. `layers[1].activation`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "ReluNetworkError";
    this.field = field;
  }
}

/** One hidden layer: weights in the network's layout and the slope of its negative side. */
export interface PlLayer {
  /** Units of the previous layer. */
  readonly inputs: number;
  /** Units of this layer. */
  readonly units: number;
  /** Row-major `(inputs + 1) × units`, row 0 the bias. */
  readonly weights: Float64Array;
  /** Slope where the pre-activation is ≤ 0: 0 for `relu`, α for `leaky_relu`. */
  readonly slope: number;
  /** Global index of this layer's first hidden unit. */
  readonly offset: number;
}

/** A dense ReLU network seen as a piecewise-linear map. */
export interface PlNetwork {
  /** Inputs p. */
  readonly p: number;
  /** Outputs K. */
  readonly outputs: number;
  /** Hidden layers in order. */
  readonly hidden: readonly PlLayer[];
  /** The linear output layer's weights, `(units of the last hidden layer + 1) × K`. */
  readonly output: Float64Array;
  /** Total hidden units H (length of an activation pattern). */
  readonly H: number;
}

/** The negative-side slope of a `leaky_relu` layer: its `alpha`, or the default 0.01. */
export function leakySlope(layer: DenseLayer): number {
  return activationAlpha("leaky_relu", layer.alpha);
}

/**
 * Checks that `net` is a dense ReLU network (hidden layers `relu` or `leaky_relu` with any finite
 * slope α, last layer `linear`) and returns its piecewise-linear view.
 * Throws {@link ReluNetworkError} naming the field otherwise.
 */
export function plNetwork(net: Network): PlNetwork {
  const L = net.layers.length;
  const hidden: PlLayer[] = [];
  let offset = 0;
  net.layers.forEach((layer, l) => {
    if (l === L - 1) {
      if (layer.activation !== "linear") {
        throw new ReluNetworkError(
          `layers[${l}].activation`,
          `the output layer must be "linear", got "${layer.activation}" (a non-linear output is not piecewise linear in the same regions)`,
        );
      }
      return;
    }
    if (layer.activation !== "relu" && layer.activation !== "leaky_relu") {
      throw new ReluNetworkError(
        `layers[${l}].activation`,
        `hidden layers must be "relu" or "leaky_relu", got "${layer.activation}" (activation regions and the shallow network exist only for piecewise-linear units${
          layer.activation === "elu" ? "; elu is curved for x < 0" : ""
        })`,
      );
    }
    const slope = layer.activation === "relu" ? 0 : leakySlope(layer);
    hidden.push({ inputs: layer.inputs, units: layer.units, weights: layer.weights, slope, offset });
    offset += layer.units;
  });
  const last = net.layers[L - 1];
  return { p: net.inputs, outputs: last.units, hidden, output: last.weights, H: offset };
}

/**
 * Hidden pre-activations of one input (length H, layers in order) and the outputs (length K),
 * by the plain float64 forward pass in the network's own order of operations.
 */
export function preActivations(net: PlNetwork, x: ArrayLike<number>): { z: Float64Array; y: Float64Array } {
  const z = new Float64Array(net.H);
  let a: ArrayLike<number> = x;
  for (const layer of net.hidden) {
    const { inputs, units, weights, slope, offset } = layer;
    const next = new Float64Array(units);
    for (let j = 0; j < units; j++) {
      let s = weights[j];
      for (let i = 0; i < inputs; i++) s += a[i] * weights[(i + 1) * units + j];
      z[offset + j] = s;
      next[j] = s > 0 ? s : slope * s;
    }
    a = next;
  }
  const K = net.outputs;
  const n = a.length;
  const y = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = net.output[k];
    for (let i = 0; i < n; i++) s += a[i] * net.output[(i + 1) * K + k];
    y[k] = s;
  }
  return { z, y };
}

/**
 * The local affine map of an activation pattern: the network equals `A·x + c` wherever its hidden
 * units have that pattern (bit 1 ⇔ pre-activation > 0). `A` is row-major K × p.
 */
export function localAffine(
  net: PlNetwork,
  pattern: ArrayLike<number>,
): { A: Float64Array; c: Float64Array } {
  const { p } = net;
  // activations a = x·M + m, M row-major p × n
  let M: Float64Array = new Float64Array(p * p);
  for (let k = 0; k < p; k++) M[k * p + k] = 1;
  let m: Float64Array = new Float64Array(p);
  let n = p;
  for (const layer of net.hidden) {
    const { G, h } = affineThrough(M, m, n, layer.weights, layer.units, p);
    applySlopes(G, h, p, layer.units, (j) => (pattern[layer.offset + j] ? 1 : layer.slope));
    M = G;
    m = h;
    n = layer.units;
  }
  const K = net.outputs;
  const { G, h } = affineThrough(M, m, n, net.output, K, p);
  const A = new Float64Array(K * p);
  for (let k = 0; k < K; k++) for (let q = 0; q < p; q++) A[k * p + q] = G[q * K + k];
  return { A, c: h };
}

/**
 * The affine map of a layer's pre-activations given its inputs' map `x·M + m` (M row-major p × n):
 * `G = M·W[1:]` (p × units) and `h = m·W[1:] + W[0]`.
 */
export function affineThrough(
  M: Float64Array,
  m: Float64Array,
  n: number,
  W: Float64Array,
  units: number,
  p: number,
): { G: Float64Array; h: Float64Array } {
  const G = new Float64Array(p * units);
  const h = new Float64Array(units);
  for (let j = 0; j < units; j++) h[j] = W[j];
  for (let i = 0; i < n; i++) {
    const row = (i + 1) * units;
    const mi = m[i];
    if (mi !== 0) { for (let j = 0; j < units; j++) h[j] += mi * W[row + j]; }
    for (let q = 0; q < p; q++) {
      const Mqi = M[q * n + i];
      if (Mqi === 0) continue;
      for (let j = 0; j < units; j++) G[q * units + j] += Mqi * W[row + j];
    }
  }
  return { G, h };
}

/** Multiplies column j of G (p × units) and h[j] by `slope(j)` (1 for an active unit), in place. */
export function applySlopes(
  G: Float64Array,
  h: Float64Array,
  p: number,
  units: number,
  slope: (j: number) => number,
): void {
  for (let j = 0; j < units; j++) {
    const s = slope(j);
    if (s === 1) continue;
    h[j] *= s;
    for (let q = 0; q < p; q++) G[q * units + j] *= s;
  }
}
