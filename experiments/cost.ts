/**
 * cost — how big and how slow NN2Poly gets (an analysis: no training).
 *
 * The number of terms C(p + Q, Q) for p = 1..30 and Q = 2..10 (table and log-scale figure), and
 * polylab's measured engine time against p and Q on seeded random networks of a fixed architecture
 * (2 × 64 tanh, every neuron's weights and bias L1-normalised, Taylor order 8).
 *
 * Default run: p ∈ {2, 4, 8, 16, 30} × Q ∈ {2, …, 6}, 3 timed runs per point (under a minute).
 * `--full`: p ∈ {1, 2, 3, 4, 6, 8, 10, 15, 20, 25, 30} × Q ∈ {2, …, 8}, 5 timed runs, up to 60 s per
 * run, within the engine's memory guard.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "cost",
  description:
    "The cost of NN2Poly: number of terms C(p+Q, Q) and measured engine time against p and Q (2×64 tanh); " +
    "default a small timing grid, --full p up to 30 and Q up to 8",
  seed: 1,
  analysis: "cost",
  params: {
    hidden: [64, 64],
    activation: "tanh",
    taylorOrder: 8,
    timingP: [2, 4, 8, 16, 30],
    timingQ: [2, 3, 4, 5, 6],
    repeats: 3,
    maxSecondsPerRun: 5,
  },
  full: {
    timingP: [1, 2, 3, 4, 6, 8, 10, 15, 20, 25, 30],
    timingQ: [2, 3, 4, 5, 6, 7, 8],
    repeats: 5,
    maxSecondsPerRun: 60,
  },
});
