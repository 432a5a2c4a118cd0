/**
 * Builds the per-thread context of population iterations (objective, mini-batch, normalisation),
 * the same way in the main thread and in every worker.
 *
 * @module
 */

import type { IterationContext } from "../evolution/population.ts";
import type { SearchOptions } from "../evolution/options.ts";
import { makeObjective, type ObjectiveSpec, scoreNormalization } from "./objective_spec.ts";

/** The context of population iterations for an objective and settings. */
export function buildContext(spec: ObjectiveSpec, options: SearchOptions): IterationContext {
  const objective = makeObjective(spec);
  const batch = options.batching && options.batchSize < spec.n
    ? objective.subset(Int32Array.from({ length: options.batchSize }, (_, i) => i))
    : undefined;
  // mini-batches of a weighted objective are drawn in proportion to the weights (importance sampling)
  let sampling: Float64Array | undefined;
  if (spec.kind === "gradient" && spec.weights) {
    sampling = new Float64Array(spec.n);
    let total = 0;
    for (let i = 0; i < spec.n; i++) sampling[i] = total += spec.weights[i];
  }
  return {
    objective,
    batch,
    sampling,
    normalization: scoreNormalization(spec),
    options,
    space: { binary: options.binary, unary: options.unary, inputs: spec.p },
  };
}
