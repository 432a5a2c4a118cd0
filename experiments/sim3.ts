/**
 * sim3 — the single-hidden-layer study of Morala et al., "Towards a mathematical framework to
 * inform neural network modelling via polynomial regression" (Neural Networks 2021).
 *
 * p = 3, n = 200, X multivariate normal (identity covariance) with means U(−10, 10), a full
 * degree-2 ground truth (intercept, 3 linear and all 6 degree-2 terms) with coefficients U(−5, 5),
 * noise sd 0.1, X and Y scaled to [−1, 1] or [0, 1], 75/25 split; one hidden layer of 4 or 10
 * units (softplus, tanh, sigmoid), linear output, no constraint. Each network is trained ONCE
 * (Adam 1e-2, batch 16; the paper used R's neuralnet with resilient backpropagation, one network
 * per q) and expanded with Taylor order q ∈ {3, 5, 7} and max order q (no cap): the NN2Poly
 * variants q3, q5, q7 (metrics mse_nn_nn2poly_q3, …). Baseline: polynomial regression of degree 2
 * fitted to the data by least squares (QR), compared with the truth in the scaled space.
 *
 * Default run: 2 repetitions × 150 epochs (24 cells). `--full`: 500 repetitions × 500 epochs
 * (6000 cells), the paper's number of repetitions.
 */

import { defineExperiment } from "../lib/experiment/schema.ts";

export default defineExperiment({
  name: "sim3",
  description:
    "Single-hidden-layer study (Neural Networks 2021): MSE(NN, poly) for Taylor order q ∈ {3,5,7}, 4/10 units, " +
    "3 activations, [−1,1]/[0,1] scaling, plus polynomial regression; default 2 repetitions × 150 epochs, " +
    "--full 500 × 500",
  seed: 1,
  data: {
    p: 3,
    n: 200,
    truth: {
      kind: "random",
      degree: 2,
      mainTerms: 3,
      interactionTerms: 6,
      coefficientRange: [-5, 5],
      intercept: true,
    },
    inputs: { kind: "mvnormal", means: { lo: -10, hi: 10 }, sd: 1 },
    noiseSd: 0.1,
    scale: "minus1to1",
    trainFraction: 0.75,
  },
  model: { layers: 1, width: 4, activation: "tanh", outputActivation: "linear", constraint: "none" },
  train: {
    optimizer: "adam",
    learningRate: 1e-2,
    epochs: 150,
    batchSize: 16,
    validationSplit: 0,
    backend: "wasm",
    loss: "mse",
    // speed only: 100 repetitions of a grid point train as one stacked tfjs computation, each
    // network exactly as alone (lib/train/stack.ts)
    stack: 100,
  },
  methods: {
    nn2poly: {
      maxOrder: 3,
      taylorOrders: 3,
      variants: {
        q3: { maxOrder: 3, taylorOrders: 3 },
        q5: { maxOrder: 5, taylorOrders: 5 },
        q7: { maxOrder: 7, taylorOrders: 7 },
      },
    },
    polyRegression: { degree: 2 },
  },
  grid: {
    "data.scale": ["minus1to1", "0to1"],
    "model.width": [4, 10],
    "model.activation": ["softplus", "tanh", "sigmoid"],
  },
  repetitions: 2,
  outputs: {
    tables: ["cells", "summary", "coefficients"],
    figures: ["boxplot"],
    paper: "nntopr2021",
    extras: ["scaled-truth"],
  },
  full: { train: { epochs: 500 }, repetitions: 500 },
});
