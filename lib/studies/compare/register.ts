/**
 * polylab's own comparison of methods (experiment `compare`): the extra that pools every method over
 * the trained networks, registered with the framework.
 *
 * @module
 */

import { registerExtra } from "../../experiment/registry.ts";
import { methodOverviewExtra } from "./overview.ts";

registerExtra(
  "method-overview",
  "Every method pooled over the networks: error, size, wins, Pareto front in build time, error vs radius for all.",
  methodOverviewExtra,
);
