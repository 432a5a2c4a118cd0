/**
 * Conversion between trained tfjs models and the polylab {@link Network} value, and a float64
 * predict helper.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { type DenseLayer, type Network } from "../network/network.ts";
import { type ActivationName, ACTIVATIONS } from "../series/activations.ts";
import { buildModel, NATIVE_TFJS_ACTIVATIONS, PolylabActivation } from "./model.ts";

const FROM_TFJS: Readonly<Record<string, ActivationName>> = Object.fromEntries(
  Object.entries(NATIVE_TFJS_ACTIVATIONS).map(([polylab, tfjs]) => [tfjs, polylab as ActivationName]),
);

/**
 * Copies a model of Dense layers (each optionally followed by a {@link PolylabActivation} or a
 * tfjs `Activation` layer) into a float64 {@link Network}: layer l's weights become the
 * `(inputs + 1) × units` matrix with the bias in row 0. The output layer of a softmax classifier
 * is its logits (activation `linear`).
 */
export function modelToNetwork(model: tf.LayersModel): Network {
  const layers: {
    activation: ActivationName;
    inputs: number;
    units: number;
    weights: Float64Array;
    alpha?: number;
  }[] = [];
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind === "InputLayer" || kind === "Dropout") continue; // dropout is the identity at inference
    if (kind === "Dense") {
      const config = layer.getConfig();
      const tfjsActivation = String(config.activation ?? "linear");
      const activation = FROM_TFJS[tfjsActivation];
      if (activation === undefined) {
        throw new Error(
          `model layer "${layer.name}": tfjs activation "${tfjsActivation}" has no exact polylab equivalent; ` +
            `use ${Object.keys(FROM_TFJS).join(", ")} or a PolylabActivation layer`,
        );
      }
      const values = layer.getWeights();
      const kernel = values.find((t) => t.rank === 2);
      const bias = values.find((t) => t.rank === 1);
      if (!kernel) throw new Error(`model layer "${layer.name}": Dense layer without a kernel`);
      const [inputs, units] = kernel.shape;
      const weights = new Float64Array((inputs + 1) * units);
      if (bias) weights.set(bias.dataSync(), 0);
      weights.set(kernel.dataSync(), units);
      layers.push({ activation, inputs, units, weights });
      continue;
    }
    const previous = layers[layers.length - 1];
    if (previous === undefined) {
      throw new Error(`model layer "${layer.name}": an activation before any Dense layer`);
    }
    let activation: string;
    if (layer instanceof PolylabActivation) activation = layer.activation;
    else if (kind === "Activation") activation = FROM_TFJS[String(layer.getConfig().activation)] ?? "?";
    else throw new Error(`model layer "${layer.name}": ${kind} layers are not supported; use Dense layers`);
    if (previous.activation !== "linear" || !(ACTIVATIONS as readonly string[]).includes(activation)) {
      throw new Error(
        `model layer "${layer.name}": cannot merge activation "${activation}" into the previous Dense layer`,
      );
    }
    previous.activation = activation as ActivationName;
    if (layer instanceof PolylabActivation && layer.alpha !== undefined) previous.alpha = layer.alpha;
  }
  if (layers.length === 0) throw new Error("model: has no Dense layers");
  const inputs = layers[0].inputs;
  layers.forEach((l, i) => {
    if (i > 0 && l.inputs !== layers[i - 1].units) {
      throw new Error(
        `model layer ${i}: takes ${l.inputs} inputs but the previous layer has ${layers[i - 1].units} units`,
      );
    }
  });
  return {
    inputs,
    layers: layers.map((l): DenseLayer => ({ kind: "dense", ...l })),
  };
}

/**
 * Builds a tfjs model holding a network's weights (float32): the reverse of
 * {@link modelToNetwork}, for tests and for evaluating a Network with tfjs.
 */
export function networkToModel(network: Network): tf.Sequential {
  const hidden = network.layers.slice(0, -1);
  const last = network.layers[network.layers.length - 1];
  if (last.activation !== "linear") {
    throw new Error(
      `network.layers[${network.layers.length - 1}].activation: the output layer must be "linear" ` +
        `to rebuild a tfjs model, got "${last.activation}"`,
    );
  }
  const model = buildModel({
    inputs: network.inputs,
    hidden: hidden.map((l) => l.units),
    activation: hidden.map((l) => l.activation),
    alpha: hidden.map((l) => l.alpha),
    outputUnits: last.units,
    seed: 0,
  });
  const dense = model.layers.filter((l) => l.getClassName() === "Dense");
  dense.forEach((layer, i) => {
    const { inputs, units, weights } = network.layers[i];
    tf.tidy(() => {
      layer.setWeights([
        tf.tensor2d(new Float32Array(weights.subarray(units)), [inputs, units], "float32"),
        tf.tensor1d(new Float32Array(weights.subarray(0, units)), "float32"),
      ]);
    });
  });
  return model;
}

/**
 * Runs a model on a row-major n×p Float64Array and returns the n×outputs result as a
 * Float64Array; with `softmax: true` the outputs (logits) are turned into probabilities.
 */
export function predict(
  model: tf.LayersModel,
  x: Float64Array,
  options: { softmax?: boolean } = {},
): Float64Array {
  const shape = model.inputs[0].shape;
  const p = shape[shape.length - 1];
  if (p == null || x.length % p !== 0) {
    throw new Error(`x: expected a row-major n×${p} matrix, got ${x.length} values`);
  }
  const n = x.length / p;
  const out = tf.tidy(() => {
    const y = model.predict(tf.tensor2d(new Float32Array(x), [n, p], "float32")) as tf.Tensor;
    return options.softmax ? tf.softmax(y) : y;
  });
  const values = Float64Array.from(out.dataSync());
  out.dispose();
  return values;
}
