/**
 * Siamese training with the triplet loss (Patel & Wetzel, arXiv 2409.05305): one network embeds
 * an anchor, a positive (same invariant) and a negative (another invariant); the loss
 * mean(max(0, ‖z_a − z_p‖² − ‖z_a − z_n‖² + margin)) pulls states of one class together in the
 * latent space. Fresh triplets are drawn every step by a seeded sampler the caller provides.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { Rng } from "../data/random.ts";
import { makeOptimizer } from "./train.ts";

/** A batch of triplets, each row-major count × p. */
export interface TripletBatch {
  anchor: Float64Array;
  positive: Float64Array;
  negative: Float64Array;
}

/** Draws `count` triplets. */
export type TripletSampler = (rng: Rng, count: number) => TripletBatch;

/** Options of {@link trainTriplet}. */
export interface TripletOptions {
  /** Epochs (≥ 1). */
  epochs: number;
  /** Gradient steps per epoch (≥ 1). */
  stepsPerEpoch: number;
  /** Triplets per step (≥ 1). */
  batchSize: number;
  /** Adam's learning rate (default 1e-3). */
  learningRate?: number;
  /** Margin of the triplet loss (default 1). */
  margin?: number;
  /** Seed of the sampler's stream. */
  seed: number;
}

/** Mean triplet loss per epoch and the training seconds. */
export interface TripletHistory {
  /** Loss of each epoch (mean over its steps). */
  loss: number[];
  /** Wall seconds. */
  seconds: number;
}

/**
 * Trains `model` (inputs p → latent units) on triplets from `sample`. Throws naming the field for
 * bad options; a non-finite loss stops training with an Error.
 */
export async function trainTriplet(
  model: tf.LayersModel,
  sample: TripletSampler,
  options: TripletOptions,
): Promise<TripletHistory> {
  for (const f of ["epochs", "stepsPerEpoch", "batchSize"] as const) {
    if (!Number.isInteger(options[f]) || options[f] < 1) {
      throw new Error(`triplet.${f}: expected an integer ≥ 1, got ${options[f]}`);
    }
  }
  const margin = options.margin ?? 1;
  if (!(margin > 0)) throw new Error(`triplet.margin: expected a number > 0, got ${margin}`);
  const p = model.inputs[0].shape[1] as number;
  const rng = new Rng(options.seed);
  const optimizer = makeOptimizer("adam", options.learningRate ?? 1e-3);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const history: number[] = [];
  const t0 = performance.now();
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      let sum = 0;
      for (let step = 0; step < options.stepsPerEpoch; step++) {
        const b = sample(rng, options.batchSize);
        const n = options.batchSize;
        const cost = tf.tidy(() => {
          const a = tf.tensor2d(new Float32Array(b.anchor), [n, p]);
          const pos = tf.tensor2d(new Float32Array(b.positive), [n, p]);
          const neg = tf.tensor2d(new Float32Array(b.negative), [n, p]);
          return optimizer.minimize(
            () => {
              const za = model.apply(a, { training: true }) as tf.Tensor;
              const zp = model.apply(pos, { training: true }) as tf.Tensor;
              const zn = model.apply(neg, { training: true }) as tf.Tensor;
              const dp = tf.sum(tf.squaredDifference(za, zp), -1);
              const dn = tf.sum(tf.squaredDifference(za, zn), -1);
              return tf.mean(tf.relu(tf.add(tf.sub(dp, dn), margin))) as tf.Scalar;
            },
            true,
            variables,
          ) as tf.Scalar;
        });
        sum += (await cost.data())[0];
        cost.dispose();
      }
      const loss = sum / options.stepsPerEpoch;
      if (!Number.isFinite(loss)) throw new Error(`triplet training diverged at epoch ${epoch}`);
      history.push(loss);
    }
  } finally {
    optimizer.dispose();
  }
  return { loss: history, seconds: (performance.now() - t0) / 1000 };
}
