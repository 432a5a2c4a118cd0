/**
 * A deterministic tfjs training loop.
 *
 * - Shuffling: one {@link Rng} seeded with `shuffleSeed` draws a fresh Fisher–Yates permutation
 *   of the training rows every epoch (never `model.fit({shuffle: true})`, which uses Math.random).
 * - Validation split: like Keras, the LAST `n - floor(n·(1 - validationSplit))` rows are held out
 *   before any shuffling (so shuffle or split the data beforehand, e.g. with lib/data/split.ts).
 * - Loss: `mse`, or `softmaxCrossEntropy` on the model's logits (targets one-hot or probabilities).
 *   The epoch's training loss is the row-weighted mean of the batch losses seen during the epoch
 *   (as Keras reports it); the validation loss is computed after the epoch's last step.
 * - Weight constraint (`l1` / `l2`): after every optimizer step, in every Dense layer except the
 *   output layer, each neuron's vector (its bias and incoming weights, i.e. column j of the
 *   `(inputs + 1) × units` matrix) is rescaled `w ← w / max(1, ‖w‖)`, as nn2poly's constraint.
 * - Divergence: the losses are read once per epoch; a NaN/±Inf loss, or one above
 *   `divergenceThreshold`, stops training with `{status: "failed", reason}` (no throw).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { Rng, shuffle } from "../data/random.ts";
import { compileForward, denseLayers } from "./model.ts";

/** Optimizers. */
export type OptimizerName = "adam" | "sgd" | "adamax";
/**
 * Losses; `softmaxCrossEntropy` takes logits (one per class), `sigmoidCrossEntropy` one logit per
 * row against 0/1 targets (binary cross-entropy of sigmoid(logit), computed stably).
 */
export type LossName = "mse" | "softmaxCrossEntropy" | "sigmoidCrossEntropy";
/** Per-neuron norm constraint on hidden layers. */
export type ConstraintName = "none" | "l1" | "l2";

/** Training rows: x is row-major n×p, y row-major n×outputs. */
export interface TrainData {
  /** Inputs, n×p. */
  readonly x: Float64Array;
  /** Targets, n×outputs (one-hot for classification). */
  readonly y: Float64Array;
}

/** Called after every optimizer step (and the constraint), for tests and debugging. */
export interface StepInfo {
  /** Epoch, from 0. */
  readonly epoch: number;
  /** Step within the epoch, from 0. */
  readonly step: number;
  /** The model being trained. */
  readonly model: tf.LayersModel;
}

/** One epoch's losses. */
export interface EpochRecord {
  /** Epoch, from 0. */
  readonly epoch: number;
  /** Mean training loss over the epoch's batches. */
  readonly trainLoss: number;
  /** Validation loss after the epoch (NaN without validation rows). */
  readonly validationLoss: number;
}

/** Options of {@link trainModel}. */
export interface TrainOptions {
  /** Default `"adam"`. */
  readonly optimizer?: OptimizerName;
  /** Default 0.001. */
  readonly learningRate?: number;
  /** Number of epochs (>= 1). */
  readonly epochs: number;
  /** Rows per batch (>= 1; the last batch of an epoch may be smaller). */
  readonly batchSize: number;
  /** Fraction of rows held out from the end, in [0, 1); default 0. */
  readonly validationSplit?: number;
  /** Default `"mse"`. */
  readonly loss?: LossName;
  /** Default `"none"`. */
  readonly constraint?: ConstraintName;
  /** Seed of the per-epoch shuffling stream. */
  readonly shuffleSeed: number;
  /** A training or validation loss above this counts as divergence; default 1e12. */
  readonly divergenceThreshold?: number;
  /**
   * L2 penalty added to the loss: l2 · Σ w² over every Dense kernel and bias (Keras'
   * `regularizers.L2(l2)` on kernel and bias); default 0.
   */
  readonly l2?: number;
  /**
   * Learning rate halving and early stopping on a plateau of the monitored loss (the validation loss
   * when there are validation rows, else the training loss), as Keras' ReduceLROnPlateau and
   * EarlyStopping: an epoch improves when its loss is below the best so far by more than 1e-4
   * relative; after `patience` epochs without improvement the learning rate is multiplied by
   * `factor` (and the count restarts), after `stopAfter` such epochs in a row training stops
   * (status ok, `epochs` = the epochs run). Default: none.
   */
  readonly plateau?: PlateauOptions;
  /** Called after every step (forces nothing; the callback may read weights). */
  readonly onStep?: (info: StepInfo) => void;
  /** Called after every epoch with its losses. */
  readonly onEpoch?: (record: EpochRecord) => void;
}

