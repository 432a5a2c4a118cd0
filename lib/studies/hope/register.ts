/**
 * The HOPE paper's study (Xiao et al. 2023): its figures and tables as analysis routines,
 * registered with the framework.
 *
 * @module
 */

import { registerAnalysis } from "../../experiment/registry.ts";
import { hopeConvergence } from "./convergence.ts";
import { hopeDiscovery } from "./discovery.ts";
import { hopeExpansion } from "./expansion.ts";
import { hopeFeatures } from "./features.ts";
import { hopeSpeed } from "./speed.ts";

registerAnalysis(
  "hope-expansion",
  "HOPE paper Fig. 1: network vs exact Taylor vs HOPE polynomials, R² near and far from x0.",
  hopeExpansion,
);
registerAnalysis(
  "hope-convergence",
  "HOPE paper Table 2: |f^(n)(0)/f'(0)| (paper, HOPE, exact) and error vs order K.",
  hopeConvergence,
);
registerAnalysis(
  "hope-discovery",
  "HOPE function discovery: a target read back from a trained sine MLP's Taylor polynomial.",
  hopeDiscovery,
);
registerAnalysis(
  "hope-features",
  "HOPE feature selection: Taylor-sum importance maps vs one-input perturbation on simulated images.",
  hopeFeatures,
);
registerAnalysis(
  "hope-speed",
  "HOPE timing: exact vs HOPE vs nested autodiff (time, peak RSS) vs K and p; polynomial vs network inference.",
  hopeSpeed,
);
