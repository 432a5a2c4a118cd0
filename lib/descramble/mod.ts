/**
 * Descrambler groups (Amey, Keeley, Choudhury, Kuprov, PNAS 2021): a rotation P of a layer's signals
 * that makes them smooth, η(P) = tr(DTD·P·SST·Pᵀ) minimised over SO(k). Pure float64; never tfjs.
 *
 * @example
 * ```ts
 * import { closedFormDescramble, problemFromGram, tapGram, trustRegionDescramble } from "./mod.ts";
 * const gram = tapGram(net, { layer: 0, point: "pre" }, x, n); // SSᵀ in batches
 * const problem = problemFromGram(gram, net.layers[0].units);
 * const { P, eta } = trustRegionDescramble(problem); // or closedFormDescramble(problem)
 * ```
 *
 * @module
 */

export { fourdif2, fourdifColumn, fourierBasis, fourierModes } from "./fourdif.ts";
export { GramAccumulator, gramOfRows } from "./gram.ts";
export {
  DescrambleError,
  type DescrambleProblem,
  eta,
  problemFromGram,
  problemFromSignals,
  symmetricEigen,
} from "./problem.ts";
export { antisymmetricOf, cayley, chartDimension, chartPoint, pullBackGradient } from "./cayley.ts";
export { lbfgs, type LbfgsOptions, type LbfgsResult } from "./lbfgs.ts";
export { paperLbfgsDescramble } from "./paper_lbfgs.ts";
export { type OptimizeResult, RecentredModel, trustRegionDescramble } from "./trust_region.ts";
export { brockettMinimum, closedFormDescramble, type ClosedFormResult } from "./closed_form.ts";
export {
  type DiagonalCriterion,
  diagonalCriterion,
  maxDiagonalSumClosedForm,
  maximizeDiagonality,
} from "./criteria.ts";
export {
  type DescrambledWeights,
  descrambleSignals,
  descrambleWeights,
  tapGram,
  type TapPoint,
  tapSignals,
  type Wiretap,
} from "./wiretap.ts";
