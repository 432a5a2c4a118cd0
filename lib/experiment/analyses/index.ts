/**
 * The registry of analysis routines (`kind: "analysis"` experiments). Add an import and an entry
 * per new routine.
 *
 * @module
 */

import type { Analysis } from "./types.ts";
import { costAnalysis } from "./cost.ts";
import { hopeConvergence } from "./hope_convergence.ts";
import { hopeDiscovery } from "./hope_discovery.ts";
import { hopeExpansion } from "./hope_expansion.ts";
import { hopeFeatures } from "./hope_features.ts";
import { hopeSpeed } from "./hope_speed.ts";

/** Registered analyses by name. */
export const ANALYSES: Record<string, Analysis> = {
  /** Number of terms C(p+Q, Q) and measured NN2Poly engine time against p and Q. */
  cost: costAnalysis,
  /** HOPE paper Fig. 1: network vs exact Taylor vs HOPE polynomials, R² near and far from x0. */
  "hope-expansion": hopeExpansion,
  /** HOPE paper Table 2: |f^(n)(0)/f'(0)| (paper, HOPE, exact) and error vs order K. */
  "hope-convergence": hopeConvergence,
  /** HOPE function discovery: a target read back from a trained sine MLP's Taylor polynomial. */
  "hope-discovery": hopeDiscovery,
  /** HOPE feature selection: Taylor-sum importance maps vs one-input perturbation on simulated images. */
  "hope-features": hopeFeatures,
  /** HOPE timing: exact vs HOPE vs nested autodiff (time, peak RSS) vs K and p; polynomial vs network inference. */
  "hope-speed": hopeSpeed,
};