/** See {@link TrainOptions.plateau}. */
export interface PlateauOptions {
  /** Epochs without improvement before the learning rate is multiplied by `factor`. */
  readonly patience: number;
  /** Factor of the learning rate on a plateau, in (0, 1). */
  readonly factor: number;
  /** Epochs without improvement after which training stops. */
  readonly stopAfter: number;
}

/** Per-epoch losses. */
export interface TrainHistory {
  /** Training loss of each completed epoch. */
  readonly trainLoss: number[];
  /** Validation loss of each completed epoch (empty without validation rows). */
  readonly validationLoss: number[];
}

interface TrainSummary {
  /** Loss history. */
  readonly history: TrainHistory;
  /** Rows used for gradient steps. */
  readonly trainRows: number;
  /** Rows held out for validation. */
  readonly validationRows: number;
  /** Wall-clock seconds of the loop. */
  readonly seconds: number;
  /** tfjs backend used. */
  readonly backend: string;
}

/** Outcome of training: `ok`, or `failed` with a reason (the model keeps its last weights). */
export type TrainResult =
  | (TrainSummary & { readonly status: "ok"; readonly epochs: number })
  | (TrainSummary & { readonly status: "failed"; readonly reason: string; readonly epoch: number });

/** Training options after validation, with defaults filled in. */
export interface ResolvedTrainOptions {
  optimizer: OptimizerName;
  learningRate: number;
  epochs: number;
  batchSize: number;
  validationSplit: number;
  loss: LossName;
  constraint: ConstraintName;
  shuffleSeed: number;
  divergenceThreshold: number;
  l2: number;
  plateau: PlateauOptions | null;
}

/** Validates training options (every error names the field and the fix) and fills in defaults. */
export function resolveTrainOptions(o: TrainOptions): ResolvedTrainOptions {
  const optimizer = o.optimizer ?? "adam";
  if (!["adam", "sgd", "adamax"].includes(optimizer)) {
    throw new Error(`train.optimizer: unknown "${optimizer}"; use "adam", "sgd" or "adamax"`);
  }
  const learningRate = o.learningRate ?? 0.001;
  if (!(typeof learningRate === "number" && Number.isFinite(learningRate) && learningRate > 0)) {
    throw new Error(`train.learningRate: expected a finite number > 0, e.g. 0.001, got ${learningRate}`);
  }
  if (!Number.isInteger(o.epochs) || o.epochs < 1) {
    throw new Error(`train.epochs: expected an integer >= 1, got ${o.epochs}`);
  }
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) {
    throw new Error(`train.batchSize: expected an integer >= 1, e.g. 32, got ${o.batchSize}`);
  }
  const validationSplit = o.validationSplit ?? 0;
  if (!(typeof validationSplit === "number" && validationSplit >= 0 && validationSplit < 1)) {
    throw new Error(`train.validationSplit: expected a fraction in [0, 1), e.g. 0.2, got ${validationSplit}`);
  }
  const loss = o.loss ?? "mse";
  if (loss !== "mse" && loss !== "softmaxCrossEntropy" && loss !== "sigmoidCrossEntropy") {
    throw new Error(
      `train.loss: unknown "${loss}"; use "mse", "softmaxCrossEntropy" or "sigmoidCrossEntropy"`,
    );
  }
  const l2 = o.l2 ?? 0;
  if (typeof l2 !== "number" || !(l2 >= 0) || !Number.isFinite(l2)) {
    throw new Error(`train.l2: expected a penalty ≥ 0, e.g. 1e-4, got ${String(l2)}`);
  }
  const constraint = o.constraint ?? "none";
  if (!["none", "l1", "l2"].includes(constraint)) {
    throw new Error(`train.constraint: unknown "${constraint}"; use "none", "l1" or "l2"`);
  }
  if (!Number.isSafeInteger(o.shuffleSeed) || o.shuffleSeed < 0) {
    throw new Error(`train.shuffleSeed: expected a non-negative integer, got ${o.shuffleSeed}`);
  }
  const divergenceThreshold = o.divergenceThreshold ?? 1e12;
  if (!(divergenceThreshold > 0)) {
    throw new Error(`train.divergenceThreshold: expected a number > 0, got ${divergenceThreshold}`);
  }
  const plateau = o.plateau ?? null;
  if (
    plateau !== null &&
    !(Number.isInteger(plateau.patience) && plateau.patience >= 1 && plateau.factor > 0 &&
      plateau.factor < 1 && Number.isInteger(plateau.stopAfter) && plateau.stopAfter >= 1)
  ) {
    throw new Error(
      "train.plateau: expected {patience: integer ≥ 1, factor in (0, 1), stopAfter: integer ≥ 1}, " +
        "e.g. {patience: 10, factor: 0.5, stopAfter: 20}",
    );
  }
  return {
    plateau,
    optimizer,
    learningRate,
    epochs: o.epochs,
    batchSize: o.batchSize,
    validationSplit,
    loss,
    constraint,
    shuffleSeed: o.shuffleSeed,
    divergenceThreshold,
    l2,
  };
}

