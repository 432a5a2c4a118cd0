/**
 * The registry of extra analyses (`outputs.extras`). Add an import and an entry per new extra.
 *
 * @module
 */

import type { Experiment } from "../schema.ts";
import type { Extra, ExtraContext } from "./types.ts";
import type { ReportSection } from "../../report/report.ts";
import { classificationExtra } from "./classification.ts";
import { diagonalsExtra } from "./diagonals.ts";
import { layerPotentialsExtra } from "./layers.ts";
import { scaledTruthExtra } from "./scaled_truth.ts";
import { datasetTermsExtra } from "./dataset_terms.ts";

/** Registered extras by name. */
export const EXTRAS: Record<string, Extra> = {
  /** Observed Y and each polynomial against the network (first repetition per grid point). */
  "diagonals": diagonalsExtra,
  /** Activation, Taylor polynomial, error and potential densities per layer (needs saveNetworks). */
  "layer-potentials": layerPotentialsExtra,
  /** Coefficients of every polynomial against the true one rewritten in the scaled space. */
  "scaled-truth": scaledTruthExtra,
  /** Per-class logit MSE and argmax accuracies per polynomial (classification). */
  "classification": classificationExtra,
  /** The largest terms of each output's polynomial, named after the data's columns, over repetitions. */
  "dataset-terms": datasetTermsExtra,
};

/** Runs the extras a config names, in order. */
export async function extraSections(ctx: ExtraContext): Promise<ReportSection[]> {
  const sections: ReportSection[] = [];
  for (const name of ctx.config.outputs.extras) sections.push(...await EXTRAS[name](ctx));
  return sections;
}

/** Names of unknown extras in a config (empty when all are registered). */
export function unknownExtras(config: Experiment): string[] {
  return config.outputs.extras.filter((n) => !(n in EXTRAS));
}
