/**
 * sim4 — classification: NN2Poly of a softmax classifier's logits.
 *
 * k classes whose logits are known random polynomials of p = 3 inputs (per class: 3 linear and
 * 3 of the degree-2 terms, coefficients U(−2, 2)); labels are the argmax of the true logits;
 * n = 1000, X ~ U(−1, 1) scaled to [−1, 1], 75/25 split. Networks of 2 or 3 hidden tanh layers
 * × 32 units with the L1 constraint, trained with softmax cross-entropy on the logits (Adam 1e-3,
 * batch 50, validation split 0.2). NN2Poly (Taylor order 8) of the logits with max order 1, 2, 3
 * (variants o1, o2, o3 of one trained network).
 *
 * Default run: k = 4, 2 and 3 hidden layers, 2 repetitions × 150 epochs (4 cells). `--full`:
 * k ∈ {3, 5, 7}, 10 repetitions × 1000 epochs (60 cells).
 */

import { defineExperiment } from "../lib/experiment/schema.ts";

export default defineExperiment({
  name: "sim4",
  description:
    "Classification: NN2Poly of the logits (max order 1–3) of 2–3-layer tanh softmax classifiers; per-class " +
    "logit MSE and argmax accuracies; default k = 4, 2 repetitions × 150 epochs, --full k ∈ {3,5,7}, 10 × 1000",
  seed: 1,
  data: {
    task: "classification",
    p: 3,
    n: 1000,
    classes: 4,
    truth: { kind: "random", degree: 2, mainTerms: 3, interactionTerms: 3, coefficientRange: [-2, 2] },
    inputs: { kind: "uniform", lo: -1, hi: 1 },
    scaleX: "minus1to1",
    trainFraction: 0.75,
  },
  model: { layers: 2, width: 32, activation: "tanh", outputActivation: "softmax", constraint: "l1" },
  train: {
    optimizer: "adam",
    learningRate: 1e-3,
    epochs: 150,
    batchSize: 50,
    validationSplit: 0.2,
    backend: "wasm",
    loss: "crossentropy",
  },
  methods: {
    nn2poly: {
      maxOrder: 3,
      taylorOrders: 8,
      variants: { o1: { maxOrder: 1 }, o2: { maxOrder: 2 }, o3: { maxOrder: 3 } },
    },
  },
  grid: { "data.classes": [4], "model.layers": [2, 3] },
  repetitions: 2,
  outputs: {
    tables: ["cells", "summary"],
    figures: ["loss", "boxplot"],
    extras: ["classification"],
  },
  full: {
    grid: { "data.classes": [3, 5, 7], "model.layers": [2, 3] },
    train: { epochs: 1000 },
    repetitions: 10,
  },
});
