/**
 * Wiretapping a layer of a network value (`lib/network`) on given inputs, and applying a
 * descrambler P to the weights. A trained tfjs model is converted to a network value first
 * (`lib/train/convert.ts`); this room never imports tfjs.
 *
 * Where the tap sits decides where P goes (the authors' `descramble.m`):
 * - `"pre"`, before the activation (signals u = b + W·a): P descrambles the output side of that
 *   layer's weights, P·W (and P·b);
 * - `"post"`, after it (signals a = f(u)): P⁻¹ = Pᵀ descrambles the input side of the next layer's
 *   weights, W_next·Pᵀ, which leaves the network's function unchanged when the signals are P·a.
 *
 * @module
 */

import { forward, type Network } from "../network/network.ts";
import { GramAccumulator } from "./gram.ts";

/** Where a layer is tapped: before (`"pre"`) or after (`"post"`) its activation. */
export type TapPoint = "pre" | "post";

/** A wiretap: layer index (0 = first hidden layer) and the side of its activation. */
export interface Wiretap {
  readonly layer: number;
  readonly point: TapPoint;
}

function checkTap(net: Network, tap: Wiretap): void {
  if (!Number.isInteger(tap.layer) || tap.layer < 0 || tap.layer >= net.layers.length) {
    throw new Error(`wiretap: layer must be 0..${net.layers.length - 1}, got ${tap.layer}`);
  }
  if (tap.point === "post" && tap.layer === net.layers.length - 1) {
    throw new Error(
      'wiretap: the output layer has no next layer to descramble; tap it "pre" or an earlier layer',
    );
  }
}

/** The network cut after the tapped layer (its activation dropped for a `"pre"` tap). */
function truncated(net: Network, tap: Wiretap): Network {
  const layers = net.layers.slice(0, tap.layer + 1);
  if (tap.point === "pre") layers[tap.layer] = { ...layers[tap.layer], activation: "linear" };
  return { inputs: net.inputs, layers };
}

/**
 * The tapped layer's signals on n inputs x (row-major n × p), sample-major (n × k): row s is the
 * layer's k values for input s.
 */
export function tapSignals(net: Network, tap: Wiretap, x: Float64Array, n: number): Float64Array {
  checkTap(net, tap);
  return forward(truncated(net, tap), x, n);
}

/**
 * SSᵀ of the tapped signals over n inputs, computed in batches so that S is never held: memory is
 * O(batch·k + k²) whatever n is.
 */
export function tapGram(net: Network, tap: Wiretap, x: Float64Array, n: number, batch = 4096): Float64Array {
  checkTap(net, tap);
  const cut = truncated(net, tap);
  const p = net.inputs;
  const acc = new GramAccumulator(net.layers[tap.layer].units);
  for (let s0 = 0; s0 < n; s0 += batch) {
    const b = Math.min(batch, n - s0);
    acc.addSamples(forward(cut, x.subarray(s0 * p, (s0 + b) * p), b), b);
  }
  return acc.matrix();
}

/** What applying P changed: which layer, which side, and its new weights (fixtures' layout, bias row first). */
export interface DescrambledWeights {
  /** Index of the layer whose weights changed. */
  readonly layer: number;
  /** `"output"`: columns (units) mixed by P; `"input"`: weight rows mixed by P. */
  readonly side: "output" | "input";
  /** Row-major (inputs + 1) × units, row 0 the bias. */
  readonly weights: Float64Array;
  readonly inputs: number;
  readonly units: number;
}

/**
 * Applies the descrambler P (row-major k × k, acting on the signals: s ↦ P·s) to the weights:
 * `"pre"` → the tapped layer's units become P·u (every row, bias included, is multiplied by Pᵀ on
 * the right); `"post"` → the next layer reads P·a, so its weight rows (not the bias) become P·W_rows.
 */
export function descrambleWeights(net: Network, tap: Wiretap, P: Float64Array): DescrambledWeights {
  checkTap(net, tap);
  const k = net.layers[tap.layer].units;
  if (P.length !== k * k) throw new Error(`descrambleWeights: P must be ${k}×${k}`);
  if (tap.point === "pre") {
    const { inputs, units, weights } = net.layers[tap.layer];
    const out = new Float64Array(weights.length);
    for (let r = 0; r <= inputs; r++) {
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let b = 0; b < k; b++) s += P[a * k + b] * weights[r * units + b];
        out[r * units + a] = s;
      }
    }
    return { layer: tap.layer, side: "output", weights: out, inputs, units };
  }
  const next = net.layers[tap.layer + 1];
  const { inputs, units, weights } = next;
  const out = weights.slice();
  for (let a = 0; a < k; a++) {
    for (let c = 0; c < units; c++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += P[a * k + b] * weights[(b + 1) * units + c];
      out[(a + 1) * units + c] = s;
    }
  }
  return { layer: tap.layer + 1, side: "input", weights: out, inputs, units };
}

/** The signals P·s of a sample-major block (n × k): row s becomes P applied to it. */
export function descrambleSignals(
  signals: Float64Array,
  n: number,
  P: Float64Array,
  k: number,
): Float64Array {
  const out = new Float64Array(n * k);
  for (let s = 0; s < n; s++) {
    for (let a = 0; a < k; a++) {
      let v = 0;
      for (let b = 0; b < k; b++) v += P[a * k + b] * signals[s * k + b];
      out[s * k + a] = v;
    }
  }
  return out;
}
