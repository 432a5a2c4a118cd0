/**
 * symgrad-classifiers — Wetzel, "Closed-Form Interpretation of Neural Network Classifiers with
 * Symbolic Gradients" (arXiv 2401.04978): tasks A1, A, B, C, D, E and the confusion task F. 10,000
 * uniform samples, 1 % multiplicative label noise, 80/20 split; an ELU classifier (dropout 0.2, L2
 * 1e-4, binary cross-entropy, Adam) trained in tfjs; the logit interpreted on its unsure points
 * (1e-4 < σ(f) < 1 − 1e-4) by lib/symbolic; the choice judged against the concept on held-out
 * unsure points. Tables: accuracy, unsure points, the truth's loss, fronts, the choice and whether
 * it is the concept; the paper's task-B interpretation beside ours. Figures: Pareto fronts, A1's
 * gradient field, truth against logit.
 *
 * Default: 2 × 64 ELU, 60 epochs, 2.5e5 evaluations per search. `--full`: the paper's 2 × 1000, 200
 * epochs, 1e6 evaluations.
 */

import { defineAnalysis } from "../lib/experiment/schema.ts";

export default defineAnalysis({
  kind: "analysis",
  name: "symgrad-classifiers",
  description:
    "Wetzel's classifier tasks A1–F: train ELU classifiers, interpret the logits by symbolic gradients, " +
    "judge against the concepts; default 2×64, --full the paper's 2×1000",
  seed: 7,
  analysis: "symgrad-classifiers",
  params: { width: 64, epochs: 60, maxEvaluations: 250000 },
  full: { width: 1000, epochs: 200, maxEvaluations: 1000000 },
});
