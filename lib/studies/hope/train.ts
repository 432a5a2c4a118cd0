/**
 * Simulate → split → train for the HOPE analyses that need a trained network (discovery,
 * features): inputs U(lo, hi), a formula truth, a 75/25 split, a tfjs MLP trained with seeded
 * initialisation and shuffling, returned as a float64 {@link Network} with its test R².
 *
 * @module
 */

import { simulateRegression, type TruthSpec } from "../../data/simulate.ts";
import { splitIndices, takeRows } from "../../data/split.ts";
import { deriveSeed } from "../../data/random.ts";
import { forward, type Network } from "../../network/network.ts";
import { initBackend } from "../../train/backend.ts";
import { fitNetwork } from "../../train/fit.ts";
import type { OptimizerName } from "../../train/train.ts";
import { rSquared } from "../../experiment/metrics.ts";

/** What {@link simulateAndTrain} needs. */
export interface SimTrainSpec {
  /** Seed root; data, split, init and shuffle streams are derived from it. */
  seed: number;
  /** Inputs p. */
  inputs: number;
  /** Rows (75 % train, 25 % test). */
  samples: number;
  truth: TruthSpec;
  /** Inputs are i.i.d. U(lo, hi). */
  range: [number, number];
  noiseSd: number;
  hidden: number[];
  activation: string;
  optimizer: OptimizerName;
  learningRate: number;
  epochs: number;
  batchSize: number;
}

/** A trained network and how well it fits. */
export interface SimTrainResult {
  net: Network;
  /** R² of the network against the noise-free signal on the test rows. */
  testR2: number;
  /** Mean training loss of the last epoch. */
  finalLoss: number;
  /** Training wall time. */
  seconds: number;
  /** Test inputs (row-major) and noise-free signal. */
  test: { x: Float64Array; signal: Float64Array; n: number };
}

/** Simulates the data, trains the network (wasm backend, cpu fallback) and evaluates it on the test rows. */
export async function simulateAndTrain(spec: SimTrainSpec): Promise<SimTrainResult> {
  const data = simulateRegression({
    seed: deriveSeed(spec.seed, "data"),
    samples: spec.samples,
    inputs: spec.inputs,
    truth: spec.truth,
    distribution: { kind: "uniform", lo: spec.range[0], hi: spec.range[1] },
    noiseSd: spec.noiseSd,
  });
  const split = splitIndices(spec.samples, 0.75, deriveSeed(spec.seed, "split"));
  const p = spec.inputs;
  const x = takeRows(data.x, p, split.train);
  const y = takeRows(data.y, 1, split.train);
  await initBackend("wasm", { quiet: true });
  const fit = await fitNetwork(
    {
      inputs: p,
      hidden: spec.hidden,
      activation: spec.activation,
      outputUnits: 1,
      seed: deriveSeed(spec.seed, "init"),
    },
    { x, y },
    {
      optimizer: spec.optimizer,
      learningRate: spec.learningRate,
      epochs: spec.epochs,
      batchSize: spec.batchSize,
      shuffleSeed: deriveSeed(spec.seed, "shuffle"),
    },
  );
  fit.model.dispose();
  if (!fit.network) {
    const reason = fit.training.status === "failed" ? fit.training.reason : "unknown";
    throw new Error(`training failed: ${reason}`);
  }
  const tx = takeRows(data.x, p, split.test);
  const signal = takeRows(data.signal, 1, split.test);
  const n = split.test.length;
  return {
    net: fit.network,
    testR2: rSquared(forward(fit.network, tx, n), signal),
    finalLoss: fit.training.history.trainLoss.at(-1) ?? NaN,
    seconds: fit.training.seconds,
    test: { x: tx, signal, n },
  };
}
