/**
 * sim2 — the synthetic performance example of the NN2Poly paper (Morala et al., IEEE TNNLS 2023).
 *
 * y = 4·x1 − 3·x2·x3 + N(0, 0.1²), p = 3, n = 500, X ~ N(0, 1), X and Y scaled to [−1, 1] (with
 * the training split's min/max), 75/25 split. 3 hidden layers × 100 tanh units, linear output,
 * Adam 1e-3, batch 50, validation split 0.2, trained once with the L1 constraint and once without
 * (grid over model.constraint). NN2Poly with Taylor order 8 and max order 3.
 *
 * Outputs: the diagonal plots (observed vs NN, polynomial vs NN) for both settings; per layer the
 * activation, its Taylor polynomial, their error and the density of the potentials (constrained vs
 * unconstrained); the top-10 coefficients by |mean| ± sd; the coefficients beside the paper's.
 *
 * Default run: 3 repetitions × 400 epochs (6 cells). `--full`: 10 repetitions × 3000 epochs, the
 * paper's protocol (20 cells).
 */

import { defineExperiment } from "../lib/experiment/schema.ts";

export default defineExperiment({
  name: "sim2",
  description:
    "NN2Poly synthetic example (TNNLS 2023): y = 4x1 − 3x2x3, 3×100 tanh with and without the L1 constraint; " +
    "default 3 repetitions × 400 epochs, --full 10 × 3000 (the paper's)",
  seed: 1,
  data: {
    p: 3,
    n: 500,
    truth: { kind: "formula", formula: "4*x1 - 3*x2*x3" },
    inputs: { kind: "normal", mean: 0, sd: 1 },
    noiseSd: 0.1,
    scaleX: "minus1to1",
    scaleY: "minus1to1",
    trainFraction: 0.75,
  },
  model: { layers: 3, width: 100, activation: "tanh", outputActivation: "linear", constraint: "l1" },
  train: {
    optimizer: "adam",
    learningRate: 1e-3,
    epochs: 400,
    batchSize: 50,
    validationSplit: 0.2,
    backend: "wasm",
    loss: "mse",
  },
  methods: { nn2poly: { maxOrder: 3, taylorOrders: 8, convergenceOrders: [1, 2, 3, 4] } },
  grid: { "model.constraint": ["l1", "none"] },
  repetitions: 3,
  outputs: {
    tables: ["cells", "summary", "convergence", "coefficients"],
    figures: ["loss", "convergence", "boxplot"],
    paper: "nn2poly-sim2",
    extras: ["diagonals", "layer-potentials"],
    saveNetworks: true,
  },
  full: { train: { epochs: 3000 }, repetitions: 10 },
});
