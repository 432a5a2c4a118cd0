/**
 * Trains the small ReLU / leaky-ReLU networks of the relu studies (tfjs, seeded, wasm backend) and
 * returns them as float64 network values.
 *
 * @module
 */

import { deriveSeed } from "../../data/random.ts";
import { forward, type Network } from "../../network/network.ts";
import { initBackend } from "../../train/backend.ts";
import { fitNetwork } from "../../train/fit.ts";
import type { TaskData } from "./data.ts";

/** Training settings. */
export interface ReluTrainSpec {
  /** Seed root (init and shuffle streams are derived from it). */
  seed: number;
  /** Hidden widths. */
  hidden: readonly number[];
  /** `relu` or `leaky_relu`. */
  activation: "relu" | "leaky_relu";
  /** Slope of leaky_relu. */
  alpha?: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

/** A trained network and its fit on the training data. */
export interface ReluTrained {
  net: Network;
  /** R² (regression) or accuracy (classification) on the training data. */
  fit: number;
  /** Training seconds. */
  seconds: number;
}

/** Trains `spec` on `data` with Adam (mse, or softmax cross-entropy on logits). */
export async function trainRelu(data: TaskData, spec: ReluTrainSpec): Promise<ReluTrained> {
  await initBackend("wasm", { quiet: true });
  const result = await fitNetwork(
    {
      inputs: data.p,
      hidden: spec.hidden,
      activation: spec.activation,
      alpha: spec.alpha,
      outputUnits: data.outputs,
      outputActivation: data.classification ? "softmax" : "linear",
      seed: deriveSeed(spec.seed, "init"),
    },
    { x: data.x, y: data.y },
    {
      optimizer: "adam",
      learningRate: spec.learningRate,
      epochs: spec.epochs,
      batchSize: spec.batchSize,
      shuffleSeed: deriveSeed(spec.seed, "shuffle"),
    },
  );
  result.model.dispose();
  if (!result.network) {
    throw new Error(
      `training failed: ${result.training.status === "failed" ? result.training.reason : "unknown"}`,
    );
  }
  const out = forward(result.network, data.x, data.n);
  let fit: number;
  if (data.classification) {
    let hits = 0;
    for (let i = 0; i < data.n; i++) {
      const pred = out[2 * i + 1] > out[2 * i] ? 1 : 0;
      if (data.y[2 * i + pred] === 1) hits++;
    }
    fit = hits / data.n;
  } else {
    let mean = 0;
    for (let i = 0; i < data.n; i++) mean += data.y[i] / data.n;
    let ss = 0;
    let res = 0;
    for (let i = 0; i < data.n; i++) {
      ss += (data.y[i] - mean) ** 2;
      res += (data.y[i] - out[i]) ** 2;
    }
    fit = 1 - res / ss;
  }
  return { net: result.network, fit, seconds: result.training.seconds };
}
