/**
 * Spatially blocked cross-validation of expressions: the points are split in two at the median of
 * each input in turn; an expression's constants are refitted on one half and its loss is taken on
 * the other (both ways, every input). A network's errors are smooth, so held-out points next to
 * the fitted ones share them and plain random folds cannot tell a concept from a fit of the
 * network's errors; a half of the domain the constants never saw can: the concept's form carries
 * over, a form that bent its constants to the errors of one region mostly does not.
 *
 * Every point is held out in exactly p of the 2p folds, so for an expression without constants
 * the cross-validated loss equals its loss on all points.
 *
 * @module
 */

import { deriveSeed, Rng } from "../../lib/data/random.ts";
import { optimizeConstants } from "../../lib/symbolic/constants/optimize.ts";
import { countConstants, type Expr } from "../../lib/symbolic/core/expression.ts";
import { lossOfTree } from "../../lib/symbolic/evolution/member.ts";
import type { Objective } from "../../lib/symbolic/loss/objective.ts";

/** A fold: the points that fit the constants, and the held-out ones. */
export interface Fold {
  /** Indices of the points the constants are fitted on. */
  fit: Int32Array;
  /** Indices of the held-out points. */
  test: Int32Array;
}

/**
 * The 2p half-space folds of points x (row-major n × p): for each input k, the points below its
 * median against those at or above it, both ways. Inputs with fewer than two distinct values on
 * either side are skipped.
 */
export function medianFolds(x: ArrayLike<number>, n: number, p: number): Fold[] {
  const folds: Fold[] = [];
  for (let k = 0; k < p; k++) {
    const sorted = Float64Array.from({ length: n }, (_, i) => x[i * p + k]).sort();
    const median = sorted[n >> 1];
    const below: number[] = [];
    const above: number[] = [];
    for (let i = 0; i < n; i++) (x[i * p + k] < median ? below : above).push(i);
    if (below.length < 2 || above.length < 2) continue;
    const a = Int32Array.from(below);
    const b = Int32Array.from(above);
    folds.push({ fit: a, test: b }, { fit: b, test: a });
  }
  return folds;
}

/** Settings of {@link CrossValidator}. */
export interface CrossValidationOptions {
  /** Levenberg–Marquardt iterations per start on a fitting half (default 40). */
  iterations?: number;
  /** Perturbed restarts (default 2). */
  restarts?: number;
  /** Seed of the restarts. */
  seed?: number;
}

/** Cross-validated losses of expressions on an objective's points. */
export class CrossValidator {
  readonly #pairs: { fit: Objective; test: Objective }[];
  readonly #options: Required<CrossValidationOptions>;

  /** Folds of the objective's points (see {@link medianFolds}). */
  constructor(objective: Objective, folds: readonly Fold[], options: CrossValidationOptions = {}) {
    if (folds.length === 0) throw new Error("CrossValidator: no folds");
    this.#pairs = folds.map((f) => ({ fit: objective.subset(f.fit), test: objective.subset(f.test) }));
    this.#options = { iterations: 40, restarts: 2, seed: 0, ...options };
  }

  /**
   * Mean held-out loss of `tree` over the folds, its constants refitted on each fitting half
   * (starting from the tree's own constants); +∞ when a fold's loss is not finite.
   */
  loss(tree: Expr): number {
    const constants = countConstants(tree) > 0;
    let total = 0;
    this.#pairs.forEach(({ fit, test }, i) => {
      let t = tree;
      if (constants) {
        const rng = new Rng(deriveSeed(this.#options.seed, "symbolic", "cross-validation", i));
        const start = lossOfTree(tree, fit);
        const res = optimizeConstants(tree, fit, rng, {
          iterations: this.#options.iterations,
          restarts: this.#options.restarts,
        }, start);
        if (res.loss < start) t = res.tree;
      }
      total += lossOfTree(t, test);
    });
    const mean = total / this.#pairs.length;
    return Number.isFinite(mean) ? mean : Infinity;
  }
}
