/**
 * polylab's library entry point: the polynomial type, the engines, and adapters from trained
 * tfjs models.
 *
 * @example
 * ```ts
 * import { nn2polyOfModel } from "./mod.ts";
 * const { polynomials } = nn2polyOfModel(trainedModel, { maxOrder: 3, taylorOrders: 8 });
 * console.log(polynomials[0].toString({ maxTerms: 5 }));
 * ```
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";
import { modelToNetwork } from "./lib/train/convert.ts";
import { nn2poly, type Nn2polyOptions, type Nn2polyResult } from "./lib/nn2poly/engine.ts";
import { exactTaylor, type TaylorResult } from "./lib/taylor/exact.ts";

export {
  denseLayer,
  forward,
  inputGradients,
  type Network,
  networkToJson,
  parseNetwork,
} from "./lib/network/network.ts";
export {
  estimateSize,
  nn2poly,
  Nn2polyError,
  type Nn2polyOptions,
  type Nn2polyResult,
} from "./lib/nn2poly/engine.ts";
export { exactTaylor, type TaylorResult } from "./lib/taylor/exact.ts";
export { exactTaylorModules } from "./lib/taylor/exact_modules.ts";
export { hopeTaylor } from "./lib/taylor/hope.ts";
export { autodiffTaylor } from "./lib/taylor/autodiff.ts";
export { evaluatePolynomials, fromNn2polyForm, Polynomial, toNn2polyForm } from "./lib/poly/polynomial.ts";
export { Terms } from "./lib/poly/terms.ts";
export { ACTIVATIONS, taylorCoefficients } from "./lib/series/activations.ts";
export { fitPolynomialRegression } from "./lib/baselines/poly_regression.ts";
export { modelToNetwork } from "./lib/train/convert.ts";
// models trained elsewhere: polylab JSON, ONNX (*.onnx) or tfjs model.json → network / module list
export { type LoadedModel, loadModel, loadNetwork, requireNetwork } from "./lib/io/network_file.ts";
export {
  decisionTree,
  enumerateRegions,
  evaluateExtended,
  explainPoint,
  extNetworkToJson,
  plNetwork,
  shallowNetwork,
} from "./lib/relu/mod.ts";
export * as descramble from "./lib/descramble/mod.ts";

/** NN2Poly of a trained tfjs model of Dense layers (converted to float64 once). */
export function nn2polyOfModel(model: tf.LayersModel, options: Nn2polyOptions): Nn2polyResult {
  return nn2poly(modelToNetwork(model), options);
}

/** The exact Taylor polynomial of a trained tfjs model at x0, up to order K. */
export function exactTaylorOfModel(
  model: tf.LayersModel,
  x0: ArrayLike<number>,
  order: number,
): TaylorResult {
  return exactTaylor(modelToNetwork(model), x0, order);
}

// symbolic gradients (Wetzel) and the symbolic-regression engine
export { CLASSIFIER_SEARCH, interpretClassifier, unsureMask } from "./lib/symbolic/classifier.ts";
export { interpretGradients, sensitivityWeights, symbolicRegression } from "./lib/symbolic/interpret.ts";
export { parseExpression } from "./lib/symbolic/parse/parse.ts";
export { formatExpression, toLatex } from "./lib/symbolic/parse/print.ts";
export { simplify } from "./lib/symbolic/simplify/simplify.ts";
export { compareToReference } from "./lib/symbolic/judge.ts";
