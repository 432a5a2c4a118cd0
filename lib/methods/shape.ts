/**
 * The layer shapes a config describes, as the size estimators of the engines read them (no weights).
 *
 * @module
 */

import type { ConfigShape } from "../experiment/method.ts";
import type { ActivationName } from "../series/activations.ts";

/** A network's inputs and its layers' activations and widths (hidden layers, then the linear output layer). */
export interface NetworkShape {
  inputs: number;
  layers: { activation: ActivationName; units: number }[];
}

/** The shape of the network a config trains. */
export function shapeNetwork(shape: ConfigShape): NetworkShape {
  return {
    inputs: shape.p,
    layers: [
      ...shape.hidden.map((units, l) => ({ activation: shape.activations[l], units })),
      { activation: "linear", units: shape.outputs },
    ],
  };
}
