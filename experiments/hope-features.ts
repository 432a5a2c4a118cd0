/**
 * hope-features — HOPE's feature-selection demo (Xiao, Zhang, Cheng, Suo 2023) on simulated data
 * (no downloads): 8×8 "images" with pixels i.i.d. U(−1, 1) and y = x10 + x11 − x18 + 0.8·x46·x47 +
 * 0.6·x54² + N(0, 0.05²), i.e. six relevant pixels (1,1), (1,2), (2,1), (5,5), (5,6), (6,5)
 * (0-based row, column). A 64–32×2–1 sine MLP (Adam 1e-3, batch 64) is trained on 6000 images (75 %);
 * importance maps Σ_k ∂^k y/∂x_i^k / k! (K = 4, exact and HOPE's rule) and one-input perturbation
 * (δ = 1) are averaged over test images and compared by Spearman rank correlation with each other,
 * with the truth's perturbation map and with the true mask.
 *
 * Default: 60 epochs, 20 test images. `--full`: 300 epochs, 200 test images.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "hope-features",
  description:
    "HOPE feature selection on simulated 8×8 images: Taylor-sum importance (exact, HOPE) vs one-input " +
    "perturbation vs the true pixels, Spearman correlations; default 60 epochs, --full 300",
  seed: 1,
  analysis: "hope-features",
  params: {
    side: 8,
    formula: "x10 + x11 - x18 + 0.8*x46*x47 + 0.6*x54^2",
    samples: 6000,
    noiseSd: 0.05,
    width: 32,
    depth: 2,
    activation: "sin",
    optimizer: "adam",
    learningRate: 1e-3,
    epochs: 60,
    batchSize: 64,
    order: 4,
    delta: 1,
    images: 20,
  },
  full: { epochs: 300, images: 200 },
});
