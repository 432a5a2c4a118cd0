/**
 * sim1 — the simulation study of the NN2Poly paper (Morala et al., IEEE TNNLS 2023).
 *
 * Degree-2 ground truth on p = 5 inputs (all 5 linear terms and 5 of the 15 degree-2 terms,
 * coefficients U(−3, 3)), n = 500 rows, X ~ U(−1, 1), noise sd 0.1, X and Y scaled to [−1, 1]
 * with the training split's min/max, 75/25 split. Networks with L hidden layers of a given width
 * and activation, linear output, L1 constraint, Adam 1e-3, 700 epochs, batch 100, validation
 * split 0.2. NN2Poly with Taylor order 8 and max order 3.
 *
 * Default run: L ∈ {1, 3} × width 50 × {tanh, softplus, sigmoid}, 2 repetitions (12 cells).
 * `--full`: L ∈ {1, 3, 5, 7} × width {50, 100} × the three activations, 20 repetitions (480 cells).
 */

import { defineExperiment } from "../lib/experiment/schema.ts";

export default defineExperiment({
  name: "sim1",
  description:
    "NN2Poly simulation study (TNNLS 2023): MSE(NN, poly) and MSE(NN, Y) over depth × width × activation",
  seed: 1,
  data: {
    p: 5,
    n: 500,
    truth: { kind: "random", degree: 2, mainTerms: 5, interactionTerms: 5, coefficientRange: [-3, 3] },
    inputs: { kind: "uniform", lo: -1, hi: 1 },
    noiseSd: 0.1,
    scaleX: "minus1to1",
    scaleY: "minus1to1",
    trainFraction: 0.75,
  },
  model: { layers: 1, width: 50, activation: "tanh", outputActivation: "linear", constraint: "l1" },
  train: {
    optimizer: "adam",
    learningRate: 1e-3,
    epochs: 700,
    batchSize: 100,
    validationSplit: 0.2,
    backend: "wasm",
    loss: "mse",
  },
  methods: { nn2poly: { maxOrder: 3, taylorOrders: 8, convergenceOrders: [1, 2, 3, 4] } },
  grid: {
    "model.layers": [1, 3],
    "model.activation": ["tanh", "softplus", "sigmoid"],
    "model.width": [50],
  },
  repetitions: 2,
  outputs: { paper: "nn2poly-sim1" },
  full: {
    grid: {
      "model.layers": [1, 3, 5, 7],
      "model.activation": ["tanh", "softplus", "sigmoid"],
      "model.width": [50, 100],
    },
    repetitions: 20,
  },
});
