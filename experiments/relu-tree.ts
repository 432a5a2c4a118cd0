/**
 * relu-tree — Aytekin (2022), "Neural Networks are Decision Trees": the paper's toy y = x² on
 * [−2.5, 2.5] (5,000 points), a 1 → 2 → 2 → 1 leaky-ReLU network (slope 0.3), no activation on the
 * output. The decision tree of layer-wise sign tests has 2⁴ = 16 raw leaves; empty branches are removed
 * by LP and the remaining leaves — the linear pieces — are drawn over the data (paper: 5 leaves).
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "relu-tree",
  description:
    "Aytekin's decision tree of a 1–2–2–1 leaky-ReLU net on y = x²: 16 raw leaves, pruned by LP to the linear pieces",
  seed: 10,
  analysis: "relu-tree",
  params: {
    samples: 5000,
    range: [-2.5, 2.5],
    hidden: [2, 2],
    alpha: 0.3,
    seeds: 10,
    paperLeaves: 5,
    epochs: 200,
    batchSize: 100,
    learningRate: 0.01,
  },
  full: { seeds: 30 },
});