/** A fresh tfjs optimizer. */
export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case "adam":
      return tf.train.adam(learningRate);
    case "sgd":
      return tf.train.sgd(learningRate);
    case "adamax":
      return tf.train.adamax(learningRate);
  }
}

/** The loss of a batch as a scalar tensor (mean over rows). */
export function batchLoss(loss: LossName, prediction: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    if (loss === "mse") return tf.mean(tf.squaredDifference(prediction, target)) as tf.Scalar;
    if (loss === "sigmoidCrossEntropy") {
      // max(f, 0) − f·y + log(1 + exp(−|f|))
      const f = prediction;
      return tf.mean(
        tf.add(tf.sub(tf.relu(f), tf.mul(f, target)), tf.log1p(tf.exp(tf.neg(tf.abs(f))))),
      ) as tf.Scalar;
    }
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(prediction)), -1))) as tf.Scalar;
  });
}

/** Kernel (inputs × units) and bias (units) variables of each hidden Dense layer (all but the last). */
function hiddenLayerVariables(model: tf.LayersModel): { kernel: tf.Variable; bias: tf.Variable | null }[] {
  const dense = denseLayers(model);
  return dense.slice(0, -1).map((layer) => {
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const kernel = vars.find((v) => v.rank === 2);
    if (!kernel) throw new Error(`model.layers: Dense layer "${layer.name}" has no trainable kernel`);
    return { kernel, bias: vars.find((v) => v.rank === 1) ?? null };
  });
}

/**
 * Applies the per-neuron constraint `w ← w / max(1, ‖(bias_j, kernel[:, j])‖)` to the given
 * hidden-layer variables (in place). Kernels are `inputs × units` with bias `[units]`, or stacks
 * `[R, inputs, units]` with bias `[R, 1, units]` (lib/train/stack.ts): norms run over the inputs axis.
 */
export function projectNeuronNorms(
  layers: readonly { kernel: tf.Variable; bias: tf.Variable | null }[],
  norm: "l1" | "l2",
): void {
  tf.tidy(() => {
    for (const { kernel, bias } of layers) {
      const axis = kernel.rank - 2;
      const stacked = kernel.rank > 2;
      let norms: tf.Tensor;
      if (norm === "l1") {
        norms = tf.sum(tf.abs(kernel), axis, stacked);
        if (bias) norms = tf.add(norms, tf.abs(bias));
      } else {
        norms = tf.sum(tf.square(kernel), axis, stacked);
        if (bias) norms = tf.add(norms, tf.square(bias));
        norms = tf.sqrt(norms);
      }
      const scale = tf.div(1, tf.maximum(1, norms));
      kernel.assign(tf.mul(kernel, scale));
      if (bias) bias.assign(tf.mul(bias, scale));
    }
  });
}

