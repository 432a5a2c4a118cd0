/**
 * Trains many small dense networks of one architecture at once, as one stacked tfjs computation.
 *
 * Network r's kernels are slices `W[r]` of rank-3 variables `[R, inputs, units]` (biases
 * `[R, 1, units]`); a step gathers each network's own mini-batch (from its own data, in the order
 * of its own shuffling stream), runs batched matrix products, and minimises the SUM over networks
 * of each network's mean batch loss. The gradient of that sum with respect to `W[r]` is exactly
 * the gradient of network r's own loss, and Adam/SGD/Adamax update every element independently,
 * so each network follows the same algorithm as {@link trainModel} would run on it alone (same
 * initial weights, same batches, same constraint after every step) — with about R times fewer
 * tfjs kernel launches, which dominate the cost of small networks. Numerically the batched
 * kernels round like the single ones to float32 (tests bound the difference), and a network's
 * trajectory does not depend on which other networks share its stack (tests check bit-identity).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Network } from "../network/network.ts";
import { Rng, shuffle } from "../data/random.ts";
import { modelToNetwork } from "./convert.ts";
import { applyActivation, buildModel, denseLayers, type ModelSpec, resolveModelSpec } from "./model.ts";
import {
  epochProblem,
  type LossName,
  makeOptimizer,
  projectNeuronNorms,
  resolveTrainOptions,
  splitTrainValidation,
  type TrainData,
  type TrainHistory,
  type TrainOptions,
  type TrainResult,
} from "./train.ts";
import type { ActivationName } from "../series/activations.ts";

/** One network of a stack: its model spec (seeded), its data and its shuffling seed. */
export interface StackMember {
  /** Model spec; all members must share the architecture (seeds differ). */
  readonly spec: ModelSpec;
  /** Training rows (all members must have the same number of rows). */
  readonly data: TrainData;
  /** Seed of this network's per-epoch shuffling stream. */
  readonly shuffleSeed: number;
}

/** Options shared by every network of a stack (as {@link TrainOptions}, without the per-network parts). */
export type StackOptions = Omit<TrainOptions, "shuffleSeed" | "onStep" | "onEpoch">;

/** Outcome for one network of a stack. */
export interface StackFit {
  /** Training outcome (status, history; `seconds` is the whole stack's time). */
  readonly training: TrainResult;
  /** The trained network in float64 (null when its training failed). */
  readonly network: Network | null;
}

function architectureKey(spec: ModelSpec): string {
  const r = resolveModelSpec(spec);
  return JSON.stringify([r.inputs, r.hidden, r.activations, r.alphas, r.outputUnits, r.outputActivation]);
}

/** x·W + b on stacks ([R, b, in] · [R, in, out] + [R, 1, out]) with explicit-transpose gradients. */
const stackedAffine = tf.customGrad((...args: unknown[]) => {
  const [x, w, b, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor3D;
      const [xs, ws] = saved as [tf.Tensor3D, tf.Tensor3D];
      return [
        tf.matMul(g, tf.transpose(ws, [0, 2, 1])),
        tf.matMul(tf.transpose(xs, [0, 2, 1]), g),
        tf.sum(g, 1, true),
      ];
    },
  };
}) as (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** Per-network mean loss of stacked predictions/targets `[R, rows, outputs]`: a vector `[R]`. */
function stackedLoss(loss: LossName, prediction: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    if (loss === "mse") return tf.mean(tf.squaredDifference(prediction, target), [1, 2]) as tf.Tensor1D;
    if (loss === "sigmoidCrossEntropy") {
      const f = prediction;
      const terms = tf.add(tf.sub(tf.relu(f), tf.mul(f, target)), tf.log1p(tf.exp(tf.neg(tf.abs(f)))));
      return tf.mean(terms, [1, 2]) as tf.Tensor1D;
    }
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(prediction)), -1), 1)) as tf.Tensor1D;
  });
}

/**
 * Trains every member (see the module doc) and converts each to a {@link Network}. Deterministic
 * given the members' seeds on a given backend. A network whose loss turns NaN/±Inf or diverges
 * is reported `failed` (its network is null) without disturbing the others; throws only for
 * invalid specs, options or data (the message names the field). Call `initBackend()` first.
 */
