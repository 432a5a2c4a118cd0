/**
 * The HOPE paper's study (Xiao et al. 2023): its figures and tables as analysis routines,
 * registered with the framework.
 *
 * @module
 */

import { registerAnalysis } from "../../experiment/registry.ts";
import { hopeConvergence, validateHopeConvergenceParams } from "./convergence.ts";
import { hopeDiscovery, validateHopeDiscoveryParams } from "./discovery.ts";
import { hopeExpansion, validateHopeExpansionParams } from "./expansion.ts";
import { hopeFeatures, validateHopeFeaturesParams } from "./features.ts";
import { hopeSpeed, validateHopeSpeedParams } from "./speed.ts";

registerAnalysis(
  "hope-expansion",
  "HOPE paper Fig. 1: network vs exact Taylor vs HOPE polynomials, R² near and far from x0.",
  hopeExpansion,
  validateHopeExpansionParams,
);
registerAnalysis(
  "hope-convergence",
  "HOPE paper Table 2: |f^(n)(0)/f'(0)| (paper, HOPE, exact) and error vs order K.",
  hopeConvergence,
  validateHopeConvergenceParams,
);
registerAnalysis(
  "hope-discovery",
  "HOPE function discovery: a target read back from a trained sine MLP's Taylor polynomial.",
  hopeDiscovery,
  validateHopeDiscoveryParams,
);
registerAnalysis(
  "hope-features",
  "HOPE feature selection: Taylor-sum importance maps vs one-input perturbation on simulated images.",
  hopeFeatures,
  validateHopeFeaturesParams,
);
registerAnalysis(
  "hope-speed",
  "HOPE timing: exact vs HOPE vs nested autodiff (time, peak RSS) vs K and p; polynomial vs network inference.",
  hopeSpeed,
  validateHopeSpeedParams,
);
