/**
 * iris — the nn2poly package's classification example on Fisher's iris data (150 rows, 4
 * predictors, 3 species; `../shared/reference/datasets/iris.csv`, as in R).
 *
 * As the package's example: predictors scaled to [−1, 1], a 75/25 split (112 training rows, 38
 * test rows, as R's `sample(n, 0.75·n)` truncates), 100-tanh → 100-tanh → 3 linear logits with
 * the L1 constraint, Adam, 200 epochs, softmax cross-entropy; NN2Poly of the logits with max
 * order 3 (35 terms per class) and, for the convergence of the argmax, orders 1 and 2. The
 * package's README does not state the batch size or learning rate: polylab uses Keras's defaults
 * (batch 32, learning rate 1e-3). The package reports one run: network test accuracy 0.947
 * (36/38) and 1.0 agreement (38/38) between the order-3 polynomial's argmax and the network's.
 *
 * Default run: 3 repetitions (each its own seeded split). `--full`: 20 repetitions.
 */

import { defineExperiment } from "../lib/experiment/schema.ts";

export default defineExperiment({
  name: "iris",
  description:
    "nn2poly package's iris example: 4 → 100 tanh → 100 tanh → 3 logits, L1 constraint, 200 epochs; NN2Poly of " +
    "the logits at max order 1–3; default 3 repetitions, --full 20",
  seed: 1,
  data: {
    task: "classification",
    dataset: { path: "../shared/reference/datasets/iris.csv", target: "Species" },
    p: 4,
    n: 150,
    classes: 3,
    scaleX: "minus1to1",
    trainFraction: 112 / 150,
  },
  model: { hidden: [100, 100], activation: "tanh", outputActivation: "softmax", constraint: "l1" },
  train: {
    optimizer: "adam",
    learningRate: 1e-3,
    epochs: 200,
    batchSize: 32,
    validationSplit: 0,
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
  repetitions: 3,
  outputs: {
    tables: ["cells", "summary", "coefficients"],
    figures: ["loss"],
    extras: ["classification", "dataset-terms"],
    paper: "nn2poly-iris",
  },
  full: { repetitions: 20 },
});
