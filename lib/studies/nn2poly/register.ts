/**
 * The NN2Poly papers' study (Morala et al., TNNLS 2023; NN2Poly 2021): the cost analysis, the
 * extras over grid runs and the paper comparisons, registered with the framework.
 *
 * @module
 */

import { registerAnalysis, registerComparison, registerExtra } from "../../experiment/registry.ts";
import { classificationExtra } from "./classification.ts";
import { COMPARISONS } from "./comparisons.ts";
import { costAnalysis, parseCostParams } from "./cost.ts";
import { datasetTermsExtra } from "./dataset_terms.ts";
import { diagonalsExtra } from "./diagonals.ts";
import { layerPotentialsExtra } from "./layers.ts";
import { scaledTruthExtra } from "./scaled_truth.ts";

registerAnalysis(
  "cost",
  "Number of terms C(p+Q, Q) and measured NN2Poly engine time against p and Q.",
  costAnalysis,
  parseCostParams,
);

registerExtra(
  "diagonals",
  "Observed Y and each polynomial against the network (first repetition per grid point).",
  diagonalsExtra,
);
registerExtra(
  "layer-potentials",
  "Activation, Taylor polynomial, error and potential densities per layer (needs saveNetworks).",
  layerPotentialsExtra,
);
registerExtra(
  "scaled-truth",
  "Coefficients of every polynomial against the true one rewritten in the scaled space.",
  scaledTruthExtra,
);
registerExtra(
  "classification",
  "Per-class logit MSE and argmax accuracies per polynomial (classification).",
  classificationExtra,
);
registerExtra(
  "dataset-terms",
  "The largest terms of each output's polynomial, named after the data's columns, over repetitions.",
  datasetTermsExtra,
);

for (const [name, comparison] of Object.entries(COMPARISONS)) {
  registerComparison(name, comparison.caption, comparison);
}