export async function fitNetworkStack(
  members: readonly StackMember[],
  options: StackOptions,
): Promise<StackFit[]> {
  const R = members.length;
  if (R === 0) return [];
  const models = members.map((m) => buildModel(m.spec));
  try {
    return await trainStack(models, members, options);
  } finally {
    for (const m of models) m.dispose();
  }
}

async function trainStack(
  models: tf.Sequential[],
  members: readonly StackMember[],
  options: StackOptions,
): Promise<StackFit[]> {
  const R = members.length;
  const key = architectureKey(members[0].spec);
  members.forEach((m, r) => {
    if (architectureKey(m.spec) !== key) {
      throw new Error(`stack[${r}].spec: every network of a stack needs the same architecture as stack[0]`);
    }
  });
  const spec = resolveModelSpec(members[0].spec);
  const o = resolveTrainOptions({
    ...options,
    loss: options.loss ?? (spec.outputActivation === "softmax" ? "softmaxCrossEntropy" : "mse"),
    shuffleSeed: members[0].shuffleSeed,
  });
  if (o.l2 > 0 || spec.dropout > 0) {
    throw new Error(
      "train.l2 / model.dropout: not supported by stacked training (train.stack); train one by one",
    );
  }
  const p = spec.inputs;
  const q = spec.outputUnits;
  const n = members[0].data.x.length / p;
  members.forEach((m, r) => {
    if (!Number.isSafeInteger(m.shuffleSeed) || m.shuffleSeed < 0) {
      throw new Error(`stack[${r}].shuffleSeed: expected a non-negative integer, got ${m.shuffleSeed}`);
    }
    if (m.data.x.length !== n * p || !Number.isInteger(n)) {
      throw new Error(`stack[${r}].data.x: expected ${n}×${p} values like stack[0], got ${m.data.x.length}`);
    }
    if (m.data.y.length !== n * q) {
      throw new Error(`stack[${r}].data.y: expected n×${q} = ${n * q} values, got ${m.data.y.length}`);
    }
  });
  const { trainRows, validationRows } = splitTrainValidation(n, o.validationSplit);

  // stacked data: all rows of every network, [R·n, p] and [R·n, q]
  const xAll = new Float32Array(R * n * p);
  const yAll = new Float32Array(R * n * q);
  members.forEach((m, r) => {
    xAll.set(m.data.x, r * n * p);
    yAll.set(m.data.y, r * n * q);
  });
  const X = tf.tensor2d(xAll, [R * n, p]);
  const Y = tf.tensor2d(yAll, [R * n, q]);
  let valX: tf.Tensor | null = null, valY: tf.Tensor | null = null;
  if (validationRows > 0) {
    const rows = new Int32Array(R * validationRows);
    for (let r = 0; r < R; r++) {
      for (let i = 0; i < validationRows; i++) rows[r * validationRows + i] = r * n + trainRows + i;
    }
    [valX, valY] = tf.tidy(() => {
      const idx = tf.tensor1d(rows, "int32");
      return [
        tf.reshape(tf.gather(X, idx), [R, validationRows, p]),
        tf.reshape(tf.gather(Y, idx), [R, validationRows, q]),
      ];
    });
  }

  // stacked variables from each model's seeded initial weights
  const widths = [...spec.hidden, q];
  const kernels: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  let fanIn = p;
  widths.forEach((units, l) => {
    const k = new Float32Array(R * fanIn * units);
    const b = new Float32Array(R * units);
    models.forEach((model, r) => {
      const [kernel, bias] = denseLayers(model)[l].getWeights();
      k.set(kernel.dataSync(), r * fanIn * units);
      b.set(bias.dataSync(), r * units);
    });
    kernels.push(tf.variable(tf.tensor3d(k, [R, fanIn, units]), true, `stack_kernel_${l}`));
    biases.push(tf.variable(tf.tensor3d(b, [R, 1, units]), true, `stack_bias_${l}`));
    fanIn = units;
  });
  const activations: ActivationName[] = [...spec.activations, "linear"];
  const forward = (x: tf.Tensor) =>
    tf.tidy(() => {
      let a = x;
      for (let l = 0; l < widths.length; l++) {
        const z = stackedAffine(a, kernels[l], biases[l]);
        a = activations[l] === "linear" ? z : applyActivation(activations[l], z, spec.alphas[l]);
      }
      return a;
    });
  const constrained = kernels.slice(0, -1).map((kernel, l) => ({ kernel, bias: biases[l] }));

  const optimizer = makeOptimizer(o.optimizer, o.learningRate);
  const variables = [...kernels, ...biases];
  const rngs = members.map((m) => new Rng(m.shuffleSeed));
  const order = new Int32Array(trainRows);
  const flat = new Int32Array(R * trainRows);
  const histories: TrainHistory[] = members.map(() => ({ trainLoss: [], validationLoss: [] }));
  const failures: ({ reason: string; epoch: number } | null)[] = members.map(() => null);
  let alive = R;
  const started = performance.now();
  const backend = tf.getBackend();

  try {
    for (let epoch = 0; epoch < o.epochs && alive > 0; epoch++) {
      for (let r = 0; r < R; r++) {
        for (let i = 0; i < trainRows; i++) order[i] = i;
        shuffle(rngs[r], order);
        for (let i = 0; i < trainRows; i++) flat[r * trainRows + i] = r * n + order[i];
      }
      const indices = tf.tensor2d(flat, [R, trainRows], "int32");
      let lossSum: tf.Tensor = tf.zeros([R]);
      for (let start = 0; start < trainRows; start += o.batchSize) {
        const size = Math.min(o.batchSize, trainRows - start);
        const next = tf.tidy(() => {
          const batch = tf.reshape(tf.slice(indices, [0, start], [R, size]), [R * size]);
          const xb = tf.reshape(tf.gather(X, batch), [R, size, p]);
          const yb = tf.reshape(tf.gather(Y, batch), [R, size, q]);
          let perNetwork: tf.Tensor | null = null;
          optimizer.minimize(
            () => {
              perNetwork = tf.keep(stackedLoss(o.loss, forward(xb), yb));
              return tf.sum(perNetwork) as tf.Scalar;
            },
            false,
            variables,
          );
          if (o.constraint !== "none") projectNeuronNorms(constrained, o.constraint);
          const added = tf.add(lossSum, tf.mul(perNetwork!, size));
          (perNetwork as tf.Tensor | null)?.dispose();
          return added;
        });
        lossSum.dispose();
        lossSum = next;
      }
      indices.dispose();
      const losses = tf.tidy(() => {
        const train = tf.div(lossSum, trainRows);
        const val = valX && valY ? stackedLoss(o.loss, forward(valX), valY) : tf.fill([R], NaN);
        return tf.concat([train, val]);
      });
      lossSum.dispose();
      const values = await losses.data();
      losses.dispose();
      for (let r = 0; r < R; r++) {
        if (failures[r]) continue;
        const trainLoss = values[r], validationLoss = values[R + r];
        histories[r].trainLoss.push(trainLoss);
        if (validationRows > 0) histories[r].validationLoss.push(validationLoss);
        const bad = epochProblem(
          trainLoss,
          validationRows > 0 ? validationLoss : null,
          o.divergenceThreshold,
        );
        if (bad) {
          failures[r] = { reason: `${bad} at epoch ${epoch}`, epoch };
          alive--;
        }
      }
    }

    // copy each network's final weights into its model and convert
    const finalKernels = kernels.map((k) => k.dataSync());
    const finalBiases = biases.map((b) => b.dataSync());
    const seconds = (performance.now() - started) / 1000;
    return members.map((_, r) => {
      const summary = { history: histories[r], trainRows, validationRows, seconds, backend };
      const failure = failures[r];
      if (failure) {
        return {
          training: { ...summary, status: "failed", reason: failure.reason, epoch: failure.epoch },
          network: null,
        };
      }
      let inputs = p;
      const weights: tf.Tensor[] = [];
      widths.forEach((units, l) => {
        const size = inputs * units;
        weights.push(tf.tensor2d(finalKernels[l].subarray(r * size, (r + 1) * size), [inputs, units]));
        weights.push(tf.tensor1d(finalBiases[l].subarray(r * units, (r + 1) * units)));
        inputs = units;
      });
      const dense = denseLayers(models[r]);
      dense.forEach((layer, l) => layer.setWeights([weights[2 * l], weights[2 * l + 1]]));
      for (const w of weights) w.dispose();
      return {
        training: { ...summary, status: "ok", epochs: o.epochs },
        network: modelToNetwork(models[r]),
      };
    });
  } finally {
    optimizer.dispose();
    for (const v of variables) v.dispose();
    X.dispose();
    Y.dispose();
    valX?.dispose();
    valY?.dispose();
  }
}
