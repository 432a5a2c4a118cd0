/**
 * symgrad-latent — Patel & Wetzel (arXiv 2409.05305): Siamese networks trained with the triplet loss
 * on states sharing an invariant; the latent neuron is interpreted by symbolic gradients. Systems: the
 * harmonic oscillator (invariant ½v² + ½x², closed-form trajectories) and the 2-D Kepler angular
 * momentum x1·v2 − x2·v1. Tables: the latent's rank correlation with the invariant, the fronts, the
 * chosen expression and whether it is the invariant up to a monotone map.
 *
 * Default: 2 × 64 ELU, 30 epochs × 50 steps of 64 triplets, 2.5e5 evaluations. `--full`: 2 × 256,
 * 100 epochs, 1e6 evaluations.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "symgrad-latent",
  description:
    "Siamese triplet networks (harmonic oscillator, Kepler angular momentum): latent neuron → invariant " +
    "by symbolic gradients; default 2×64, --full 2×256",
  seed: 5,
  analysis: "symgrad-latent",
  params: { width: 64, epochs: 30, maxEvaluations: 250000 },
  full: { width: 256, epochs: 100, maxEvaluations: 1000000 },
});
