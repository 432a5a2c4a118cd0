/**
 * The deep-ReLU study (Villani & Schoots, "Any Deep ReLU Network is Shallow"; Aytekin, "Neural
 * Networks are Decision Trees"): its analyses, registered with the framework.
 *
 * @module
 */

import { registerAnalysis } from "../../experiment/registry.ts";
import { reluShallow, validateReluShallowParams } from "./shallow_study.ts";
import { reluTree, validateReluTreeParams } from "./tree_study.ts";

registerAnalysis(
  "relu-shallow",
  "Deep ReLU → shallow: regions vs 2^H and bounds, exactness of the ±∞ shallow network, time vs regions.",
  reluShallow,
  validateReluShallowParams,
);
registerAnalysis(
  "relu-tree",
  "Aytekin's toy (y = x², 1–2–2–1 leaky ReLU): the decision tree's 16 raw leaves pruned to the regions.",
  reluTree,
  validateReluTreeParams,
);