/** Applies the constraint of {@link projectNeuronNorms} to every hidden Dense layer of a model. */
export function constrainModel(model: tf.LayersModel, norm: "l1" | "l2"): void {
  projectNeuronNorms(hiddenLayerVariables(model), norm);
}

function modelShape(model: tf.LayersModel): { p: number; q: number } {
  const inShape = model.inputs[0].shape;
  const outShape = model.outputs[0].shape;
  const p = inShape[inShape.length - 1];
  const q = outShape[outShape.length - 1];
  if (inShape.length !== 2 || outShape.length !== 2 || p == null || q == null) {
    throw new Error("model: expected a dense model with input shape [null, p] and output shape [null, q]");
  }
  return { p, q };
}

/**
 * Trains `model` in place. Deterministic given the model's initial weights and `shuffleSeed` on a
 * given backend. Returns `{status: "failed", reason}` instead of throwing on NaN or divergence;
 * throws only for invalid options or data (the message names the field).
 *
 * @example
 * ```ts
 * const result = await trainModel(model, { x, y }, { epochs: 700, batchSize: 100, learningRate: 0.01, shuffleSeed: 3 });
 * if (result.status === "failed") console.error(result.reason);
 * ```
 */
export async function trainModel(
  model: tf.LayersModel,
  data: TrainData,
  options: TrainOptions,
): Promise<TrainResult> {
  const o = resolveTrainOptions(options);
  const { p, q } = modelShape(model);
  if (!ArrayBuffer.isView(data.x) || data.x.length % p !== 0) {
    throw new Error(`data.x: expected a row-major n×${p} Float64Array, got length ${data.x?.length}`);
  }
  const n = data.x.length / p;
  if (data.y.length !== n * q) {
    throw new Error(`data.y: expected n×${q} = ${n * q} values for n = ${n} rows, got ${data.y.length}`);
  }
  const { trainRows, validationRows } = splitTrainValidation(n, o.validationSplit);
  const trainX = tf.tensor2d(new Float32Array(data.x.subarray(0, trainRows * p)), [trainRows, p], "float32");
  const trainY = tf.tensor2d(new Float32Array(data.y.subarray(0, trainRows * q)), [trainRows, q], "float32");
  const valX = validationRows > 0
    ? tf.tensor2d(new Float32Array(data.x.subarray(trainRows * p)), [validationRows, p], "float32")
    : null;
  const valY = validationRows > 0
    ? tf.tensor2d(new Float32Array(data.y.subarray(trainRows * q)), [validationRows, q], "float32")
    : null;
  const optimizer = makeOptimizer(o.optimizer, o.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const constrained = o.constraint === "none" ? [] : hiddenLayerVariables(model);
  const compiled = compileForward(model);
  const forward = compiled ?? ((x: tf.Tensor) => model.apply(x, { training: true }) as tf.Tensor);
  // validation at inference (dropout off)
  const infer = compiled ?? ((x: tf.Tensor) => model.apply(x, { training: false }) as tf.Tensor);
  const rng = new Rng(o.shuffleSeed);
  const order = new Int32Array(trainRows);
  const history: TrainHistory = { trainLoss: [], validationLoss: [] };
  const started = performance.now();
  const backend = tf.getBackend();
  const summary = (): TrainSummary => ({
    history,
    trainRows,
    validationRows,
    seconds: (performance.now() - started) / 1000,
    backend,
  });

  let best = Infinity;
  let flat = 0;
  let flatSinceCut = 0;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      for (let i = 0; i < trainRows; i++) order[i] = i;
      shuffle(rng, order);
      const indices = tf.tensor1d(order, "int32");
      let lossSum: tf.Tensor = tf.scalar(0);
      let step = 0;
      for (let start = 0; start < trainRows; start += o.batchSize, step++) {
        const size = Math.min(o.batchSize, trainRows - start);
        const next = tf.tidy(() => {
          const batch = indices.slice(start, size);
          const xb = tf.gather(trainX, batch);
          const yb = tf.gather(trainY, batch);
          const cost = optimizer.minimize(
            () => {
              const data = batchLoss(o.loss, forward(xb), yb);
              if (o.l2 === 0) return data;
              return tf.add(
                data,
                tf.mul(o.l2, tf.addN(variables.map((v) => tf.sum(tf.square(v))))),
              ) as tf.Scalar;
            },
            true,
            variables,
          ) as tf.Scalar;
          if (o.constraint !== "none") projectNeuronNorms(constrained, o.constraint);
          return tf.add(lossSum, tf.mul(cost, size));
        });
        lossSum.dispose();
        lossSum = next;
        options.onStep?.({ epoch, step, model });
      }
      indices.dispose();
      const losses = tf.tidy(() => {
        const trainLoss = tf.div(lossSum, trainRows);
        const valLoss = valX && valY ? batchLoss(o.loss, infer(valX), valY) : tf.scalar(NaN);
        return tf.stack([trainLoss, valLoss]);
      });
      lossSum.dispose();
      const [trainLoss, validationLoss] = await losses.data();
      losses.dispose();
      history.trainLoss.push(trainLoss);
      if (validationRows > 0) history.validationLoss.push(validationLoss);
      options.onEpoch?.({ epoch, trainLoss, validationLoss });
      const bad = epochProblem(trainLoss, validationRows > 0 ? validationLoss : null, o.divergenceThreshold);
      if (bad) return { ...summary(), status: "failed", reason: `${bad} at epoch ${epoch}`, epoch };
      if (o.plateau) {
        const monitored = validationRows > 0 ? validationLoss : trainLoss;
        if (monitored < best * (1 - 1e-4)) {
          best = monitored;
          flat = flatSinceCut = 0;
        } else {
          flat++;
          flatSinceCut++;
        }
        if (flat >= o.plateau.stopAfter) return { ...summary(), status: "ok", epochs: epoch + 1 };
        if (flatSinceCut >= o.plateau.patience) {
          (optimizer as unknown as { learningRate: number }).learningRate *= o.plateau.factor;
          flatSinceCut = 0;
        }
      }
    }
    return { ...summary(), status: "ok", epochs: o.epochs };
  } finally {
    optimizer.dispose();
    trainX.dispose();
    trainY.dispose();
    valX?.dispose();
    valY?.dispose();
  }
}

