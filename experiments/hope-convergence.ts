/**
 * hope-convergence — Table 2 of HOPE (Xiao, Zhang, Cheng, Suo 2023): |f^(n)(0)/f′(0)|, n = 1..10,
 * for 1–512–512–512–512–1 sine MLPs (sine after every layer, output included) with weights
 * U(±w0/fan_in), w0 ∈ {0.01, 0.1, 1, 10, 100}; the paper's numbers and the exact values on its
 * seed-42 PyTorch net (reference_values.json) beside HOPE's rule and the exact values on polylab's
 * seeded net of the same architecture. Convergence curves: normalised RMS error of the order-K
 * exact Taylor, HOPE and NN2Poly (centre 0, Taylor order K, max order K) polynomials against the
 * network on [−r, r], r ∈ {0.1, 0.3, 0.5, 1}, K = 1..10.
 *
 * Default: width 512 as in the paper (a 1-input expansion is cheap), 41 points per interval.
 * `--full`: 201 points per interval.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "hope-convergence",
  description:
    "HOPE Table 2: |f^(n)(0)/f'(0)| of 1–512×4–1 sine MLPs for w0 ∈ {0.01,…,100} (paper, HOPE, exact) and the " +
    "error of exact/HOPE/NN2Poly polynomials vs order K at radii 0.1–1",
  seed: 42,
  analysis: "hope-convergence",
  params: {
    width: 512,
    depth: 4,
    w0: [0.01, 0.1, 1, 10, 100],
    order: 10,
    radii: [0.1, 0.3, 0.5, 1],
    points: 41,
  },
  full: { points: 201 },
});
