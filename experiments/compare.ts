/**
 * compare — polylab's own side-by-side comparison of the closed-form representations of one trained
 * network (no paper did this): which reproduces the network best, at what size and what cost?
 *
 * sim1-like data (p = 5, degree-2 ground truth with the 5 linear and 5 of the 15 degree-2 terms,
 * coefficients U(−3, 3), X ~ U(−1, 1), noise sd 0.1, X and Y scaled to [−1, 1], 75/25 split;
 * n = 800 so that the radius curves have test points near the centre). Networks with 1, 3 or 5
 * hidden layers of 16 units, tanh / softplus / sigmoid / sin, with and without the L1 constraint,
 * Adam 1e-2, 150 epochs, batch 100. Every method on every network, all at 56 terms (order 3 in
 * 5 inputs) and along its own order:
 * - `nn2poly`: Taylor order 8, max order 3 (convergence: max order 1–6);
 * - `taylor`: the exact Taylor polynomial at the training mean, K = 3 (convergence: K = 1–8; radius curve);
 * - `hope`: HOPE's rule at the training mean, K = 3 (same curves);
 * - `polyRegression`: least squares of degree 3 fitted to the network's outputs on the training inputs
 *   (`net`, a distilled surrogate) and to the data's response (`y`, the baseline that never sees the
 *   network) (convergence: degree 1–5);
 * - `symbolic`: symbolic regression of the network's outputs on the training inputs (+ − × ÷, at most
 *   40 nodes, 40,000 evaluations per search, the lowest-MSE expression; convergence: 10, 20, 40 nodes).
 *
 * Default run: 4 activations × 3 depths × 2 constraints, 1 repetition (24 networks). `--full`: 1–5
 * layers of 32 units, 500 epochs, 5 repetitions (200 networks).
 */

import { defineExperiment } from "../lib/experiment/schema.ts";

const RADII = [0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8, 2];

export default defineExperiment({
  name: "compare",
  description:
    "Every method on the same trained networks: NN2Poly, exact Taylor, HOPE, polynomial regression " +
    "(to the network and to the data), symbolic regression; error vs size vs build time, error vs radius; " +
    "sim1-like data",
  seed: 1,
  data: {
    p: 5,
    n: 800,
    truth: { kind: "random", degree: 2, mainTerms: 5, interactionTerms: 5, coefficientRange: [-3, 3] },
    inputs: { kind: "uniform", lo: -1, hi: 1 },
    noiseSd: 0.1,
    scaleX: "minus1to1",
    scaleY: "minus1to1",
    trainFraction: 0.75,
  },
  model: { layers: 1, width: 16, activation: "tanh", constraint: "l1" },
  train: {
    optimizer: "adam",
    learningRate: 1e-2,
    epochs: 150,
    batchSize: 100,
    validationSplit: 0,
    backend: "wasm",
  },
  methods: {
    nn2poly: { maxOrder: 3, taylorOrders: 8, convergenceOrders: [1, 2, 3, 4, 5, 6] },
    taylor: { order: 3, center: "mean", convergenceOrders: [1, 2, 3, 4, 5, 6, 7, 8], radii: RADII },
    hope: { order: 3, center: "mean", convergenceOrders: [1, 2, 3, 4, 5, 6, 7, 8], radii: RADII },
    polyRegression: {
      degree: 3,
      convergenceOrders: [1, 2, 3, 4, 5],
      variants: { net: { target: "network" }, y: { target: "y" } },
    },
    symbolic: { evaluations: 40_000, maxComplexity: 40, convergenceOrders: [10, 20, 40] },
  },
  grid: {
    "model.activation": ["tanh", "softplus", "sigmoid", "sin"],
    "model.constraint": ["l1", "none"],
    "model.layers": [1, 3, 5],
  },
  repetitions: 1,
  outputs: {
    tables: ["cells", "summary", "convergence", "methods"],
    figures: ["convergence", "terms", "pareto"],
    extras: ["method-overview"],
  },
  full: {
    model: { width: 32 },
    train: { epochs: 500 },
    grid: { "model.layers": [1, 2, 3, 4, 5] },
    repetitions: 5,
  },
});
