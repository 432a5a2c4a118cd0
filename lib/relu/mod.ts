/**
 * Deep ReLU networks, exactly: activation regions (layer-wise refinement with a max-slack LP), their
 * local linear models and minimal inequalities, the shallow network with ±∞ weights that equals the
 * network everywhere (Villani & Schoots), explanations at a point and the decision-tree view (Aytekin).
 * Pure float64; never imports tfjs.
 *
 * @example
 * ```ts
 * import { enumerateRegions, plNetwork, shallowNetwork, explainPoint } from "./lib/relu/mod.ts";
 * const net = plNetwork(parseNetwork(json));
 * const set = enumerateRegions(net, { box: [-1, 1] });
 * const { net: shallow, size } = shallowNetwork(set, net.outputs);
 * explainPoint(net, [0.2, -0.4]).rule;
 * ```
 *
 * @module
 */

export { localAffine, type PlNetwork, plNetwork, preActivations, ReluNetworkError } from "./net.ts";
export {
  DEFAULT_MAX_REGIONS,
  enumerateRegions,
  type Hyperplane,
  type Inequality,
  type Region,
  RegionLimitError,
  type RegionOptions,
  type RegionSet,
} from "./regions.ts";
export { bruteForceRegions } from "./brute.ts";
export { guaranteedRegions, productBound, serraBound } from "./bounds.ts";
export { SlackLp } from "./lp.ts";
export {
  evaluateExtended,
  ExtendedRealError,
  type ExtNetwork,
  type ExtNetworkJson,
  extNetworkToJson,
  extSize,
  parseExtNetwork,
} from "./extended.ts";
export { type ShallowNetwork, shallowNetwork } from "./shallow.ts";
export {
  explainPoint,
  formatAffine,
  formatInequality,
  minimalInequalities,
  type PointExplanation,
} from "./explain.ts";
export { type DecisionTree, decisionTree, treeToText } from "./tree.ts";
