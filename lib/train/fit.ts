/**
 * One call from spec to trained {@link Network}: build a seeded model, train it, convert it.
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";
import type { Network } from "../network/network.ts";
import { modelToNetwork } from "./convert.ts";
import { buildModel, type ModelSpec } from "./model.ts";
import { type TrainData, trainModel, type TrainOptions, type TrainResult } from "./train.ts";

/** Result of {@link fitNetwork}. */
export interface FitResult {
  /** Training outcome (status, history, timing). */
  readonly training: TrainResult;
  /** The trained network in float64 (null when training failed). */
  readonly network: Network | null;
  /** The tfjs model; the caller owns it and should `dispose()` it when done. */
  readonly model: tf.LayersModel;
}

/**
 * Builds `spec`, trains on `data` with `options`, and converts the result to a {@link Network}.
 * Call `initBackend()` first. Throws only for invalid specs, options or data.
 */
export async function fitNetwork(
  spec: ModelSpec,
  data: TrainData,
  options: TrainOptions,
): Promise<FitResult> {
  const model = buildModel(spec);
  const training = await trainModel(model, data, {
    ...options,
    loss: options.loss ?? (spec.outputActivation === "softmax" ? "softmaxCrossEntropy" : "mse"),
  });
  return { training, network: training.status === "ok" ? modelToNetwork(model) : null, model };
}