/**
 * Rows used for gradient steps and held out for validation (the last ones, as Keras). Throws when
 * either side that is asked for would be empty.
 */
export function splitTrainValidation(n: number, validationSplit: number): {
  trainRows: number;
  validationRows: number;
} {
  const trainRows = Math.floor(n * (1 - validationSplit));
  const validationRows = n - trainRows;
  if (trainRows < 1) {
    throw new Error(`train.validationSplit: ${validationSplit} leaves no training rows of ${n}`);
  }
  if (validationSplit > 0 && validationRows < 1) {
    throw new Error(
      `train.validationSplit: ${validationSplit} of ${n} rows leaves no validation row; raise it or use 0`,
    );
  }
  return { trainRows, validationRows };
}

/** Why an epoch's losses mean divergence (training first, then validation when there is one), or null. */
export function epochProblem(
  trainLoss: number,
  validationLoss: number | null,
  threshold: number,
): string | null {
  return lossProblem("training", trainLoss, threshold) ??
    (validationLoss === null ? null : lossProblem("validation", validationLoss, threshold));
}

/** Why a loss value means divergence (NaN, ±Inf, above the threshold), or null. */
function lossProblem(which: string, value: number, threshold: number): string | null {
  if (Number.isNaN(value)) return `${which} loss is NaN`;
  if (!Number.isFinite(value)) return `${which} loss is ${value}`;
  if (value > threshold) {
    return `${which} loss ${value.toExponential(3)} exceeded divergenceThreshold ${threshold}`;
  }
  return null;
}
