/**
 * Wetzel's symbolic-gradient interpretation of a classifier (arXiv 2401.04978) from the network
 * value: the logit's float64 input gradients at the points where the classifier is unsure, each
 * point weighted by the classifier's sensitivity σ'(f), searched with the method's settings
 * (the paper's operators + − × ÷ sin exp, constants 3, sin/exp 5, maximum complexity 30; mini-batches
 * of 50 points as in the authors' code, where they had 25).
 *
 * @module
 */

import { inputGradients, type Network, outputUnits } from "../network/network.ts";
import type { SearchOptions } from "./evolution/options.ts";
import {
  type Interpretation,
  interpretGradients,
  type InterpretOptions,
  sensitivityWeights,
} from "./interpret.ts";

/** The method's search settings on top of the engine's defaults. */
export const CLASSIFIER_SEARCH: Readonly<Partial<SearchOptions>> = Object.freeze({
  binary: ["+", "-", "*", "/"] as SearchOptions["binary"],
  unary: ["sin", "exp"] as SearchOptions["unary"],
  maxComplexity: 30,
  batching: true,
  batchSize: 50,
});

/**
 * Evaluations (on all points) the CLI's deterministic budget allows per second of `--seconds`:
 * about half of the time on a quiet 2-core machine, so that the wall clock stops a search only on
 * a loaded one.
 */
export const EVALUATIONS_PER_SECOND = 7_000;

/** The CLI's convergence stop: 40 iterations without improvement of the front, once 20 have run. */
export const CLASSIFIER_PATIENCE = Object.freeze({ patience: 40, minIterations: 20 });

/** Points where a classifier with logit f is unsure: 1e-4 < σ(f) < 1 − 1e-4 (the paper's band). */
export function unsureMask(logits: ArrayLike<number>, band = 1e-4): boolean[] {
  const limit = Math.log((1 - band) / band);
  return Array.from(logits, (f) => Math.abs(f) < limit);
}

/** Options of {@link interpretClassifier}. */
export interface ClassifierOptions extends Omit<InterpretOptions, "search"> {
  /** Search settings over {@link CLASSIFIER_SEARCH}. */
  search?: Partial<SearchOptions>;
  /** Weigh points by σ'(f) (default) or all alike. */
  weighting?: "sensitivity" | "uniform";
  /** Output unit whose logit is interpreted (default 0). */
  output?: number;
}

/**
 * Interprets a classifier's logit at `x` (row-major n × p, the unsure points). Throws an Error
 * naming the point when the logit's gradient there is zero or not finite (no direction to match).
 *
 * @example
 * ```ts
 * const res = await interpretClassifier(net, points, n, { search: { seed: 1 }, budget: { maxEvaluations: 2e5 } });
 * console.log(res.front[res.best].expression);
 * ```
 */
export function interpretClassifier(
  net: Network,
  x: Float64Array,
  n: number,
  options: ClassifierOptions,
): Promise<Interpretation> {
  const p = net.inputs;
  const output = options.output ?? 0;
  if (output < 0 || output >= outputUnits(net)) {
    throw new Error(`output: the network has ${outputUnits(net)} outputs`);
  }
  const { gradient, value } = inputGradients(net, x, n, output);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < p; k++) s += gradient[i * p + k] ** 2;
    if (!(s > 0) || !Number.isFinite(s)) {
      throw new Error(
        `points[${i}]: the logit's gradient there is ${
          s === 0 ? "zero" : "not finite"
        }, so it has no direction ` +
          "to match; remove the point",
      );
    }
  }
  return interpretGradients(x, gradient, n, p, {
    ...options,
    weights: (options.weighting ?? "sensitivity") === "sensitivity" ? sensitivityWeights(value) : undefined,
    search: { ...CLASSIFIER_SEARCH, ...options.search },
  });
}
