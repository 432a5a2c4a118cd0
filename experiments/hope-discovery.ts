/**
 * hope-discovery — HOPE's function-discovery demo (Xiao, Zhang, Cheng, Suo 2023): y = (x1² + x2)/2
 * learned by a 2–64×3–1 sine MLP (Adamax 1e-3; the paper trains 5000 epochs and reads
 * y ≈ 0.50·x2 + 0.51·x1²), and a sparse 5-variable order-3 target, y = x1 − 0.8·x2·x3 + 0.6·x4² +
 * 0.5·x1·x4·x5, learned by a 5–64×3–1 sine MLP. The network's order-3 Taylor polynomial (exact, and
 * HOPE's rule) is taken at x0 = 0 and, for the 2-D target, at (±0.5, ±0.5), and re-expressed in x
 * (Π (x_i − x0_i)^α_i expanded binomially) to compare with the true coefficients.
 *
 * Data: 1000 rows, X ~ U(−1, 1), no noise, 75/25 split, batch 64, linear output. Default: 150 epochs
 * (a short run: the coefficients are already within a few hundredths); `--full`: 5000 epochs, the
 * paper's.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "hope-discovery",
  description:
    "HOPE function discovery: y = (x1² + x2)/2 and a sparse 5-variable cubic read back from trained sine MLPs by " +
    "exact Taylor and HOPE at several x0; default 150 epochs, --full 5000 (the paper's)",
  seed: 1,
  analysis: "hope-discovery",
  params: {
    targets: [
      {
        name: "paper-2d",
        formula: "0.5*x1^2 + 0.5*x2",
        inputs: 2,
        points: [[0, 0], [0.5, 0.5], [0.5, -0.5], [-0.5, 0.5], [-0.5, -0.5]],
      },
      {
        name: "sparse-5d",
        formula: "x1 - 0.8*x2*x3 + 0.6*x4^2 + 0.5*x1*x4*x5",
        inputs: 5,
        points: [[0, 0, 0, 0, 0]],
      },
    ],
    order: 3,
    samples: 1000,
    range: [-1, 1],
    noiseSd: 0,
    width: 64,
    depth: 3,
    activation: "sin",
    optimizer: "adamax",
    learningRate: 1e-3,
    epochs: 150,
    batchSize: 64,
  },
  full: { epochs: 5000 },
});
