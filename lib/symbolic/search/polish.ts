/**
 * The final touch on a search's hall of fame: every entry is simplified and its constants are
 * optimised to convergence (Levenberg–Marquardt with more iterations and restarts than during the
 * search), its loss recomputed on all points; then the Pareto front is rebuilt. Deterministic for a
 * given seed.
 *
 * @module
 */

import { deriveSeed, Rng } from "../../data/random.ts";
import { complexity } from "../core/complexity.ts";
import { countConstants } from "../core/expression.ts";
import { optimizeConstants } from "../constants/optimize.ts";
import { paretoFront } from "../evolution/hall_of_fame.ts";
import { lossOfTree, type Member, scoreOf } from "../evolution/member.ts";
import type { SearchOptions } from "../evolution/options.ts";
import type { Objective } from "../loss/objective.ts";
import { simplify } from "../simplify/simplify.ts";

/** Settings of {@link polishFront}. */
export interface PolishOptions {
  /** Levenberg–Marquardt iterations per start (default 100). */
  iterations?: number;
  /** Perturbed restarts (default 6). */
  restarts?: number;
  /** `performance.now()` ms after which constants are no longer optimised (entries are still simplified and scored). */
  deadline?: number;
}

/**
 * Simplifies and re-optimises every entry; returns the polished entries, best per complexity, by
 * increasing complexity (not reduced to the Pareto front).
 */
export function polishHallOfFame(
  entries: readonly Member[],
  objective: Objective,
  options: SearchOptions,
  normalization: number,
  polish: PolishOptions = {},
): Member[] {
  const rng = new Rng(deriveSeed(options.seed, "symbolic", "polish"));
  const out: Member[] = [];
  for (const m of entries) {
    let tree = simplify(m.tree, options.complexity);
    let loss = lossOfTree(tree, objective);
    if (!(loss <= m.loss)) {
      tree = m.tree; // simplification must not cost accuracy
      loss = lossOfTree(tree, objective);
    }
    const inTime = polish.deadline === undefined || performance.now() < polish.deadline;
    if (inTime && Number.isFinite(loss) && countConstants(tree) > 0) {
      const res = optimizeConstants(tree, objective, rng, {
        iterations: polish.iterations ?? 100,
        restarts: polish.restarts ?? 6,
      }, loss);
      if (res.loss < loss) {
        tree = res.tree;
        loss = res.loss;
      }
    }
    const size = complexity(tree, options.complexity);
    if (size > options.maxComplexity || !Number.isFinite(loss)) continue;
    out.push({
      tree,
      loss,
      score: scoreOf(loss, size, normalization, options),
      complexity: size,
      birth: m.birth,
    });
  }
  const best = new Map<number, Member>();
  for (const m of out) {
    if (!best.has(m.complexity) || m.loss < best.get(m.complexity)!.loss) best.set(m.complexity, m);
  }
  return [...best.values()].sort((a, b) => a.complexity - b.complexity);
}

/** Simplifies and re-optimises every entry; returns the new Pareto front (by increasing complexity). */
export function polishFront(
  entries: readonly Member[],
  objective: Objective,
  options: SearchOptions,
  normalization: number,
  polish: PolishOptions = {},
): Member[] {
  return paretoFront(polishHallOfFame(entries, objective, options, normalization, polish));
}
