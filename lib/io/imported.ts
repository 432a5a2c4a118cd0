/**
 * A model imported from another framework (ONNX, tfjs `model.json`), as polylab values: the module
 * list of lib/taylor/modules.ts (dense, conv, pool, residual) that the Taylor engines take, and —
 * when the graph is a chain of dense layers — the {@link Network} that every method takes.
 *
 * @module
 */

import type { DenseLayer, Network } from "../network/network.ts";
import type { ElementwiseModule, HopeModule } from "../taylor/modules.ts";

/** An imported model. */
export interface ImportedModel {
  /** The file format it came from. */
  readonly format: "onnx" | "tfjs";
  /** Number of inputs p: the product of the input's non-batch dimensions. */
  readonly inputs: number;
  /** The input's non-batch dimensions (variables are its elements in C order). */
  readonly inputShape: readonly number[];
  /** Number of outputs. */
  readonly outputs: number;
  /** The graph as modules on flat channels-first vectors. */
  readonly modules: readonly HopeModule[];
  /** The dense network, when the graph is a chain of dense layers with elementwise activations. */
  readonly network?: Network;
  /** Why there is no dense network (names the first module that is not dense), otherwise undefined. */
  readonly notDense?: string;
}

/**
 * Reads a module list as a dense network: each affine module starts a layer, an elementwise module
 * right after it becomes that layer's activation (with its α). An activation with no affine module
 * right before it (on the input, or a second one in a row) gets an identity layer of its own, so the
 * network computes the same function. Returns the reason instead when a module is not affine or
 * elementwise; `origin` names a module for that message.
 */
export function modulesToNetwork(
  modules: readonly HopeModule[],
  inputs: number,
  origin: (m: HopeModule) => string,
): { network: Network } | { reason: string } {
  const layers: DenseLayer[] = [];
  let width = inputs;
  let open = false; // the last layer has no activation yet
  for (const m of modules) {
    if (m.kind === "affine") {
      layers.push({
        kind: "dense",
        activation: "linear",
        inputs: m.inputs,
        units: m.units,
        weights: m.weights,
      });
      width = m.units;
      open = true;
    } else if (m.kind === "elementwise") {
      if (!open) layers.push(identityLayer(width));
      const last = layers[layers.length - 1];
      layers[layers.length - 1] = withActivation(last, m);
      open = false;
    } else {
      return {
        reason: `${origin(m)} becomes a module of kind ${m.kind}, not a dense layer or activation`,
      };
    }
  }
  if (layers.length === 0) return { reason: "the model has no dense layer" };
  return { network: { inputs, layers } };
}

function identityLayer(n: number): DenseLayer {
  const weights = new Float64Array((n + 1) * n);
  for (let i = 0; i < n; i++) weights[(i + 1) * n + i] = 1;
  return { kind: "dense", activation: "linear", inputs: n, units: n, weights };
}

function withActivation(layer: DenseLayer, m: ElementwiseModule): DenseLayer {
  const { activation, alpha } = m;
  return alpha === undefined ? { ...layer, activation } : { ...layer, activation, alpha };
}

/** Product of a list of dimensions (1 for none). */
export function productOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
