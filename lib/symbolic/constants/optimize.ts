/**
 * Constant optimisation of a candidate: Levenberg–Marquardt on the objective's residuals over the
 * tree's constants, from the current values and from `restarts` perturbed starts (c·(1 + N(0,1)/2),
 * as SymbolicRegression.jl does); the best result wins if it improves on the start.
 *
 * @module
 */

import type { Rng } from "../../data/random.ts";
import { cloneExpr, type Expr, getConstants, setConstantsInPlace } from "../core/expression.ts";
import { compile } from "../evaluation/compile.ts";
import type { Objective } from "../loss/objective.ts";
import { levenbergMarquardt, LmWorkspace } from "./levenberg_marquardt.ts";

/** Settings of {@link optimizeConstants}. */
export interface ConstantOptions {
  /** Levenberg–Marquardt iterations per start (default 20). */
  iterations?: number;
  /** Extra perturbed starts (default 2). */
  restarts?: number;
}

/** Result of {@link optimizeConstants}. */
export interface ConstantResult {
  /** The tree with the best constants (a copy; the input tree is not modified). */
  tree: Expr;
  /** Its loss on the objective. */
  loss: number;
  /** Residual evaluations spent. */
  evaluations: number;
}

const workspaces = new WeakMap<Objective, LmWorkspace>();

/**
 * Optimises the constants of `tree` for `objective` (`startLoss`: its current loss, if known).
 *
 * @example
 * ```ts
 * const { tree, loss } = optimizeConstants(parseExpression("x1*x1 + 1*x2*x2"), loss, new Rng(1));
 * ```
 */
export function optimizeConstants(
  tree: Expr,
  objective: Objective,
  rng: Rng,
  options: ConstantOptions = {},
  startLoss?: number,
): ConstantResult {
  const start = getConstants(tree);
  const prog = compile(tree, objective.inputs);
  let evaluations = 0;
  const initial = startLoss ?? (evaluations++, objective.loss(prog));
  if (start.length === 0) return { tree: cloneExpr(tree), loss: initial, evaluations };
  let ws = workspaces.get(objective);
  if (!ws) {
    ws = new LmWorkspace(objective.residualCount);
    workspaces.set(objective, ws);
  }
  const k = start.length;
  const residual = (c: Float64Array, out: Float64Array) => {
    prog.pool.set(c);
    return objective.residuals(prog, out);
  };
  let best = start;
  let bestLoss = initial;
  const restarts = options.restarts ?? 2;
  for (let attempt = 0; attempt <= restarts; attempt++) {
    let from = start;
    if (attempt > 0) {
      from = new Float64Array(k);
      for (let j = 0; j < k; j++) from[j] = start[j] * (1 + rng.normal() / 2);
    }
    const res = levenbergMarquardt(residual, from, ws, { maxIterations: options.iterations ?? 20 });
    evaluations += res.evaluations;
    const loss = res.sumOfSquares / objective.residualCount;
    if (loss < bestLoss) {
      bestLoss = loss;
      best = res.params;
    }
  }
  const out = cloneExpr(tree);
  setConstantsInPlace(out, best);
  return { tree: out, loss: bestLoss, evaluations };
}
