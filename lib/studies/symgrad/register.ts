/**
 * Wetzel's symbolic-gradient study (arXiv 2401.04978; Patel & Wetzel, arXiv 2409.05305): its
 * experiments as analysis routines, registered with the framework.
 *
 * @module
 */

import { registerAnalysis } from "../../experiment/registry.ts";
import { symgradClassifiers } from "./classifiers.ts";
import { symgradLatent } from "./latent.ts";
import { symgradRegression } from "./regression.ts";
import {
  validateSymgradClassifiersParams,
  validateSymgradLatentParams,
  validateSymgradRegressionParams,
} from "./validate.ts";

registerAnalysis(
  "symgrad-regression",
  "The symbolic-gradient engine as plain symbolic regression on the Nguyen benchmarks: recovery rate and time.",
  symgradRegression,
  validateSymgradRegressionParams,
);
registerAnalysis(
  "symgrad-classifiers",
  "Wetzel's classifier tasks A1–F: train, keep the unsure points, interpret the logit, judge against the concept.",
  symgradClassifiers,
  validateSymgradClassifiersParams,
);
registerAnalysis(
  "symgrad-latent",
  "Siamese networks (triplet loss) on the harmonic oscillator and 2-D Kepler angular momentum; latent neuron interpreted.",
  symgradLatent,
  validateSymgradLatentParams,
);
